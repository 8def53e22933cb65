/**
 * Signing keys inside the engine: decrypted once (AES-256-GCM under the key-encryption key),
 * imported as a non-exportable-in-practice `KeyObject`, checked against the stored public key
 * and cached by key id. The seed bytes are wiped right after import; neither they nor the
 * `KeyObject` ever leave this module (callers get a sign function).
 */
import {createPrivateKey, createPublicKey, type KeyObject, sign} from 'node:crypto';

// Imported directly (not through keys/index.ts) to keep the worker threads free of mongoose.
import {decryptSecret, type EncryptedSecret} from '../../keys/encryption.js';
import type {KeyRecord} from '../../keys/model.js';
import {SigningKeyUnusable} from './errors.js';

/** What the engine needs of a stored key: a plain, structured-clonable subset of KeyRecord. */
export interface SigningKey {
  multikeyId: string;
  jwkId: string;
  publicKeyJwk: {kty: string; crv: string; x: string};
  encryptedSeed: EncryptedSecret;
  state?: KeyRecord['state'];
}

/** Signs bytes with one imported key. */
export type SignBytes = (data: Uint8Array) => Uint8Array;

// DER PKCS#8 header of an Ed25519 private key (RFC 8410); the 32-byte seed follows.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const MAX_CACHED_KEYS = 256;

/**
 * The wire form of a stored key (drops ObjectIds and dates).
 *
 * @throws {SigningKeyUnusable} for a revoked key or a record without its key material.
 */
export function toSigningKey(key: SigningKey): SigningKey {
  if(!key || typeof key.multikeyId !== 'string' || typeof key.jwkId !== 'string' ||
    typeof key.publicKeyJwk?.x !== 'string' || typeof key.encryptedSeed?.data !== 'string') {
    throw new SigningKeyUnusable('the key record is incomplete');
  }
  if(key.state === 'revoked') {
    throw new SigningKeyUnusable('the key is revoked');
  }
  const {multikeyId, jwkId, publicKeyJwk: {kty, crv, x}, encryptedSeed: {alg, iv, tag, data}} = key;
  return {multikeyId, jwkId, publicKeyJwk: {kty, crv, x}, encryptedSeed: {alg, iv, tag, data}};
}

function importKey({key, keyEncryptionKey}: {key: SigningKey; keyEncryptionKey: Uint8Array}):
  KeyObject {
  let seed: Buffer;
  try {
    seed = decryptSecret({kek: keyEncryptionKey, encrypted: key.encryptedSeed,
      associatedData: key.multikeyId});
  } catch(error) {
    throw new SigningKeyUnusable('it does not decrypt with the key-encryption key', error);
  }
  const der = Buffer.concat([ED25519_PKCS8_PREFIX, seed]);
  try {
    if(seed.length !== 32) {
      throw new SigningKeyUnusable('the decrypted seed is not 32 bytes');
    }
    const privateKey = createPrivateKey({key: der, format: 'der', type: 'pkcs8'});
    const {x} = createPublicKey(privateKey).export({format: 'jwk'});
    if(x !== key.publicKeyJwk.x) {
      throw new SigningKeyUnusable('it does not match its public key');
    }
    return privateKey;
  } finally {
    seed.fill(0);
    der.fill(0);
  }
}

/**
 * Creates the cache of imported keys of one engine.
 *
 * @param options.keyEncryptionKey - the 32-byte KEK.
 * @returns `signerFor(key)`: a function that signs with that key (imported on first use).
 */
export function createKeyCache({keyEncryptionKey}: {keyEncryptionKey: Uint8Array}) {
  const kek = Uint8Array.from(keyEncryptionKey);
  const cache = new Map<string, {fingerprint: string; signBytes: SignBytes}>();

  /**
   * @throws {SigningKeyUnusable} when the key cannot be decrypted or does not match.
   */
  function signerFor(key: SigningKey): SignBytes {
    const fingerprint = `${key.encryptedSeed.iv}.${key.encryptedSeed.tag}`;
    const hit = cache.get(key.multikeyId);
    if(hit && hit.fingerprint === fingerprint) {
      return hit.signBytes;
    }
    const privateKey = importKey({key, keyEncryptionKey: kek});
    const signBytes: SignBytes = data => sign(null, data, privateKey);
    if(cache.size >= MAX_CACHED_KEYS) {
      cache.delete(cache.keys().next().value!);
    }
    cache.set(key.multikeyId, {fingerprint, signBytes});
    return signBytes;
  }

  return {signerFor};
}
