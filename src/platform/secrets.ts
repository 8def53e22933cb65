/**
 * Random secrets and their hashes. API keys and the admin token are 256-bit random values, so a
 * SHA-256 hash (no salt, no slow KDF) is enough to make a stolen database useless, and lets the
 * hash be a unique index for a single lookup.
 */
import {createHash, randomBytes, timingSafeEqual} from 'node:crypto';

/**
 * Makes a random secret with a recognisable prefix.
 *
 * @param prefix - e.g. `cck` for API keys.
 * @returns `<prefix>_<43 base64url characters>`.
 */
export function randomSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 of a string, hex. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * Compares two secrets in constant time by comparing their hashes.
 *
 * @returns true when equal.
 */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(),
    createHash('sha256').update(b).digest());
}
