/**
 * The validity period checks: `validFrom`/`validUntil` (VC DM 2.0 §4.9), `issuanceDate` /
 * `expirationDate` (VC DM 1.1 §4.6, §4.8), and a VC-JOSE payload's `nbf`/`exp` claims when
 * present. A small clock skew is allowed on both ends.
 */
import {parseDateTime} from './data-model.js';
import {fail, pass} from './report.js';
import type {Check} from './types.js';

type Json = Record<string, unknown>;

function fromSeconds(value: unknown): Date | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? new Date(value * 1000) : undefined;
}

function latest(dates: (Date | undefined)[]): Date | undefined {
  return dates.filter((date): date is Date => date !== undefined)
    .reduce<Date | undefined>((max, date) => !max || date > max ? date : max, undefined);
}

function earliest(dates: (Date | undefined)[]): Date | undefined {
  return dates.filter((date): date is Date => date !== undefined)
    .reduce<Date | undefined>((min, date) => !min || date < min ? date : min, undefined);
}

/**
 * Checks when the credential is valid.
 *
 * @param options.credential - the credential (or VC-JOSE payload).
 * @param options.jwtClaims - read `nbf`/`exp` too (VC-JOSE payloads).
 * @param options.now - the time to check against.
 * @param options.clockSkewMs - tolerance on both ends.
 * @returns the `validity.validFrom` and `validity.validUntil` checks.
 */
export function checkValidity({credential, jwtClaims, now, clockSkewMs}: {
  credential: Json; jwtClaims: boolean; now: Date; clockSkewMs: number;
}): {validFrom: Check; validUntil: Check} {
  const start = latest([parseDateTime(credential.validFrom), parseDateTime(credential.issuanceDate),
    jwtClaims ? fromSeconds(credential.nbf) : undefined]);
  const end = earliest([parseDateTime(credential.validUntil), parseDateTime(credential.expirationDate),
    jwtClaims ? fromSeconds(credential.exp) : undefined]);
  const validFrom = !start ? pass('validity.validFrom', 'no-valid-from', 'The credential states no start of validity.') :
    start.getTime() - clockSkewMs > now.getTime() ?
      fail('validity.validFrom', 'not-yet-valid', `The credential is not valid yet: it is valid from ${start.toISOString()}.`) :
      pass('validity.validFrom', 'valid-from', `Valid since ${start.toISOString()}.`);
  const validUntil = !end ? pass('validity.validUntil', 'no-expiry', 'The credential does not expire.') :
    end.getTime() + clockSkewMs < now.getTime() ?
      fail('validity.validUntil', 'expired', `The credential expired on ${end.toISOString()}.`) :
      pass('validity.validUntil', 'not-expired', `Valid until ${end.toISOString()}.`);
  return {validFrom, validUntil};
}
