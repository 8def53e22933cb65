/**
 * The shapes of the verification engine: the report it returns and the dependencies it is given.
 * A report never throws away information: every check is listed, in a fixed order, each with a
 * stable machine `code` (the verifier page translates by `id` + `code`) and a plain English
 * message.
 */

/** The checks of one credential, in report order. */
export const CREDENTIAL_CHECK_IDS = [
  'format', 'signature', 'issuer', 'status.revocation', 'status.suspension',
  'validity.validFrom', 'validity.validUntil', 'schema'
] as const;

/** The checks of a presentation itself (its credentials have their own reports). */
export const PRESENTATION_CHECK_IDS = [
  'presentation.format', 'presentation.proof', 'presentation.challenge', 'presentation.domain'
] as const;

export type CredentialCheckId = typeof CREDENTIAL_CHECK_IDS[number];
export type PresentationCheckId = typeof PRESENTATION_CHECK_IDS[number];
export type CheckId = CredentialCheckId | PresentationCheckId;

/** The result of one check. */
export interface Check {
  id: CheckId;
  /** True when the check was done and succeeded. A skipped or warning check is not passed. */
  passed: boolean;
  /** The check was not done (after a fatal failure, or not applicable). */
  skipped?: boolean;
  /** How a failed check counts: `error` makes the credential unverified, `warning` does not. */
  severity?: 'error' | 'warning';
  /** Stable kebab-case outcome code, e.g. `status-revoked`, `expired`, `signature-invalid`. */
  code: string;
  /** Plain English explanation. */
  message: string;
  /** Further plain English lines (e.g. one per data model rule broken). */
  details?: string[];
}

/** How a credential was secured. */
export type CredentialFormat = 'vc-di' | 'vc-jwt';
/** How a presentation was secured. */
export type PresentationFormat = 'vp-di' | 'vp-jwt';

/** carecred's credential profiles. */
export type Profile = 'ob3' | 'edc';

/** What a person needs to see first about a credential. */
export interface CredentialSummary {
  /** carecred's registered name of the issuer when registered, else the name the credential claims. */
  issuerName?: string;
  issuerDid?: string;
  issuerRegistered: boolean;
  /** The learning unit (OB3 achievement name, EDC achievement title) in the requested language. */
  unitTitle?: string;
  learnerName?: string;
  issuedAt?: string;
  validFrom?: string;
  validUntil?: string;
  profile?: Profile;
}

/** The verification report of one credential. */
export interface CredentialReport {
  kind: 'credential';
  verified: boolean;
  format: CredentialFormat;
  checks: Check[];
  summary: CredentialSummary;
  /** The credential as verified (the JWT payload for VC-JOSE); absent when it is unreadable. */
  credential?: Record<string, unknown>;
}

/** The verification report of a presentation and of each credential it holds. */
export interface PresentationReport {
  kind: 'presentation';
  verified: boolean;
  format: PresentationFormat;
  checks: Check[];
  holder?: string;
  credentials: CredentialReport[];
  presentation?: Record<string, unknown>;
}

export type VerificationReport = CredentialReport | PresentationReport;

/** What carecred knows about an issuer it has registered (one of its organisations). */
export interface RegisteredIssuer {
  /** Registered name: a language map (`{nl, en}`) or one string. */
  name: Record<string, string> | string;
  slug?: string;
}

/** Tells whether a DID is one of carecred's issuers; undefined when it is not. */
export type LookupIssuer = (did: string) => Promise<RegisteredIssuer | undefined>;

/** A status bit of one of carecred's own lists: `set` = revoked / suspended. */
export interface OwnStatus {
  status: 'set' | 'unset' | 'unknown';
  reason?: string;
}

/** Reads a status bit of one of carecred's own status lists from the database. */
export type CheckOwnStatus = (options: {
  /** The status list credential URL (starts with PUBLIC_BASE_URL + '/status/'). */
  statusListCredential: string;
  /** The entry's `statusListIndex`, parsed (a non-negative integer). */
  statusListIndex: number;
  statusPurpose: string;
  /** The credential's issuer id: a list of another issuer must answer `unknown`. */
  issuer: string;
}) => Promise<OwnStatus>;

/**
 * The status of a credential carecred issued itself, looked up by the credential's `id` in the
 * database: both purposes, whatever entries the profile could carry (Open Badges 3.0 allows one
 * `credentialStatus`, Europass EDC only `CredentialStatus` references). Undefined when the
 * credential is not one of carecred's (then its entries are checked as for any issuer).
 */
export type CheckOwnCredential = (options: {credentialId: string; issuer: string}) =>
  Promise<{revocation: OwnStatus; suspension: OwnStatus} | undefined>;

/** One schema error. */
export interface SchemaError {
  path?: string;
  message: string;
}

/** The outcome of a schema validation; `skipped` (a reason) when it could not be done. */
export interface SchemaValidation {
  valid: boolean;
  errors?: SchemaError[];
  skipped?: string;
}

/** Validates a credential against its profile's official schema. */
export type ValidateSchema = (options: {credential: Record<string, unknown>; profile: Profile}) =>
  Promise<SchemaValidation>;
