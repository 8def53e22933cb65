/**
 * How the app builds the verification service from what exists: own DIDs and the issuer registry
 * from the keys and orgs modules, foreign DIDs and status lists through the safe fetcher.
 *
 * `checkOwnStatus` and `validateSchema` belong to other modules (status/, the profile schemas).
 * Until they are passed in, the placeholders below fail closed: carecred's own status lists read
 * as "status unknown" (never "not revoked") and the schema check is skipped with a message.
 */
import type {Config} from '../platform/config.js';
import {NotFound} from '../platform/errors.js';
import {createDocumentLoader} from '../platform/jsonld/document-loader.js';
import {createDidResolver, type ResolveOwnDid} from './did-resolver.js';
import {createRemoteFetcher} from './safe-fetch.js';
import {createVerificationService} from './service.js';
import type {CheckOwnCredential, CheckOwnStatus, LookupIssuer, ValidateSchema} from './types.js';
import {createVerifier} from './verify-credential.js';

/** Placeholder until the status module is wired: own lists are "status unknown" (fail closed). */
export const checkOwnStatusNotConfigured: CheckOwnStatus = async () =>
  ({status: 'unknown', reason: 'the status service is not configured'});

/** Placeholder until the profile schema validation is wired: the schema check is skipped. */
export const validateSchemaNotConfigured: ValidateSchema = async () =>
  ({valid: false, skipped: 'schema validation not configured'});

/** What the verification service needs from the keys and orgs modules. */
export interface VerificationSources {
  keys: {
    resolveOwnDid: ResolveOwnDid;
    findOrgOfController(did: string): Promise<string | undefined>;
  };
  orgs: {
    getOrganisation(orgId: string): Promise<{name: Record<string, string>; slug: string}>;
  };
}

/** An issuer is registered when one of carecred's keys (any state) has it as controller. */
function registeredIssuerLookup({keys, orgs}: VerificationSources): LookupIssuer {
  return async did => {
    const orgId = await keys.findOrgOfController(did);
    const organisation = orgId ? await orgs.getOrganisation(orgId).catch((error: unknown) => {
      if(error instanceof NotFound) {
        return undefined;
      }
      throw error;
    }) : undefined;
    return organisation ? {name: organisation.name, slug: organisation.slug} : undefined;
  };
}

/**
 * Builds the verification service of the app.
 *
 * @param options.config - REMOTE_FETCH_TIMEOUT_MS, ALLOW_PRIVATE_NETWORK_FETCH, PUBLIC_BASE_URL.
 * @param options.checkOwnStatus - the status module's reader (default: fail-closed placeholder).
 * @param options.validateSchema - the profile schema validator (default: skipped placeholder).
 * @returns the service the routes call.
 */
export function createVerificationModule({config, keys, orgs, checkOwnStatus = checkOwnStatusNotConfigured,
  checkOwnCredential, validateSchema = validateSchemaNotConfigured}: VerificationSources & {
  config: Config; checkOwnStatus?: CheckOwnStatus; checkOwnCredential?: CheckOwnCredential;
  validateSchema?: ValidateSchema;
}) {
  const {fetchRemote} = createRemoteFetcher({timeoutMs: config.remoteFetchTimeoutMs,
    allowPrivateNetwork: config.allowPrivateNetworkFetch});
  const resolveDid = createDidResolver({resolveOwnDid: keys.resolveOwnDid, fetchRemote,
    publicBaseUrl: config.publicBaseUrl,
    isOwnDid: async did => Boolean(await keys.findOrgOfController(did))});
  const verifier = createVerifier({
    documentLoader: createDocumentLoader({publicBaseUrl: config.publicBaseUrl, resolveDid}),
    resolveDid, fetchRemote, publicBaseUrl: config.publicBaseUrl,
    lookupIssuer: registeredIssuerLookup({keys, orgs}), checkOwnStatus, checkOwnCredential, validateSchema
  });
  return createVerificationService({verifier, publicBaseUrl: config.publicBaseUrl});
}
