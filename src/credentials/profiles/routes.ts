/** Routes of the credential profiles: carecred's JSON-LD extension context. */
import {defineHandlers} from '../../platform/http/handler.js';
import {microCredentialContext} from './context.js';

/**
 * Handlers of the credential-profile operations.
 *
 * @param options.publicBaseUrl - PUBLIC_BASE_URL (the context's vocabulary IRIs live under it).
 * @returns the handler map.
 */
export function credentialProfileHandlers({publicBaseUrl}: {publicBaseUrl: string}) {
  const context = JSON.stringify(microCredentialContext(publicBaseUrl));
  return defineHandlers({
    getMicroCredentialContext: (_req, res) => {
      res.type('application/ld+json').set('Cache-Control', 'public, max-age=86400').send(context);
    }
  });
}
