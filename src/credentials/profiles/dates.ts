/** Date handling shared by the profiles: RFC 3339 timestamps in UTC, validity periods. */

/**
 * An RFC 3339 `date-time` in UTC without fractional seconds (`2025-03-01T09:30:00Z`), the form
 * both profile schemas and the VC Data Model accept.
 *
 * @returns the timestamp.
 * @throws TypeError for an invalid date.
 */
export function toDateTime(date: Date): string {
  if(Number.isNaN(date.getTime())) {
    throw new TypeError('invalid date');
  }
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Adds calendar months in UTC, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb).
 *
 * @returns a new date.
 */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

/**
 * The end of a credential's validity, when its unit sets `credentialValidityMonths`.
 *
 * @returns the `validUntil` timestamp, or undefined (no expiry).
 */
export function validUntilOf({issuedAt, validityMonths}: {
  issuedAt: Date; validityMonths?: number;
}): string | undefined {
  return validityMonths === undefined ? undefined : toDateTime(addMonths(issuedAt, validityMonths));
}
