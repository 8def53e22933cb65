/**
 * Issuer identifiers and DID documents.
 *
 * did:web ids are derived from PUBLIC_BASE_URL: `http://localhost:3000` + slug `zorgcollege`
 * → `did:web:localhost%3A3000:issuers:zorgcollege`, resolved at
 * `<base>/issuers/zorgcollege/did.json` (the did:web spec percent-encodes the port's colon and
 * turns path segments into `:`-separated parts). did:key ids come from the public key itself.
 *
 * DID documents list `https://www.w3.org/ns/did/v1` first in `@context`: jsonld-signatures then
 * skips an expensive framing step on every verification. Each key appears twice: as `Multikey`
 * (Data Integrity verifiers) and as `JsonWebKey` (JOSE verifiers, whose `kid` points at it).
 */
export const DID_CONTEXT_URL = 'https://www.w3.org/ns/did/v1';
export const MULTIKEY_CONTEXT_URL = 'https://w3id.org/security/multikey/v1';

/**
 * The JsonWebKey verification method type and its `publicKeyJwk`, as an embedded context (the
 * same IRIs as the W3C Controlled Identifiers vocabulary), so no further context must be fetched.
 */
export const JSON_WEB_KEY_CONTEXT = {
  JsonWebKey: {
    '@id': 'https://w3id.org/security#JsonWebKey',
    '@context': {
      '@protected': true,
      id: '@id',
      type: '@type',
      controller: {'@id': 'https://w3id.org/security#controller', '@type': '@id'},
      publicKeyJwk: {'@id': 'https://w3id.org/security#publicKeyJwk', '@type': '@json'}
    }
  }
} as const;

/** A public Ed25519 JWK. */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
}

/** A key as the DID document needs it. */
export interface DidKeyEntry {
  multikeyId: string;
  jwkId: string;
  publicKeyMultibase: string;
  publicKeyJwk: PublicJwk;
}

/**
 * The did:web DID of an organisation.
 *
 * @param options.publicBaseUrl - e.g. `https://carecred.example.org` or `http://localhost:3000`.
 * @param options.slug - the organisation slug.
 * @returns e.g. `did:web:carecred.example.org:issuers:zorgcollege`.
 */
export function didWebFor({publicBaseUrl, slug}: {publicBaseUrl: string; slug: string}): string {
  const url = new URL(publicBaseUrl);
  const host = url.port ? `${url.hostname}%3A${url.port}` : url.hostname;
  const pathParts = url.pathname.split('/').filter(Boolean).map(encodeURIComponent);
  return ['did:web', host, ...pathParts, 'issuers', slug].join(':');
}

/**
 * The HTTPS (or, for local hosts, HTTP) URL where a did:web document is published.
 *
 * @param did - a did:web DID.
 * @returns the did.json URL.
 */
export function didWebDocumentUrl(did: string): string {
  const [, , host, ...path] = did.split(':');
  if(!host) {
    throw new Error(`not a did:web DID: ${did}`);
  }
  const decodedHost = decodeURIComponent(host);
  const scheme = /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(decodedHost) ? 'http' : 'https';
  const pathPart = path.length > 0 ? `/${path.map(decodeURIComponent).join('/')}` : '/.well-known';
  return `${scheme}://${decodedHost}${pathPart}/did.json`;
}

/** The did:key DID of an Ed25519 public key (`did:key:z6Mk...`). */
export function didKeyFor(publicKeyMultibase: string): string {
  return `did:key:${publicKeyMultibase}`;
}

/**
 * Builds a did:web DID document listing the given keys.
 *
 * @param options.did - the DID.
 * @param options.keys - keys to list (active and retired; never revoked ones).
 * @returns the DID document.
 */
export function buildDidDocument({did, keys}: {did: string; keys: DidKeyEntry[]}) {
  const verificationMethod = keys.flatMap(key => [{
    id: key.multikeyId, type: 'Multikey', controller: did,
    publicKeyMultibase: key.publicKeyMultibase
  }, ...key.jwkId === key.multikeyId ? [] : [{
    id: key.jwkId, type: 'JsonWebKey', controller: did, publicKeyJwk: key.publicKeyJwk
  }]]);
  const ids = verificationMethod.map(method => method.id);
  return {
    '@context': [DID_CONTEXT_URL, MULTIKEY_CONTEXT_URL, JSON_WEB_KEY_CONTEXT],
    id: did,
    verificationMethod,
    assertionMethod: ids,
    authentication: ids
  };
}
