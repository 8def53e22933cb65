/**
 * Issuing credentials: one achievement → a signed credential of a profile (ob3, edc) in a format
 * (di, jwt). The story of `issueCredential`: load the unit version, learner, issuer and signing
 * key → allocate a status index per purpose → build the profile document → sign (worker pool) →
 * store it exactly as issued. Nothing half-issued is ever visible: the stored credential is the
 * last step; a failure before it only burns the two status indexes (never reused).
 *
 * Speed: the caller may pass the unit version and learner it has just loaded, so they are not
 * read twice; the organisation's issuer profile (names, country, contact — set at creation and
 * not changed by the API) is remembered for ORGANISATION_CACHE_MS; the stores are inserts,
 * batched with the concurrent issuances' (platform/insert-batcher.ts).
 */
import {randomBytes, randomUUID} from 'node:crypto';

import {LRUCache} from 'lru-cache';
import {Types} from 'mongoose';

import type {AchievementRecord} from '../achievements/model.js';
import type {CatalogService, IssuableUnitVersion} from '../catalog/index.js';
import type {KeyService} from '../keys/index.js';
import type {LearnerService, LearnerWithIdentity} from '../learners/index.js';
import type {Organisation, OrgService} from '../orgs/index.js';
import {isDuplicateKeyError} from '../platform/db.js';
import {Conflict, NotFound, Unprocessable} from '../platform/errors.js';
import {createInsertBatcher} from '../platform/insert-batcher.js';
import type {StatusAllocator} from '../status/allocation.js';
import {statusListUrl} from '../status/service.js';
import type {CredentialDocumentRecord, CredentialLookupRecord, CredentialModels, CredentialRecord, Format,
  Profile} from './model.js';
import {type CountryCode, type CredentialInput, hashIdentity, PROFILE_BUILDERS} from './profiles/index.js';
import type {Signer} from './signing/index.js';
import {createSuppliedCredentialIssuer} from './supplied.js';

/** The format each profile is issued in unless the request names one. */
export const DEFAULT_FORMAT: Readonly<Record<Profile, Format>> = {ob3: 'di', edc: 'jwt'};
/** Profile × format combinations carecred issues (EDC has no JSON-LD context to sign over). */
const SUPPORTED: ReadonlySet<string> = new Set(['ob3:di', 'ob3:jwt', 'edc:jwt']);
/** How long an organisation's issuer profile is reused for new credentials. */
const ORGANISATION_CACHE_MS = 10_000;

/** A credential as the API shows it. */
export interface CredentialResource {
  id: string;
  achievementId: string;
  learnerId: string;
  unitId: string;
  unitVersion: number;
  profile: Profile;
  format: Format;
  credentialId: string;
  issuerDid: string;
  verificationMethod: string;
  issuedAt: string;
  validUntil?: string;
  status: CredentialRecord['status'];
  statusReason?: string;
  statusChangedAt?: string;
  shareUrl: string;
  shareWithdrawn?: boolean;
  credential?: object | string;
  erased?: boolean;
}

/** Filters of `listCredentials`. */
export interface CredentialFilter {
  learnerId?: string;
  unitId?: string;
  achievementId?: string;
  status?: CredentialRecord['status'];
  profile?: Profile;
  issuedFrom?: string;
  issuedTo?: string;
  cursor?: string;
  limit?: number;
}

function addMonths(date: Date, months: number): Date {
  const result = new Date(date);
  result.setUTCMonth(result.getUTCMonth() + months);
  return result;
}

/** Seconds precision: XML Schema dateTimeStamp without milliseconds, as most VC tooling expects. */
function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/**
 * Maps a stored credential to its API shape.
 *
 * @returns the resource (the document parsed back to JSON for Data Integrity credentials).
 */
export function toCredentialResource(record: CredentialRecord, publicBaseUrl: string,
  {document, shareWithdrawn}: {document?: string; shareWithdrawn?: boolean} = {}): CredentialResource {
  const resource: CredentialResource = {
    id: record._id.toHexString(), achievementId: record.achievementId.toHexString(),
    learnerId: record.learnerId.toHexString(), unitId: record.unitId.toHexString(),
    unitVersion: record.unitVersion, profile: record.profile, format: record.format,
    credentialId: record.credentialId, issuerDid: record.issuerDid,
    verificationMethod: record.verificationMethod, issuedAt: record.issuedAt.toISOString(),
    status: record.status, shareUrl: `${publicBaseUrl}/c/${record.shareId}`
  };
  if(record.validUntil) {
    resource.validUntil = record.validUntil.toISOString();
  }
  if(record.statusReason) {
    resource.statusReason = record.statusReason;
  }
  if(record.statusChangedAt) {
    resource.statusChangedAt = record.statusChangedAt.toISOString();
  }
  if(shareWithdrawn) {
    resource.shareWithdrawn = true;
  }
  if(document !== undefined) {
    resource.credential = record.format === 'di' ? JSON.parse(document) as object : document;
  } else if(record.erasedAt) {
    resource.erased = true;
  }
  return resource;
}

