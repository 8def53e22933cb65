/**
 * VC-JOSE (Securing Verifiable Credentials using JOSE and COSE): the signature of a compact JWS
 * whose payload is a credential or presentation.
 *
 * Only `EdDSA` (Ed25519) and `ES256` (P-256) are accepted; `none`, the HMAC algorithms and every
 * other `alg` are refused before any key is touched. The key comes from the signer's DID document
 * only: the `kid` must be a verification method of that DID (the credential's issuer, or the
 * presentation's holder), listed under the proof purpose's relationship (`assertionMethod` or
 * `authentication`), and its key type must be the one the `alg` needs (no algorithm confusion).
 */
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {compactVerify, importJWK, type JWK} from 'jose';
import {LRUCache} from 'lru-cache';

import type {DidResolver} from '../platform/jsonld/document-loader.js';
import type {JwsHeader} from './parse.js';

/** Algorithms accepted, with the key each needs. */
const ALGORITHMS: Record<string, {kty: string; crv: string}> = {
  EdDSA: {kty: 'OKP', crv: 'Ed25519'},
  ES256: {kty: 'EC', crv: 'P-256'}
};

/** Public keys already imported (an import costs more than the signature check), by alg and JWK. */
const importedKeys = new LRUCache<string, Awaited<ReturnType<typeof importJWK>>>({max: 500});

async function importPublicKey(jwk: JWK, alg: string): Promise<Awaited<ReturnType<typeof importJWK>>> {
  const id = `${alg} ${JSON.stringify([jwk.kty, jwk.crv, jwk.x, jwk.y])}`;
  let key = importedKeys.get(id);
  if(!key) {
    key = await importJWK({...jwk, alg}, alg);
    importedKeys.set(id, key);
  }
  return key;
}

/** The outcome of a JWS signature check. */
export type JwsOutcome =
  | {valid: true; verificationMethod: string}
  | {valid: false; code: string; message: string};

type Json = Record<string, unknown>;

function failure(code: string, message: string): JwsOutcome {
  return {valid: false, code, message};
}

function absoluteKid(kid: string, did: string): string {
  return kid.startsWith('#') ? `${did}${kid}` : kid;
}

/** Finds a verification method by id and tells whether the relationship authorises it. */
function findMethod(document: Json, id: string, relationship: string): {method?: Json; authorised: boolean} {
  const did = String(document.id ?? '');
  const sameId = (candidate: unknown) => typeof candidate === 'string' &&
    absoluteKid(candidate, did) === id;
  const related = Array.isArray(document[relationship]) ? document[relationship] as unknown[] : [];
  const embedded = related.find(entry => typeof entry === 'object' && entry !== null &&
    sameId((entry as Json).id)) as Json | undefined;
  const listed = Array.isArray(document.verificationMethod) ?
    (document.verificationMethod as Json[]).find(entry => sameId(entry?.id)) : undefined;
  const authorised = Boolean(embedded) || related.some(entry => sameId(entry));
  return {method: embedded ?? listed, authorised};
}

/** The public JWK of a verification method (JsonWebKey or Ed25519 Multikey). */
async function publicJwkOf(method: Json): Promise<JWK | undefined> {
  if(typeof method.publicKeyJwk === 'object' && method.publicKeyJwk !== null) {
    const jwk = method.publicKeyJwk as JWK;
    return 'd' in jwk ? undefined : jwk;
  }
  if(typeof method.publicKeyMultibase === 'string' && method.publicKeyMultibase.startsWith('z6Mk')) {
    const keyPair = await Ed25519Multikey.from({...method, type: 'Multikey'});
    return await Ed25519Multikey.toJwk({keyPair}) as JWK;
  }
  return undefined;
}

/**
 * Verifies the signature of a compact JWS with a key of the signer's DID.
 *
 * @param options.jwt - the compact JWS.
 * @param options.header - its decoded protected header.
 * @param options.signer - the DID that must have signed (credential issuer / presentation holder).
 * @param options.relationship - `assertionMethod` (credentials) or `authentication` (presentations).
 * @param options.resolveDid - DID resolution.
 * @returns valid with the verification method, or why not (`alg-not-allowed`, `kid-missing`,
 *   `kid-not-signer`, `key-not-found`, `key-not-authorized`, `alg-key-mismatch`, `signature-invalid`).
 */
export async function verifyJws({jwt, header, signer, relationship, resolveDid}: {
  jwt: string; header: JwsHeader; signer: string; relationship: 'assertionMethod' | 'authentication';
  resolveDid: DidResolver;
}): Promise<JwsOutcome> {
  const alg = typeof header.alg === 'string' ? header.alg : '';
  const expectedKey = ALGORITHMS[alg];
  if(!expectedKey) {
    return failure('alg-not-allowed', `The signature algorithm '${alg || 'none'}' is not accepted ` +
      '(only EdDSA and ES256).');
  }
  if(typeof header.kid !== 'string' || header.kid.length === 0) {
    return failure('kid-missing', 'The JWS header has no "kid", so the signing key cannot be found.');
  }
  const kid = absoluteKid(header.kid, signer);
  if(kid.split('#')[0] !== signer || !signer.startsWith('did:')) {
    return failure('kid-not-signer', `The signing key ${kid} does not belong to ${signer}.`);
  }
  let document: Json | undefined;
  try {
    document = await resolveDid(signer) as Json | undefined;
  } catch(error) {
    return failure('key-not-found', (error as Error).message);
  }
  const {method, authorised} = document ? findMethod(document, kid, relationship) : {authorised: false};
  if(!method) {
    return failure('key-not-found', `The key ${kid} is not in the DID document of ${signer}.`);
  }
  if(!authorised) {
    return failure('key-not-authorized', `The key ${kid} is not listed under ${relationship}.`);
  }
  return verifyWithMethod({jwt, alg, method, kid, expectedKey});
}

async function verifyWithMethod({jwt, alg, method, kid, expectedKey}: {
  jwt: string; alg: string; method: Json; kid: string; expectedKey: {kty: string; crv: string};
}): Promise<JwsOutcome> {
  let jwk: JWK | undefined;
  try {
    jwk = await publicJwkOf(method);
  } catch {
    jwk = undefined;
  }
  if(!jwk) {
    return failure('key-not-found', `The key ${kid} has no usable public key.`);
  }
  if(jwk.kty !== expectedKey.kty || jwk.crv !== expectedKey.crv) {
    return failure('alg-key-mismatch', `The algorithm ${alg} does not fit the key type of ${kid}.`);
  }
  try {
    const key = await importPublicKey(jwk, alg);
    await compactVerify(jwt, key, {algorithms: [alg]});
    return {valid: true, verificationMethod: kid};
  } catch {
    return failure('signature-invalid', 'The signature is not valid: the content was changed after ' +
      'signing, or it was signed with another key.');
  }
}
