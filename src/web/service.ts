/**
 * The use cases behind the public pages: open a share link (the credential, its formats, its
 * issuer), verify it live for the share page, and verify what a person gives the verifier page
 * (pasted text, a file's text, or a share link). Each returns a view model in the page language;
 * the routes render it.
 *
 * A share link reads only `_id`-keyed documents (the share lookup, the credential, its document,
 * the organisation), except for the other format of the same credential (`ob3` issued as both
 * Data Integrity and JWT), which asks for the achievement's live credentials: a scan on FerretDB,
 * an index on MongoDB.
 */
import type {LocalizedText} from '../catalog/index.js';
import {pickText} from '../catalog/index.js';
import type {CredentialRecord, CredentialService, Format} from '../credentials/index.js';
import type {OrgService} from '../orgs/index.js';
import {type CredentialReport, UnparseableInput, type VerificationReport} from '../verification/index.js';
import type {VerificationService} from '../verification/service.js';
import {CredentialErased, FormatNotAvailable, ShareNotFound} from './errors.js';
import {readFacts} from './facts.js';
import type {UiLanguage} from './i18n.js';
import {linkedInAddToProfileUrl, qrCodeSvg} from './share-links.js';
import {credentialResult, factRows, identityRows, type ResultView, resultView, type Row,
  verdictOnly} from './views.js';

/** A share link's credential in the formats it is available in (text exactly as issued). */
export interface OpenedShare {
  record: CredentialRecord;
  documents: Partial<Record<Format, string>>;
}

/** What the share page shows. */
export interface SharePageView {
  shareId: string;
  shareUrl: string;
  title: LocalizedText;
  description?: LocalizedText;
  learnerName?: string;
  identity: Row[];
  facts: Row[];
  outcomes: LocalizedText[];
  result: ResultView;
  formats: Format[];
  qrSvg: string;
  linkedInUrl: string;
}

const SHARE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const SHARE_PATH = /\/c\/([A-Za-z0-9_-]{1,128})\/?$/;

/**
 * The share id in what a person gave: a bare id, or a URL whose path is `/c/<shareId>`.
 *
 * @returns the id, or undefined when the text is neither.
 */