/**
 * Creates the credential service.
 *
 * @returns the service functions.
 */
export function createCredentialService({models, catalog, learners, orgs, keys, allocator, signer,
  publicBaseUrl}: {
  models: CredentialModels; catalog: CatalogService; learners: LearnerService; orgs: OrgService;
  keys: KeyService; allocator: StatusAllocator; signer: Signer; publicBaseUrl: string;
}) {
  const {Credential, CredentialDocument, CredentialLookup} = models;
  const stores = {document: createInsertBatcher(CredentialDocument),
    lookup: createInsertBatcher(CredentialLookup), credential: createInsertBatcher(Credential)};
  const organisations = new LRUCache<string, Organisation>({max: 1000, ttl: ORGANISATION_CACHE_MS});

  async function organisationOf(orgId: string): Promise<Organisation> {
    const cached = organisations.get(orgId);
    if(cached) {
      return cached;
    }
    const organisation = await orgs.getOrganisation(orgId);
    organisations.set(orgId, organisation);
    return organisation;
  }

  function liveSlot(achievementId: Types.ObjectId, profile: Profile, format: Format): string {
    return `${achievementId.toHexString()}:${profile}:${format}`;
  }

  function learnerForCredential(learner: LearnerWithIdentity): CredentialInput['learner'] {
    return {
      givenName: learner.givenName, familyName: learner.familyName,
      ...(learner.did ? {did: learner.did} : {}),
      ...(learner.email ? {emailIdentity: hashIdentity({identity: learner.email,
        salt: learner.identitySalt})} : {}),
      ...(learner.externalId ? {externalId: learner.externalId} : {})
    };
  }

  /** Signs the built document in the requested format; returns the stored text. */
  async function secure({credential, format, key, profile}: {
    credential: Record<string, unknown>; format: Format; key: Parameters<Signer['signJwt']>[0]['key'];
    profile: Profile;
  }): Promise<string> {
    if(format === 'jwt') {
      return signer.signJwt({credential, key});
    }
    const signed = await signer.signDataIntegrity({credential, key});
    // Open Badges 3.0's schema types `proof` as an array; the signature is the same either way.
    return JSON.stringify(profile === 'ob3' ? {...signed, proof: [signed.proof]} : signed);
  }

  /**
   * Issues one credential for an achievement.
   *
   * @param options.loaded - the achievement's unit version and learner when the caller has just
   *   loaded them (they are read otherwise).
   * @throws {Unprocessable} for an unsupported profile/format; {Conflict} when a live credential of
   *   this profile and format exists; the catalog's and learners' errors for an unit that is no
   *   longer issuable or an erased learner.
   */
  async function issueCredential({orgId, achievement, profile, format = DEFAULT_FORMAT[profile],
    language, loaded}: {
    orgId: string; achievement: AchievementRecord; profile: Profile; format?: Format; language?: string;
    loaded?: {unit: IssuableUnitVersion; learner: LearnerWithIdentity};
  }): Promise<{record: CredentialRecord; document: string}> {
    if(!SUPPORTED.has(`${profile}:${format}`)) {
      throw new Unprocessable(`The ${profile} profile is not issued in the ${format} format; ` +
        'use ob3 with di or jwt, or edc with jwt.', 'unsupported-format');
    }
    const slot = liveSlot(achievement._id, profile, format);
    const [unit, learner, organisation, key, revocation, suspension] = await Promise.all([
      loaded?.unit ?? catalog.getIssuableVersion({orgId, unitId: achievement.unitId.toHexString(),
        version: achievement.unitVersion}),
      loaded?.learner ?? learners.getLearner({orgId, learnerId: achievement.learnerId.toHexString()}),
      organisationOf(orgId),
      keys.getActiveKey(orgId),
      allocator.allocateStatusIndex({orgId, purpose: 'revocation'}),
      allocator.allocateStatusIndex({orgId, purpose: 'suspension'})
    ]);
    const issuedAt = wholeSeconds(new Date());
    const validityMonths = unit.content.credentialValidityMonths;
    const validUntil = validityMonths ? addMonths(issuedAt, validityMonths) : undefined;
    const input: CredentialInput = {
      credentialId: `urn:uuid:${randomUUID()}`, issuedAt, publicBaseUrl,
      issuer: {did: key.controller, name: organisation.name, country: organisation.country as CountryCode,
        ...(organisation.region ? {region: organisation.region} : {}),
        ...(organisation.url ? {url: organisation.url} : {}),
        ...(organisation.email ? {email: organisation.email} : {})},
      unit: {unitId: unit.unitId, version: unit.version, publicUrl: unit.publicUrl, content: unit.content},
      learner: learnerForCredential(learner),
      achievement: {id: achievement._id.toHexString(), achievedAt: achievement.achievedAt,
        ...(achievement.grade ? {grade: achievement.grade} : {}),
        ...(achievement.evidenceUrl ? {evidenceUrl: achievement.evidenceUrl} : {}),
        ...(achievement.assessor ? {assessor: achievement.assessor} : {})},
      status: {
        revocation: {statusListIndex: revocation.index, statusListCredential: statusListUrl(
          {publicBaseUrl, orgSlug: organisation.slug, purpose: 'revocation', listId: revocation.listId})},
        suspension: {statusListIndex: suspension.index, statusListCredential: statusListUrl(
          {publicBaseUrl, orgSlug: organisation.slug, purpose: 'suspension', listId: suspension.listId})}
      },
      ...(language ?? achievement.language ? {language: language ?? achievement.language} : {}),
      // EDC images (~20 ms of CPU each) render on the signing worker threads.
      renderImage: content => signer.renderImage(content)
    };
    const built = await PROFILE_BUILDERS[profile](input);
    const document = await secure({credential: built, format, key, profile});
    const id = new Types.ObjectId();
    const shareId = randomBytes(16).toString('base64url');
    const at = new Date();
    // Document and lookups first (invisible until the metadata exists), metadata last.
    await Promise.all([stores.document.insert({_id: id, document}),
      stores.lookup.insert({_id: `share:${shareId}`, credential: id, at}),
      stores.lookup.insert({_id: `vc:${input.credentialId}`, credential: id, at})]);
    try {
      const created = await stores.credential.insert({
        _id: id, orgId: new Types.ObjectId(orgId), achievementId: achievement._id,
        learnerId: achievement.learnerId, unitId: achievement.unitId, unitVersion: achievement.unitVersion,
        profile, format, credentialId: input.credentialId, issuerDid: key.controller, keyId: key._id,
        verificationMethod: format === 'jwt' ? key.jwkId : key.multikeyId, issuedAt, validUntil,
        status: 'active', statusSeq: 0,
        revocationListId: revocation.listId, revocationIndex: revocation.index,
        suspensionListId: suspension.listId, suspensionIndex: suspension.index,
        shareId, liveSlot: slot
      });
      return {record: created, document};
    } catch(error) {
      if(isDuplicateKeyError(error)) {
        await discardOrphans(id, [`share:${shareId}`, `vc:${input.credentialId}`]);
        throw new Conflict(`A live ${profile} ${format} credential exists for this achievement; ` +
          'revoke it before issuing another.');
      }
      throw error;
    }
  }

  /** Removes what an issuance that lost its race wrote before its metadata (best effort). */
  async function discardOrphans(id: Types.ObjectId, lookups: string[]): Promise<void> {
    await Promise.all([CredentialDocument.deleteOne({_id: id}),
      CredentialLookup.deleteMany({_id: {$in: lookups}})]).catch(() => undefined);
  }

  /** A credential of the organisation by id (an `_id` lookup; the org is checked in code). */
  async function findCredential({orgId, credentialId}: {orgId: string; credentialId: string}):
    Promise<CredentialRecord | undefined> {
    const record = Types.ObjectId.isValid(credentialId) ?
      await Credential.findById(credentialId).lean<CredentialRecord>() : null;
    return record && record.orgId.toHexString() === orgId ? record : undefined;
  }

  /** The stored document of a credential; undefined after erasure. */
  async function documentOf(id: Types.ObjectId): Promise<string | undefined> {
    return (await CredentialDocument.findById(id).lean<CredentialDocumentRecord>())?.document;
  }

  /** Whether the credential's share link was withdrawn. */
  async function isShareWithdrawn(shareId: string): Promise<boolean> {
    return Boolean(await CredentialLookup.findById(`withdrawn:${shareId}`).lean());
  }

  /** A credential by the `id` inside the signed document (a `vc:` lookup). */
  async function findByCredentialUri(uri: string): Promise<CredentialRecord | undefined> {
    const lookup = await CredentialLookup.findById(`vc:${uri}`).lean<CredentialLookupRecord>();
    return lookup ? await Credential.findById(lookup.credential).lean<CredentialRecord>() ?? undefined :
      undefined;
  }

  /** The live credentials of an achievement (what a retry must not issue again). */
  async function liveCredentialsOf({orgId, achievementId}: {orgId: string; achievementId: Types.ObjectId}):
    Promise<CredentialRecord[]> {
    return Credential.find({orgId, achievementId, status: {$ne: 'revoked'}}).sort({_id: 1})
      .lean<CredentialRecord[]>();
  }

  /** Every credential of an achievement, oldest first. */
  async function credentialsOf({orgId, achievementId}: {orgId: string; achievementId: Types.ObjectId}):
    Promise<CredentialRecord[]> {
    return Credential.find({orgId, achievementId}).sort({_id: 1}).lean<CredentialRecord[]>();
  }

  /** The organisation's credentials, newest first, with filters and an id cursor. */
  async function listCredentials({orgId, filter}: {orgId: string; filter: CredentialFilter}):
    Promise<{items: CredentialRecord[]; next?: string}> {
    const query: Record<string, unknown> = {orgId: new Types.ObjectId(orgId)};
    for(const field of ['learnerId', 'unitId', 'achievementId'] as const) {
      if(filter[field]) {
        query[field] = new Types.ObjectId(filter[field]);
      }
    }
    if(filter.status) {
      query.status = filter.status;
    }
    if(filter.profile) {
      query.profile = filter.profile;
    }
    if(filter.issuedFrom || filter.issuedTo) {
      query.issuedAt = {...(filter.issuedFrom ? {$gte: new Date(filter.issuedFrom)} : {}),
        ...(filter.issuedTo ? {$lt: new Date(filter.issuedTo)} : {})};
    }
    if(filter.cursor) {
      query._id = {$lt: new Types.ObjectId(filter.cursor)};
    }
    const limit = filter.limit ?? 50;
    const records = await Credential.find(query).sort({_id: -1}).limit(limit + 1).lean<CredentialRecord[]>();
    const items = records.slice(0, limit);
    return {items, ...(records.length > limit ? {next: items.at(-1)!._id.toHexString()} : {})};
  }

  /** The credential behind a share link, with its document; undefined when unknown or withdrawn. */
  async function findShared(shareId: string):
    Promise<{record: CredentialRecord; document?: string} | undefined> {
    const lookup = await CredentialLookup.findById(`share:${shareId}`).lean<CredentialLookupRecord>();
    if(!lookup || await isShareWithdrawn(shareId)) {
      return undefined;
    }
    const record = await Credential.findById(lookup.credential).lean<CredentialRecord>();
    return record ? {record, document: await documentOf(record._id)} : undefined;
  }

  /**
   * Withdraws a credential's share link (the credential itself stays valid).
   *
   * @throws {NotFound}
   */
  async function withdrawShare({orgId, credentialId}: {orgId: string; credentialId: string}):
    Promise<void> {
    const record = await findCredential({orgId, credentialId});
    if(!record) {
      throw new NotFound('Credential', credentialId);
    }
    await CredentialLookup.create({_id: `withdrawn:${record.shareId}`, credential: record._id, at: new Date()})
      .catch((error: unknown) => {
        if(!isDuplicateKeyError(error)) {
          throw error;
        }
      });
  }

  /**
   * Erasure: deletes the stored documents (they hold the learner's name) of a learner's
   * credentials; metadata, status and list positions stay so status keeps being served.
   */
  async function eraseDocumentsOf({orgId, learnerId}: {orgId: string; learnerId: string}): Promise<void> {
    const records = await Credential.find({orgId: new Types.ObjectId(orgId),
      learnerId: new Types.ObjectId(learnerId)}).lean<CredentialRecord[]>();
    if(records.length === 0) {
      return;
    }
    await Credential.updateMany({_id: {$in: records.map(record => record._id)}},
      {$set: {erasedAt: new Date()}});
    await CredentialDocument.deleteMany({_id: {$in: records.map(record => record._id)}});
  }

  /** A credential with what its API view needs (document, share state). */
  async function withDetails(record: CredentialRecord): Promise<CredentialResource> {
    const [document, shareWithdrawn] = await Promise.all([documentOf(record._id),
      isShareWithdrawn(record.shareId)]);
    return toCredentialResource(record, publicBaseUrl, {document, shareWithdrawn});
  }

  return {...createSuppliedCredentialIssuer({signer, keys}), issueCredential, liveCredentialsOf,
    credentialsOf, listCredentials, findCredential, documentOf, findByCredentialUri, findShared,
    withdrawShare, eraseDocumentsOf, withDetails};
}

export type CredentialService = ReturnType<typeof createCredentialService>;
