/**
 * Opaque page cursors. Both unit lists are ordered by unit id, newest first (unit ids are
 * ObjectIds, so they sort by creation); a cursor holds the last unit id of a page. The order is
 * stable while units get new versions, so paging never skips or repeats a unit.
 */
import {ValidationFailed} from '../platform/errors.js';

const UNIT_ID = /^[0-9a-f]{24}$/;

/**
 * Makes the cursor that continues after a unit.
 *
 * @param unitId - the last unit id of the page.
 * @returns an opaque base64url string.
 */
export function encodeCursor(unitId: string): string {
  return Buffer.from(JSON.stringify({after: unitId})).toString('base64url');
}

/**
 * Reads a cursor made by `encodeCursor`.
 *
 * @param cursor - the client's `cursor` parameter.
 * @returns the unit id to continue after.
 * @throws {ValidationFailed} for a cursor this service did not make.
 */
export function decodeCursor(cursor: string): string {
  let after: unknown;
  try {
    after = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {after?: unknown}).after;
  } catch {
    after = undefined;
  }
  if(typeof after !== 'string' || !UNIT_ID.test(after)) {
    throw new ValidationFailed([{pointer: '/query/cursor', message: 'is not a cursor from this list'}]);
  }
  return after;
}
