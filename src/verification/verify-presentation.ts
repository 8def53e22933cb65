/**
 * Presentations: the holder's proof (Data Integrity `authentication` proof, or a VC-JOSE `vp+jwt`
 * signed with a key the holder lists under `authentication`), the expected challenge and domain
 * (Data Integrity `proof.challenge`/`proof.domain`; for JOSE the `nonce` and `aud` claims), and
 * every credential inside — embedded Data Integrity credentials and `EnvelopedVerifiableCredential`
 * data: URLs alike — each with a full credential report.
 *
 * Without an expected challenge the challenge check is a warning (a replay cannot be excluded);
 * the proof itself is still verified against the challenge it carries.
 */
import type {DidResolver} from '../platform/jsonld/document-loader.js';
import type {DataIntegrityVerifier, ProofOutcome} from './data-integrity.js';
import {checkDataModel} from './data-model.js';
import {UnparseableInput} from './errors.js';
import {isExpectedTyp, type ParsedInput, parseInput} from './parse.js';
import {fail, isVerified, pass, skipAll, warn} from './report.js';
import type {Check, CredentialReport, PresentationFormat, PresentationReport} from './types.js';
import {verifyJws} from './vc-jose.js';

type Json = Record<string, unknown>;
type CredentialInput = Extract<ParsedInput, {kind: 'credential'}>;
type PresentationInput = Extract<ParsedInput, {kind: 'presentation'}>;

const PRESENTATION_CHECKS = ['presentation.format', 'presentation.proof', 'presentation.challenge',
  'presentation.domain'] as const;

