/**
 * The credential profiles: pure builders of unsigned Open Badges 3.0 and Europass EDC
 * credentials from one achievement, the official-schema validation, and carecred's JSON-LD
 * extension context. Signing, storage and HTTP issuance are elsewhere.
 */
export {MICROCREDENTIAL_CONTEXT_PATH, microCredentialContext, microCredentialContextUrl} from './context.js';
export {CREDENTIAL_IMAGE_SIZE, type CredentialImageContent, credentialImageSvg,
  renderCredentialImage} from './display-image.js';
export {buildEdcCredential, EDC_CONTEXT, EDC_CREDENTIAL_SCHEMAS} from './edc.js';
export {ProfileNotApplicable} from './errors.js';
export {hashIdentity, newIdentitySalt, normaliseEmail} from './identity.js';
export {choosePrimaryLanguage, normaliseLanguageTag, toIso6391} from './language.js';
export {buildOb3Credential, OB3_CREDENTIAL_SCHEMA_ID, OB3_EXTENSIONS_CONTEXT} from './ob3.js';
export {PROFILE_BUILDERS, type ProfileBuilder} from './builders.js';
export {credentialProfileHandlers} from './routes.js';
export {checkAnnexICompleteness, OFFICIAL_SCHEMA_FILES, type SchemaError, type SchemaValidationResult,
  validateAgainstProfileSchema} from './schema-validation.js';
export {type BitstringStatusListEntry, edcCredentialStatus, type ElmStatusEntry, ob3CredentialStatus,
  parseStatusEntryId, statusEntryId} from './status-entries.js';
export type {CountryCode, CredentialAchievement, CredentialInput, CredentialIssuer, CredentialLearner,
  CredentialProfile, CredentialStatusPositions, CredentialUnit, JsonObject, LangMap, SaltedIdentityHash,
  StatusListPosition, UnitContent} from './types.js';

