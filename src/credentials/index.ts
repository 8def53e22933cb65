/** The credentials module: issuing (profiles + signing), storing and reading credentials. */
export {type CredentialModels, credentialModels, type CredentialRecord, type CredentialStatus,
  type Format, type Profile} from './model.js';
export {credentialHandlers} from './routes.js';
export {createCredentialService, type CredentialFilter, type CredentialResource, type CredentialService,
  DEFAULT_FORMAT, toCredentialResource} from './service.js';
