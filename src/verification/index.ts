/**
 * The verification module: the engine (`createVerifier`), its DID resolver and safe fetcher, the
 * data model rule table, and the HTTP handlers (POST /v1/verify and the VC-API routes).
 */
export {DATA_MODEL_RULES, checkDataModel} from './data-model.js';
export {createDidResolver, DidResolutionError, normaliseDidDocument, type ResolveOwnDid} from './did-resolver.js';
export {NonConformingDocument, UnparseableInput} from './errors.js';
export {createRemoteFetcher, type FetchedDocument, type FetchRemote, RemoteFetchError} from './safe-fetch.js';
export {type DecodeStatusList, decodeStatusListLocally} from './status-list.js';
export type {Check, CheckId, CheckOwnStatus, CredentialReport, CredentialSummary, LookupIssuer, OwnStatus,
  PresentationReport, Profile, RegisteredIssuer, SchemaValidation, ValidateSchema,
  VerificationReport} from './types.js';
export {createVerifier, type Verifier, type VerifierDependencies, type VerifyOptions} from './verify-credential.js';
export {verificationHandlers} from './routes.js';
export {createVerificationService, type VerificationService} from './service.js';
export {checkOwnStatusNotConfigured, createVerificationModule, validateSchemaNotConfigured,
  type VerificationSources} from './wiring.js';
