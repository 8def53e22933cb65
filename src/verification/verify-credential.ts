/**
 * The verification engine: `createVerifier(deps)` returns functions that turn an input into a
 * report. The story of one credential: parse → format (data model) → issuer (DID resolves;
 * registered?) → signature (status checked right after a valid signature) → validity → schema.
 *
 * A bad credential never throws: it gives `verified: false` with the failing checks, and every
 * check after a fatal one (format, signature) is reported as skipped, not as passed. Only input
 * that cannot be read at all throws (`UnparseableInput`, a 400), and so do failures of carecred's
 * own infrastructure (a database that does not answer is not a property of the credential).
 */
import {LRUCache} from 'lru-cache';

import type {DidResolver, DocumentLoader} from '../platform/jsonld/document-loader.js';
import {createDataIntegrityVerifier} from './data-integrity.js';
import {checkDataModel} from './data-model.js';
import {checkIssuer, issuerIdOf} from './issuer.js';
import {isExpectedTyp, type ParsedInput, parseInput} from './parse.js';
import {fail, isVerified, pass, skipAll} from './report.js';
import type {FetchRemote} from './safe-fetch.js';
import {checkSchema} from './schema.js';
import {createStatusChecker, type StatusChecks, type VerifyListCredential} from './status.js';
import {type DecodeStatusList, decodeStatusListLocally} from './status-list.js';
import {summarise} from './summary.js';
import type {Check, CheckOwnCredential, CheckOwnStatus, CredentialReport, LookupIssuer, RegisteredIssuer,
  ValidateSchema, VerificationReport} from './types.js';
import {checkValidity} from './validity.js';
import {verifyJws} from './vc-jose.js';
import {createPresentationVerifier} from './verify-presentation.js';

type CredentialInput = Extract<ParsedInput, {kind: 'credential'}>;

/** What the engine is built from (all injected, so the integrator decides each source). */
export interface VerifierDependencies {
  /** The one JSON-LD document loader (contexts, and DIDs through `resolveDid`). */
  documentLoader: DocumentLoader;
  /** DID → DID document: own from the database, did:key locally, foreign did:web fetched. */
  resolveDid: DidResolver;
  /** Reads a status bit of one of carecred's own lists (the status module). */
  checkOwnStatus: CheckOwnStatus;
  /** The status of a credential carecred issued, by its id (the status module). */
  checkOwnCredential?: CheckOwnCredential;
  /** The safe fetcher (foreign status list credentials). */
  fetchRemote: FetchRemote;
  /** Validates against the profile's official schema. */
  validateSchema: ValidateSchema;
  /** Tells whether carecred knows an issuer DID, and its registered name. */
  lookupIssuer: LookupIssuer;
  /** PUBLIC_BASE_URL: status lists under `${publicBaseUrl}/status/` are carecred's own. */
  publicBaseUrl: string;
  /** The clock (tests fix it). */
  now?: () => Date;
  /** Tolerance on validity dates. */
  clockSkewMs?: number;
  /** Decoder of `encodedList` (swap in src/status/bitstring.ts). */
  decodeStatusList?: DecodeStatusList;
  /** How long an answer of `lookupIssuer` is reused (0 = always ask). */
  issuerCacheTtlMs?: number;
}

/** Options of one verification. */
export interface VerifyOptions {
  /** A credential or presentation: a JSON object, or a string (JSON, compact JWS, data: URL). */
  input: unknown;
  /** Expected presentation challenge (VP only). */
  challenge?: string;
  /** Expected presentation domain (VP only). */
  domain?: string;
  /** Two-letter language for the summary's texts; default `en`. */
  language?: string;
}

const AFTER_FORMAT = ['signature', 'issuer', 'status.revocation', 'status.suspension',
  'validity.validFrom', 'validity.validUntil', 'schema'] as const;
const AFTER_SIGNATURE = ['status.revocation', 'status.suspension', 'validity.validFrom',
  'validity.validUntil', 'schema'] as const;
const ESSENTIAL = ['format', 'signature', 'issuer', 'status.revocation', 'status.suspension',
  'validity.validFrom', 'validity.validUntil'] as const;

