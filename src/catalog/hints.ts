/**
 * Checking the `latest` / `listed` hints of a page against the versions themselves (see the
 * design note in service.ts): a flagged version with a newer sibling is stale after a crash or
 * during a race; it is left out of the page and its flag is cleared.
 */
import type {UnitRepository, UnitVersionRecord, VersionStub} from './model.js';

/**
 * Drops the versions of a page whose hint is stale and clears their flag.
 *
 * @param options.records - the page, each carrying the hint.
 * @param options.stubs - every version of the page's units.
 * @param options.hint - `latest`: stale when any newer version exists; `listed`: stale when a
 *   newer published or archived version exists (a newer draft does not replace a listed version).
 * @returns the page without the stale versions.
 */
export async function dropStaleHints({repository, records, stubs, hint}: {
  repository: UnitRepository; records: UnitVersionRecord[]; stubs: VersionStub[];
  hint: 'latest' | 'listed';
}): Promise<UnitVersionRecord[]> {
  const newest = new Map<string, number>();
  for(const stub of stubs) {
    if(hint === 'latest' || stub.state !== 'draft') {
      newest.set(stub.unitId, Math.max(newest.get(stub.unitId) ?? 0, stub.version));
    }
  }
  const stale = records.filter(record => (newest.get(record.unitId) ?? 0) > record.version);
  if(stale.length > 0) {
    await repository.clearHints({ids: stale.map(record => record._id), hint});
  }
  return records.filter(record => !stale.includes(record));
}
