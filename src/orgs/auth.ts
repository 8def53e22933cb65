/**
 * The authenticators for the contract's security schemes: `apiKey` (an organisation's key,
 * with the scope the operation lists) and `adminToken` (the operator).
 */
import type {Request} from 'express';

import {Forbidden, Unauthenticated} from '../platform/errors.js';
import type {Authenticator} from '../platform/http/router.js';
import {secretsEqual} from '../platform/secrets.js';
import type {OrgService} from './service.js';

function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/**
 * Creates the authenticators.
 *
 * @param options.orgs - resolves API keys.
 * @param options.adminToken - the operator token; admin routes refuse everyone when undefined.
 * @returns authenticators keyed by security scheme name.
 */
export function createAuthenticators({orgs, adminToken}: {
  orgs: OrgService; adminToken: string | undefined;
}): Record<string, Authenticator> {
  return {
    async apiKey(req, scopes) {
      const token = bearerToken(req);
      const principal = token ? await orgs.authenticateApiKey(token) : undefined;
      if(!principal) {
        throw new Unauthenticated();
      }
      const missing = scopes.filter(scope => !principal.scopes.includes(scope));
      if(missing.length > 0) {
        throw new Forbidden(`This API key lacks the scope ${missing.join(', ')}.`);
      }
      req.principal = principal;
      req.log?.setBindings?.({orgId: principal.orgId, apiKeyId: principal.keyId});
    },
    async adminToken(req) {
      const token = bearerToken(req);
      if(!adminToken || !token || !secretsEqual(token, adminToken)) {
        throw new Unauthenticated('The admin token is required: Authorization: Bearer <ADMIN_TOKEN>.');
      }
      req.principal = {kind: 'admin'};
    }
  };
}