/** JOSE header and claim checks of a VC-JOSE credential (VC-JOSE-COSE §3.1.1). */
function joseProblems(parsed: CredentialInput): string[] {
  if(parsed.format !== 'vc-jwt') {
    return [];
  }
  const {header, document} = parsed;
  const problems: string[] = [];
  if(!isExpectedTyp(header.typ, 'credential')) {
    problems.push(`The JWS "typ" ${String(header.typ)} is not a credential type (vc+jwt).`);
  }
  if(header.b64 === false) {
    problems.push('Unencoded JWS payloads (b64: false) are not accepted.');
  }
  if('vc' in document && !('@context' in document)) {
    problems.push('This is a VC Data Model 1.1 JWT (a "vc" claim); only VC-JOSE (the payload is the ' +
      'credential) is supported.');
  }
  if(document.iss !== undefined && document.iss !== issuerIdOf(document)) {
    problems.push('The JWT "iss" claim differs from the credential\'s issuer.');
  }
  for(const claim of ['exp', 'nbf', 'iat']) {
    if(document[claim] !== undefined && typeof document[claim] !== 'number') {
      problems.push(`The JWT "${claim}" claim must be a number of seconds.`);
    }
  }
  return problems;
}

/** The `format` check: what was received, and every data model MUST it breaks. */
export function checkFormat(parsed: CredentialInput): {check: Check; version?: 1 | 2} {
  const {version, violations} = checkDataModel({document: parsed.document, kind: 'credential',
    embeddedProof: parsed.format === 'vc-di'});
  const problems = [...joseProblems(parsed), ...violations.map(v => `${v.message} (${v.section})`)];
  if(problems.length > 0) {
    return {version, check: fail('format', 'data-model-violation', 'The credential does not conform to ' +
      `the W3C Verifiable Credentials Data Model: ${problems.length} problem(s).`, problems)};
  }
  const securing = parsed.format === 'vc-di' ? 'Data Integrity' : 'VC-JOSE (JWT)';
  return {version, check: pass('format', 'conforming', `A W3C Verifiable Credential (Data Model ` +
    `${version === 1 ? '1.1' : '2.0'}) secured with ${securing}.`)};
}

/** Remembers the registry's answers briefly: every verification asks, the answer rarely changes. */
function cacheIssuerLookup(lookupIssuer: LookupIssuer, ttlMs: number): LookupIssuer {
  if(ttlMs <= 0) {
    return lookupIssuer;
  }
  const cache = new LRUCache<string, {issuer?: RegisteredIssuer}>({max: 1000, ttl: ttlMs});
  return async did => {
    const hit = cache.get(did);
    if(hit) {
      return hit.issuer;
    }
    const issuer = await lookupIssuer(did);
    cache.set(did, {issuer});
    return issuer;
  };
}

/**
 * Creates the verification engine.
 *
 * @returns `verify` (credential or presentation), `verifyCredential` and `verifyPresentation`.
 * @throws {TypeError} when a dependency is missing.
 */
