/** The orgs module: organisations (tenants), API keys and authentication. */
export {createAuthenticators} from './auth.js';
export {orgModels} from './model.js';
export {orgHandlers} from './routes.js';
export {ALL_SCOPES, createOrgService, type Organisation, type OrganisationInput, type OrgService,
  type ProvisionIssuer} from './service.js';
