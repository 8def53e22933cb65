/**
 * Private keys at rest: AES-256-GCM under the key-encryption key (KEK, from KEY_ENCRYPTION_KEY),
 * with the key id as associated data so a ciphertext cannot be moved to another key record.
 */
import {createCipheriv, createDecipheriv, randomBytes} from 'node:crypto';

/** An encrypted secret as stored. */
export interface EncryptedSecret {
  alg: 'A256GCM';
  iv: string;
  tag: string;
  data: string;
}

/**
 * Decodes a KEY_ENCRYPTION_KEY value (64 hex characters or 32 bytes in base64/base64url).
 *
 * @throws Error when it does not decode to 32 bytes.
 */
export function decodeKeyEncryptionKey(value: string): Buffer {
  const bytes = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') :
    Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if(bytes.length !== 32) {
    throw new Error('KEY_ENCRYPTION_KEY must be 32 bytes (64 hex characters or base64)');
  }
  return bytes;
}

/**
 * Encrypts a secret.
 *
 * @param options.kek - the 32-byte key-encryption key.
 * @param options.secret - the plaintext bytes.
 * @param options.associatedData - bound to the ciphertext (the key id).
 * @returns the encrypted secret.
 */
export function encryptSecret({kek, secret, associatedData}: {
  kek: Uint8Array; secret: Uint8Array; associatedData: string;
}): EncryptedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const data = Buffer.concat([cipher.update(secret), cipher.final()]);
  return {alg: 'A256GCM', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64')};
}

/**
 * Decrypts a secret.
 *
 * @throws Error when the KEK, the associated data or the ciphertext do not match.
 */
export function decryptSecret({kek, encrypted, associatedData}: {
  kek: Uint8Array; encrypted: EncryptedSecret; associatedData: string;
}): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(encrypted.iv, 'base64'));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(Buffer.from(encrypted.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(encrypted.data, 'base64')), decipher.final()]);
}