function values(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function idOf(value: unknown): string | undefined {
  const id = typeof value === 'object' && value !== null ? (value as Json).id : value;
  return typeof id === 'string' ? id : undefined;
}

function firstProof(document: Json): Json {
  return (values(document.proof)[0] ?? {}) as Json;
}

function joseProblems(parsed: PresentationInput): string[] {
  if(parsed.format !== 'vp-jwt') {
    return [];
  }
  const {header, document} = parsed;
  const problems: string[] = [];
  if(!isExpectedTyp(header.typ, 'presentation')) {
    problems.push(`The JWS "typ" ${String(header.typ)} is not a presentation type (vp+jwt).`);
  }
  if('vp' in document && !('@context' in document)) {
    problems.push('This is a VC Data Model 1.1 JWT presentation (a "vp" claim); only VC-JOSE is supported.');
  }
  if(document.iss !== undefined && document.holder !== undefined && document.iss !== idOf(document.holder)) {
    problems.push('The JWT "iss" claim differs from the presentation\'s holder.');
  }
  return problems;
}

function checkPresentationFormat(parsed: PresentationInput): Check {
  const {violations} = checkDataModel({document: parsed.document, kind: 'presentation',
    embeddedProof: parsed.format === 'vp-di'});
  const problems = [...joseProblems(parsed), ...violations.map(v => `${v.message} (${v.section})`)];
  return problems.length > 0 ?
    fail('presentation.format', 'data-model-violation', 'The presentation does not conform to the W3C ' +
      `Verifiable Credentials Data Model: ${problems.length} problem(s).`, problems) :
    pass('presentation.format', 'conforming', `A W3C Verifiable Presentation secured with ` +
      `${parsed.format === 'vp-di' ? 'Data Integrity' : 'VC-JOSE (JWT)'}.`);
}

function checkChallenge(actual: unknown, expected: string | undefined): Check {
  if(expected === undefined) {
    return warn('presentation.challenge', 'challenge-not-checked', 'No expected challenge was given, so a ' +
      'replay of this presentation cannot be excluded.');
  }
  return actual === expected ? pass('presentation.challenge', 'challenge-matches', 'The challenge matches.') :
    fail('presentation.challenge', 'challenge-mismatch', 'The presentation was made for another challenge ' +
      '(it may be a replay).');
}

function checkDomain(actual: unknown, expected: string | undefined): Check {
  const domains = values(actual).map(String);
  if(expected === undefined) {
    return domains.length === 0 ? pass('presentation.domain', 'domain-none', 'The presentation names no domain.') :
      warn('presentation.domain', 'domain-not-checked', `The presentation is meant for ${domains.join(', ')}; ` +
        'no expected domain was given.');
  }
  return domains.includes(expected) ? pass('presentation.domain', 'domain-matches', 'The domain matches.') :
    fail('presentation.domain', 'domain-mismatch', `The presentation is meant for another domain than ${expected}.`);
}

/** A report for an entry of `verifiableCredential` that cannot be read. */
function unreadableCredential(reason: string): CredentialReport {
  return {
    kind: 'credential', verified: false, format: 'vc-di', summary: {issuerRegistered: false},
    checks: [fail('format', 'unparseable', reason), ...skipAll(['signature', 'issuer', 'status.revocation',
      'status.suspension', 'validity.validFrom', 'validity.validUntil', 'schema'], 'the credential cannot be read.')]
  };
}

/**
 * Creates the presentation verifier.
 *
 * @param options.verifyParsedCredential - the credential pipeline, for each credential inside.
 */
export function createPresentationVerifier({dataIntegrity, resolveDid, verifyParsedCredential}: {
  dataIntegrity: DataIntegrityVerifier; resolveDid: DidResolver;
  verifyParsedCredential: (parsed: CredentialInput, language?: string) => Promise<CredentialReport>;
}) {
  async function checkProof(parsed: PresentationInput, holder: string | undefined): Promise<Check> {
    let outcome: ProofOutcome;
    if(parsed.format === 'vp-di') {
      outcome = await dataIntegrity.verifyPresentationProof({presentation: parsed.document});
    } else if(!holder) {
      return fail('presentation.proof', 'holder-missing', 'The presentation names no holder ("holder" or ' +
        '"iss"), so its signing key cannot be found.');
    } else {
      outcome = await verifyJws({jwt: parsed.jwt, header: parsed.header, signer: holder,
        relationship: 'authentication', resolveDid});
    }
    if(!outcome.valid) {
      return fail('presentation.proof', outcome.code, outcome.message);
    }
    const signer = outcome.verificationMethod?.split('#')[0];
    if(holder && signer && signer !== holder) {
      return fail('presentation.proof', 'holder-mismatch', `The presentation was signed by ${signer}, ` +
        `not by its holder ${holder}.`);
    }
    return pass('presentation.proof', 'proof-valid', `The holder's signature is valid (${signer ?? 'holder'}).`);
  }

  async function verifyCredentials(document: Json, language?: string): Promise<CredentialReport[]> {
    return Promise.all(values(document.verifiableCredential).map(async entry => {
      let parsed: ParsedInput;
      try {
        parsed = parseInput(entry);
      } catch(error) {
        return unreadableCredential(error instanceof UnparseableInput ? error.detail : 'unreadable');
      }
      return parsed.kind === 'credential' ? verifyParsedCredential(parsed, language) :
        unreadableCredential('A presentation is not allowed inside a presentation.');
    }));
  }

  /** Verifies a parsed presentation; never throws for a bad one. */
  async function verifyParsedPresentation({parsed, challenge, domain, language}: {
    parsed: ParsedInput; challenge?: string; domain?: string; language?: string;
  }): Promise<PresentationReport> {
    const input: PresentationInput = parsed.kind === 'presentation' ? parsed :
      {kind: 'presentation', format: 'vp-di', document: parsed.document};
    const {document} = input;
    const holder = idOf(document.holder) ?? (input.format === 'vp-jwt' ? idOf(document.iss) : undefined);
    const format = checkPresentationFormat(input);
    const checks = format.passed ? [format, await checkProof(input, holder),
      checkChallenge(input.format === 'vp-di' ? firstProof(document).challenge : document.nonce, challenge),
      checkDomain(input.format === 'vp-di' ? firstProof(document).domain : document.aud, domain)] :
      [format, ...skipAll(PRESENTATION_CHECKS.slice(1), 'the presentation does not conform to the data model.')];
    if(checks[1]!.severity === 'error') {
      checks.splice(2, 2, ...skipAll(PRESENTATION_CHECKS.slice(2), 'the holder\'s signature is not valid.'));
    }
    const credentials = await verifyCredentials(document, language);
    return {
      kind: 'presentation', format: input.format as PresentationFormat, checks,
      verified: isVerified(checks, PRESENTATION_CHECKS) && credentials.every(report => report.verified),
      ...(holder ? {holder} : {}), credentials, presentation: document
    };
  }

  return {verifyParsedPresentation};
}
