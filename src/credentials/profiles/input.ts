/**
 * Checks on a builder's input that the types cannot express. A failure is a bug in the caller
 * (the service builds the input from validated, stored data), so it is a `TypeError`.
 */
import type {CredentialInput} from './types.js';

const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Asserts that a builder's input is usable.
 *
 * @throws TypeError naming the first unusable field.
 */
export function assertCredentialInput(input: CredentialInput): void {
  const checks: [boolean, string][] = [
    [UUID_URN.test(input.credentialId), '"credentialId" must be a urn:uuid'],
    [input.issuedAt instanceof Date && !Number.isNaN(input.issuedAt.getTime()), '"issuedAt" must be a valid Date'],
    [input.achievement.achievedAt instanceof Date && !Number.isNaN(input.achievement.achievedAt.getTime()),
      '"achievement.achievedAt" must be a valid Date'],
    [input.issuer.did.startsWith('did:'), '"issuer.did" must be a DID'],
    [input.learner.did === undefined || input.learner.did.startsWith('did:'), '"learner.did" must be a DID'],
    [/^https?:\/\//.test(input.unit.publicUrl), '"unit.publicUrl" must be an http(s) URL'],
    [/^https?:\/\/[^/?#]+/.test(input.publicBaseUrl), '"publicBaseUrl" must be an http(s) URL'],
    [Object.keys(input.unit.content.title).length > 0, '"unit.content.title" must have a language']
  ];
  const failed = checks.find(([ok]) => !ok);
  if(failed) {
    throw new TypeError(failed[1]);
  }
}

/**
 * A shallow copy of an object without its `undefined` members: optional fields are absent from a
 * credential, never `null` or `undefined`.
 *
 * @returns the copy.
 */
export function definedOnly<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}
