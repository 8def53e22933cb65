/**
 * Checking the `head` / `listed` hints of a page against the revisions themselves (see
 * model.ts): a flagged revision with a newer sibling is stale (its writer died before clearing
 * it, or is just about to); it is left out of the page and its flag is cleared.
 */
import type {RevisionStub, UnitHint, UnitRepository, UnitRevisionRecord} from './model.js';

/**
 * Drops the revisions of a page whose hint is stale and clears their flag.
 *
 * @param options.records - the page, each carrying the hint.
 * @param options.stubs - every revision of the page's units.
 * @param options.hint - `head`: stale when any newer revision exists; `listed`: stale when a newer
 *   published or archived revision exists (a newer draft does not replace the public version).
 * @returns the page without the stale revisions.
 */
export async function dropStaleHints({repository, records, stubs, hint}: {
  repository: UnitRepository; records: UnitRevisionRecord[]; stubs: RevisionStub[]; hint: UnitHint;
}): Promise<UnitRevisionRecord[]> {
  const newest = new Map<string, number>();
  for(const stub of stubs) {
    if(hint === 'head' || stub.state !== 'draft') {
      newest.set(stub.unitId, Math.max(newest.get(stub.unitId) ?? 0, stub.revision));
    }
  }
  const stale = records.filter(record => (newest.get(record.unitId) ?? 0) > record.revision);
  if(stale.length > 0) {
    await repository.clearHints({ids: stale.map(record => record._id), hint});
  }
  return records.filter(record => !stale.includes(record));
}
