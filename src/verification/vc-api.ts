/**
 * The W3C VC-API (VCALM v0.9) face of the engine: a report becomes a `VerificationResult`
 * (`{verified, credential?, problemDetails?, results?}` for credentials,
 * `{verified, verifiablePresentation?, problemDetails?, results: {presentation, credentials}}`
 * for presentations), with ProblemDetails typed by the specifications that define them (VC Data
 * Model 2.0, Data Integrity, Bitstring Status List) and by carecred for its own outcomes.
 *
 * Differences from the VC-API text, on purpose: `verified` is carecred's fail-closed verdict (a
 * revoked, suspended, expired or status-unknown credential is not verified, where the VC-API lists
 * status and validity problems as warnings), and a credential or presentation that breaks a MUST
 * of the data model is a `400` (it cannot be verified at all; the W3C test suites expect this).
 */
import {NonConformingDocument} from './errors.js';
import type {Check, CredentialReport, PresentationReport} from './types.js';

const VC_DM = 'https://www.w3.org/TR/vc-data-model#';
const SECURITY = 'https://w3id.org/security#';
const STATUS_LIST = 'https://www.w3.org/ns/credentials/status-list#';

/** A VC-API ProblemDetails object. */
export interface ProblemDetails {
  type: string;
  title: string;
  detail: string;
}

interface ResultEntry {
  verified: boolean;
  input?: unknown;
  value?: number;
}

/** What a VC-API caller asked to get back. */
export interface ResultOptions {
  returnResults?: boolean;
  returnProblemDetails?: boolean;
  returnCredential?: boolean;
  returnPresentation?: boolean;
}

/** The standard problem type of a failed check, or carecred's own. */
function problemType(check: Check, publicBaseUrl: string): {type: string; title: string} {
  const standard = (base: string, name: string) => ({type: `${base}${name}`, title: name});
  if(check.code === 'unparseable') {
    return standard(VC_DM, 'PARSING_ERROR');
  }
  if(check.code === 'data-model-violation') {
    return standard(VC_DM, 'MALFORMED_VALUE_ERROR');
  }
  if(check.id === 'signature' || check.id === 'presentation.proof') {
    return standard(VC_DM, 'CRYPTOGRAPHIC_SECURITY_ERROR');
  }
  if(check.code === 'challenge-mismatch') {
    return standard(SECURITY, 'INVALID_CHALLENGE_ERROR');
  }
  if(check.code === 'domain-mismatch') {
    return standard(SECURITY, 'INVALID_DOMAIN_ERROR');
  }
  if(check.code === 'status-unknown') {
    return standard(STATUS_LIST, 'STATUS_RETRIEVAL_ERROR');
  }
  return {type: `${publicBaseUrl}/problems/verification#${check.code}`, title: check.code};
}

function problemsOf(checks: Check[], publicBaseUrl: string, prefix = ''): ProblemDetails[] {
  return checks.filter(check => !check.passed && !check.skipped).map(check => ({
    ...problemType(check, publicBaseUrl),
    detail: `${prefix}${check.message}${check.details?.length ? ` ${check.details.join(' ')}` : ''}`
  }));
}

function find(checks: Check[], id: string): Check | undefined {
  return checks.find(check => check.id === id);
}

