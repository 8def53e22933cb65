/**
 * Who is calling: set on the request by the authenticators, read by handlers.
 */

/** A caller authenticated by an organisation's API key. */
export interface ApiKeyPrincipal {
  kind: 'apiKey';
  orgId: string;
  orgSlug: string;
  keyId: string;
  scopes: string[];
}

/** The operator, authenticated by ADMIN_TOKEN. */
export interface AdminPrincipal {
  kind: 'admin';
}

export type Principal = ApiKeyPrincipal | AdminPrincipal;

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/**
 * The API-key principal of a request on an organisation-scoped route.
 *
 * @throws Error when the route was mounted without API-key security (a programming error).
 */
export function orgOf(req: {principal?: Principal}): ApiKeyPrincipal {
  if(req.principal?.kind !== 'apiKey') {
    throw new Error('organisation-scoped handler called without an API-key principal');
  }
  return req.principal;
}