export function createVerifier(dependencies: VerifierDependencies) {
  const {documentLoader, resolveDid, checkOwnStatus, checkOwnCredential, fetchRemote, validateSchema,
    lookupIssuer, publicBaseUrl, now = () => new Date(), clockSkewMs = 60_000,
    decodeStatusList = decodeStatusListLocally, issuerCacheTtlMs = 10_000} = dependencies;
  for(const [name, value] of Object.entries({documentLoader, resolveDid, checkOwnStatus, fetchRemote,
    validateSchema, lookupIssuer})) {
    if(typeof value !== 'function') {
      throw new TypeError(`"${name}" must be a function.`);
    }
  }
  const dataIntegrity = createDataIntegrityVerifier({documentLoader});
  const lookupRegisteredIssuer = cacheIssuerLookup(lookupIssuer, issuerCacheTtlMs);
  const status = createStatusChecker({publicBaseUrl, checkOwnStatus, checkOwnCredential, fetchRemote,
    decodeStatusList,
    verifyListCredential: (fetched => verifyListCredential(fetched)) as VerifyListCredential});

  /** The proof of a credential; `afterValid` runs once the proof is valid (status). */
  async function checkSignature(parsed: CredentialInput, issuer: string, afterValid: () => Promise<void>):
    Promise<Check> {
    const outcome = parsed.format === 'vc-di' ?
      await dataIntegrity.verifyCredentialProof({credential: parsed.document, checkStatus: afterValid}) :
      await verifyJws({jwt: parsed.jwt, header: parsed.header, signer: issuer,
        relationship: 'assertionMethod', resolveDid});
    if(!outcome.valid) {
      return fail('signature', outcome.code, outcome.message);
    }
    if(parsed.format === 'vc-jwt') {
      await afterValid();
    }
    return pass('signature', 'signature-valid', `The signature is valid (key ${outcome.verificationMethod ?? 'of the issuer'}).`);
  }

  /** Format, issuer and signature: enough to trust the content (status lists need no more). */
  async function verifySecured(parsed: CredentialInput, onValid: (issuer: string) => Promise<void>):
    Promise<{checks: Check[]; issuer?: string; registered?: RegisteredIssuer; version?: 1 | 2}> {
    const format = checkFormat(parsed);
    const issuer = issuerIdOf(parsed.document);
    if(!format.check.passed || !issuer) {
      return {checks: [format.check, ...skipAll(AFTER_FORMAT, 'the credential does not conform to the data model.')]};
    }
    const issuerResult = await checkIssuer({issuer, resolveDid, lookupIssuer: lookupRegisteredIssuer});
    const signature = await checkSignature(parsed, issuer, () => onValid(issuer));
    return {checks: [format.check, signature, issuerResult.check], issuer,
      registered: issuerResult.registered, version: format.version};
  }

  async function verifyListCredential(fetched: {json?: unknown; text: string}):
    ReturnType<VerifyListCredential> {
    let parsed: ParsedInput;
    try {
      parsed = parseInput(fetched.json ?? fetched.text);
    } catch {
      return {valid: false, reason: 'it is not a credential'};
    }
    if(parsed.kind !== 'credential') {
      return {valid: false, reason: 'it is not a credential'};
    }
    const {checks, issuer} = await verifySecured(parsed, async () => undefined);
    const {validFrom, validUntil} = checkValidity({credential: parsed.document,
      jwtClaims: parsed.format === 'vc-jwt', now: now(), clockSkewMs});
    const failed = [...checks, validFrom, validUntil].find(check => !check.passed && check.severity === 'error');
    return failed || !issuer ? {valid: false, reason: failed?.message ?? 'no issuer'} :
      {valid: true, document: parsed.document, issuer};
  }

  /** Verifies a parsed credential; never throws for a bad credential. */
  async function verifyParsedCredential(parsed: CredentialInput, language = 'en'): Promise<CredentialReport> {
    let statusChecks: StatusChecks | undefined;
    const {checks, issuer, registered} = await verifySecured(parsed, async issuerId => {
      statusChecks = await status.checkStatus({credential: parsed.document, issuer: issuerId});
    });
    const report = (all: Check[]): CredentialReport => ({
      kind: 'credential', verified: isVerified(all, ESSENTIAL), format: parsed.format, checks: all,
      summary: summarise({credential: parsed.document, registered, language}), credential: parsed.document
    });
    if(!issuer) {
      return report(checks);
    }
    if(!checks[1]!.passed) {
      return report([...checks, ...skipAll(AFTER_SIGNATURE, 'the signature is not valid.')]);
    }
    const {validFrom, validUntil} = checkValidity({credential: parsed.document,
      jwtClaims: parsed.format === 'vc-jwt', now: now(), clockSkewMs});
    const schema = await checkSchema({credential: parsed.document, validateSchema});
    // The library calls the status checker only when `credentialStatus` is present.
    const statusPair = statusChecks ?? await status.checkStatus({credential: parsed.document, issuer});
    return report([...checks, statusPair.revocation, statusPair.suspension, validFrom, validUntil, schema]);
  }

  /**
   * Verifies a credential.
   *
   * @throws {UnparseableInput} when the input is not readable, or is a presentation.
   */
  async function verifyCredential({input, language}: VerifyOptions): Promise<CredentialReport> {
    const parsed = parseInput(input);
    // A presentation where a credential is expected is verified as one, and fails `format`.
    const asCredential: CredentialInput = parsed.kind === 'credential' ? parsed :
      parsed.format === 'vp-jwt' ? {...parsed, kind: 'credential', format: 'vc-jwt'} :
        {kind: 'credential', format: 'vc-di', document: parsed.document};
    return verifyParsedCredential(asCredential, language);
  }

  const presentations = createPresentationVerifier({dataIntegrity, resolveDid, verifyParsedCredential});

  /** Verifies a presentation (and each credential in it). */
  async function verifyPresentation({input, challenge, domain, language}: VerifyOptions) {
    const parsed = parseInput(input);
    return presentations.verifyParsedPresentation({parsed, challenge, domain, language});
  }

  /** Verifies whatever the input is: a credential or a presentation. */
  async function verify(options: VerifyOptions): Promise<VerificationReport> {
    const parsed = parseInput(options.input);
    return parsed.kind === 'credential' ? verifyParsedCredential(parsed, options.language) :
      presentations.verifyParsedPresentation({...options, parsed});
  }

  return {verify, verifyCredential, verifyPresentation};
}

export type Verifier = ReturnType<typeof createVerifier>;