export function shareIdOf(text: string): string | undefined {
  const value = text.trim();
  if(SHARE_ID.test(value)) {
    return value;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return ['http:', 'https:'].includes(url.protocol) ? SHARE_PATH.exec(url.pathname)?.[1] : undefined;
}

/**
 * Creates the web service.
 *
 * @param options.now - the clock of "checked on" (tests fix it).
 * @returns the page use cases.
 */
export function createWebService({credentials, orgs, verification, publicBaseUrl, now = () => new Date()}: {
  credentials: Pick<CredentialService, 'findShared' | 'liveCredentialsOf'>;
  orgs: Pick<OrgService, 'getOrganisation'>;
  verification: Pick<VerificationService, 'verifyRequest'>;
  publicBaseUrl: string;
  now?: () => Date;
}) {
  /**
   * The credential behind a share link, in its stored format and, when the same profile was
   * issued in the other format for the same achievement (and is live), that one too.
   *
   * @throws {ShareNotFound} for an unknown or withdrawn link.
   * @throws {CredentialErased} when the learner's data was erased.
   */
  async function openShare(shareId: string): Promise<OpenedShare> {
    const found = await credentials.findShared(shareId);
    if(!found) {
      throw new ShareNotFound();
    }
    const {record, document} = found;
    if(document === undefined || record.erasedAt) {
      throw new CredentialErased();
    }
    const documents: OpenedShare['documents'] = {[record.format]: document};
    const siblings = await credentials.liveCredentialsOf({orgId: record.orgId.toHexString(),
      achievementId: record.achievementId});
    const sibling = siblings.find(other => other.profile === record.profile &&
      other.format !== record.format);
    const siblingDocument = sibling && (await credentials.findShared(sibling.shareId))?.document;
    if(sibling && siblingDocument !== undefined) {
      documents[sibling.format] = siblingDocument;
    }
    return {record, documents};
  }

  /**
   * The credential of a share link in one format, as issued.
   *
   * @throws {ShareNotFound} | {CredentialErased} as `openShare`; {FormatNotAvailable} when it
   *   does not exist in that format.
   */
  async function sharedDocument({shareId, format}: {shareId: string; format: Format}): Promise<string> {
    const {documents} = await openShare(shareId);
    const document = documents[format];
    if(document === undefined) {
      throw new FormatNotAvailable(format === 'di' ? 'Data Integrity JSON' : 'JWT');
    }
    return document;
  }

  async function verifyDocument(document: string, language: UiLanguage): Promise<VerificationReport> {
    return verification.verifyRequest({body: document, query: {lang: language}});
  }

  /**
   * The share page: the credential, verified now, with its facts and ways to pass it on.
   *
   * @param options.opened - the share, from `openShare`.
   * @param options.preference - language tags for the credential's own texts.
   */
  async function sharePage({opened, language, preference}: {
    opened: OpenedShare; language: UiLanguage; preference: readonly string[];
  }): Promise<SharePageView> {
    const {record} = opened;
    const {shareId} = record;
    const [report, organisation] = await Promise.all([
      verifyDocument(opened.documents[record.format]!, language) as Promise<CredentialReport>,
      orgs.getOrganisation(record.orgId.toHexString())
    ]);
    const read = (credential: Record<string, unknown>) => readFacts({credential, preference});
    const facts = read(report.credential ?? {});
    const issuerName = pickText(organisation.name, preference).text;
    const title = facts.title ?? {text: report.summary.unitTitle ?? '', lang: language};
    const shareUrl = `${publicBaseUrl}/c/${shareId}`;
    return {
      shareId, shareUrl, title, description: facts.description, learnerName: report.summary.learnerName,
      identity: identityRows({summary: report.summary, issuerName, language}),
      facts: factRows({facts, language}), outcomes: facts.outcomes,
      result: credentialResult({report, language, checkedAt: now(), readFacts: read}),
      formats: (['di', 'jwt'] as const).filter(format => opened.documents[format] !== undefined),
      qrSvg: await qrCodeSvg({text: shareUrl, labelledBy: 'qr-caption'}),
      linkedInUrl: linkedInAddToProfileUrl({name: title.text, organizationName: issuerName,
        issuedAt: record.issuedAt, validUntil: record.validUntil, certUrl: shareUrl,
        certId: record.credentialId})
    };
  }

  /**
   * The verifier's result for a share link.
   *
   * @returns the result; an unknown, withdrawn or erased link is a verdict, not an error.
   */
  async function verifyShared({shareId, language, preference}: {
    shareId: string; language: UiLanguage; preference: readonly string[];
  }): Promise<ResultView> {
    const found = await credentials.findShared(shareId);
    if(!found) {
      return verdictOnly({kind: 'share-not-found', language});
    }
    if(found.document === undefined) {
      return verdictOnly({kind: 'share-erased', language});
    }
    const report = await verifyDocument(found.document, language);
    return resultView({report, language, checkedAt: now(),
      readFacts: credential => readFacts({credential, preference})});
  }

  /**
   * The verifier's result for what a person pasted or dropped: a credential or presentation
   * (JSON or JWT), or a share link.
   *
   * @returns the result; empty or unreadable text is a verdict, not an error.
   */
  async function verifyText({text = '', language, preference}: {
    text?: string; language: UiLanguage; preference: readonly string[];
  }): Promise<ResultView> {
    const input = text.trim();
    if(input === '') {
      return verdictOnly({kind: 'empty', language});
    }
    if(/^https?:\/\//i.test(input)) {
      const shareId = shareIdOf(input);
      return shareId ? verifyShared({shareId, language, preference}) :
        verdictOnly({kind: 'unsupported-link', language});
    }
    let report: VerificationReport;
    try {
      report = await verification.verifyRequest({body: input, query: {lang: language}});
    } catch(error) {
      if(error instanceof UnparseableInput) {
        return verdictOnly({kind: 'unknown-format', language});
      }
      throw error;
    }
    return resultView({report, language, checkedAt: now(),
      readFacts: credential => readFacts({credential, preference})});
  }

  return {openShare, sharedDocument, sharePage, verifyShared, verifyText};
}

export type WebService = ReturnType<typeof createWebService>;
