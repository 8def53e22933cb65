/**
 * Opaque page cursors. Both unit lists are ordered by unit id, newest first (unit ids are
 * ObjectIds, so they sort by creation), then by revision, newest first; a cursor holds the
 * position of the last revision of a page. The order is stable while units get new revisions,
 * so paging never skips or repeats a unit.
 */
import {ValidationFailed} from '../platform/errors.js';

const UNIT_ID = /^[0-9a-f]{24}$/;

/** A position in a list: continue after this unit's revision. */
export interface PagePosition {
  unitId: string;
  revision: number;
}

/**
 * Makes the cursor that continues after a position.
 *
 * @param position - the last unit id and revision of the page.
 * @returns an opaque base64url string.
 */
export function encodeCursor({unitId, revision}: PagePosition): string {
  return Buffer.from(JSON.stringify({u: unitId, r: revision})).toString('base64url');
}

/**
 * Reads a cursor made by `encodeCursor`.
 *
 * @param cursor - the client's `cursor` parameter.
 * @returns the position to continue after.
 * @throws {ValidationFailed} for a cursor this service did not make.
 */
export function decodeCursor(cursor: string): PagePosition {
  let position: {u?: unknown; r?: unknown} | undefined;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof position;
  } catch {
    position = undefined;
  }
  const {u: unitId, r: revision} = position ?? {};
  if(typeof unitId !== 'string' || !UNIT_ID.test(unitId) || !Number.isSafeInteger(revision) ||
    (revision as number) < 1) {
    throw new ValidationFailed([{pointer: '/query/cursor', message: 'is not a cursor from this list'}]);
  }
  return {unitId, revision: revision as number};
}
