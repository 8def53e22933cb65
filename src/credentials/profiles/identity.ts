/**
 * Salted identity hashes as Open Badges 3.0 defines them for `IdentityObject.identityHash`:
 * `sha256$` followed by the hexadecimal SHA-256 of the UTF-8 identity with the salt appended.
 * The salt is stored beside the hash in the credential, so anyone who knows the learner's e-mail
 * address can check it, while the address itself is not disclosed.
 */
import {createHash, randomBytes} from 'node:crypto';

import type {SaltedIdentityHash} from './types.js';

/**
 * Hashes an identity with a salt.
 *
 * @param options.identity - the plain value (already normalised, see `normaliseEmail`).
 * @param options.salt - the salt written beside the hash.
 * @returns the hash and its salt.
 */
export function hashIdentity({identity, salt}: {identity: string; salt: string}): SaltedIdentityHash {
  const digest = createHash('sha256').update(identity + salt, 'utf8').digest('hex');
  return {identityHash: `sha256$${digest}`, salt};
}

/**
 * The form of an e-mail address that is hashed: trimmed and lower-cased, so that `Jan@School.nl`
 * and `jan@school.nl` hash alike.
 *
 * @returns the normalised address.
 */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * A new random salt (16 bytes, hexadecimal). Call it once per learner and credential, outside the
 * builders, which stay deterministic.
 *
 * @returns the salt.
 */
export function newIdentitySalt(): string {
  return randomBytes(16).toString('hex');
}