function entries(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function credentialResults(report: CredentialReport): Record<string, unknown> {
  const credential = report.credential ?? {};
  const checks = report.checks;
  const signature = find(checks, 'signature');
  const results: Record<string, unknown> = {
    proof: report.format === 'vc-di' ? entries(credential.proof).map(input =>
      ({verified: Boolean(signature?.passed), input})) : [{verified: Boolean(signature?.passed)}]
  };
  for(const property of ['validFrom', 'validUntil'] as const) {
    const input = credential[property] ?? credential[property === 'validFrom' ? 'issuanceDate' : 'expirationDate'];
    if(input !== undefined) {
      results[property] = {verified: Boolean(find(checks, `validity.${property}`)?.passed), input};
    }
  }
  results.credentialStatus = entries(credential.credentialStatus).map(input => statusResult(input, checks));
  const schema = find(checks, 'schema');
  results.credentialSchema = schema?.skipped ? [] :
    entries(credential.credentialSchema).map(input => ({verified: Boolean(schema?.passed), input}));
  return results;
}

function statusResult(input: unknown, checks: Check[]): ResultEntry {
  const purpose = (input as {statusPurpose?: unknown})?.statusPurpose;
  const check = find(checks, `status.${String(purpose)}`);
  if(!check) {
    return {verified: true, input};
  }
  const set = check.code === 'status-revoked' || check.code === 'status-suspended';
  const known = set || check.code.startsWith('status-not');
  return {verified: check.passed, input, ...(known ? {value: set ? 1 : 0} : {})};
}

/**
 * A credential report as a VC-API VerificationResult.
 *
 * @param options.publicBaseUrl - base of carecred's problem type URLs.
 */
export function toVcApiCredentialResult(report: CredentialReport, {returnResults = false,
  returnProblemDetails = true, returnCredential = false, publicBaseUrl}:
  ResultOptions & {publicBaseUrl: string}):
  Record<string, unknown> {
  return {
    verified: report.verified,
    ...(returnCredential && report.credential ? {credential: report.credential} : {}),
    ...(returnProblemDetails ? {problemDetails: problemsOf(report.checks, publicBaseUrl)} : {}),
    ...(returnResults ? {results: credentialResults(report)} : {})
  };
}

function presentationResults(report: PresentationReport, publicBaseUrl: string): Record<string, unknown> {
  const document = report.presentation ?? {};
  const proof = entries(document.proof)[0] as Record<string, unknown> | undefined;
  const proofCheck = find(report.checks, 'presentation.proof');
  const challenge = find(report.checks, 'presentation.challenge');
  const domain = find(report.checks, 'presentation.domain');
  const presentation: Record<string, unknown> = {
    proof: [{verified: Boolean(proofCheck?.passed), ...(proof ? {input: proof} : {}),
      problemDetails: proofCheck ? problemsOf([proofCheck], publicBaseUrl) : []}]
  };
  if(challenge && !challenge.skipped) {
    presentation.challenge = {verified: challenge.passed, input: proof?.challenge ?? document.nonce};
  }
  if(domain && !domain.skipped) {
    presentation.domain = {verified: domain.passed, input: proof?.domain ?? document.aud};
  }
  if(report.holder) {
    presentation.holder = {verified: Boolean(proofCheck?.passed), input: report.holder};
  }
  return {
    presentation,
    credentials: report.credentials.map(credential => toVcApiCredentialResult(credential,
      {returnResults: true, returnProblemDetails: true, returnCredential: true, publicBaseUrl}))
  };
}

/** A presentation report as a VC-API VerificationResult. */
export function toVcApiPresentationResult(report: PresentationReport, {returnResults = false,
  returnProblemDetails = true, returnPresentation = false, publicBaseUrl}:
  ResultOptions & {publicBaseUrl: string}):
  Record<string, unknown> {
  const problems = [...problemsOf(report.checks, publicBaseUrl), ...report.credentials.flatMap(
    (credential, index) => problemsOf(credential.checks, publicBaseUrl, `Credential ${index + 1}: `))];
  return {
    verified: report.verified,
    ...(returnPresentation && report.presentation ? {verifiablePresentation: report.presentation} : {}),
    ...(returnProblemDetails ? {problemDetails: problems} : {}),
    ...(returnResults ? {results: presentationResults(report, publicBaseUrl)} : {})
  };
}

/**
 * Refuses a document that breaks the data model (VC-API: it cannot be verified at all).
 *
 * @param options.pointer - where the document is in the request body.
 * @throws {NonConformingDocument} listing each broken rule.
 */
export function assertConforming(checks: Check[], {pointer, what}: {pointer: string; what: string}): void {
  const format = checks[0];
  if(format && !format.passed && (format.code === 'data-model-violation' || format.code === 'unparseable')) {
    throw new NonConformingDocument(`The ${what} is not a conforming verifiable ${what}: ${format.message}`,
      (format.details ?? [format.message]).map(message => ({pointer, message})));
  }
}
