/**
 * Hot reads: the few lookups that every issuing request makes and that change rarely — the API
 * key behind a request, the organisation's active signing key, the unit version to issue for —
 * are kept in memory for HOT_READ_TTL_MS.
 *
 * Why: on the embedded FerretDB (SQLite backend) only `_id` lookups use an index; these three
 * queries scan and sort their collections, and under concurrent issuing they cost more of the
 * database's time than all the inserts of a credential together (measured with `bench:issue`).
 *
 * What it means: a change made through a process (revoking an API key, rotating or revoking a
 * signing key, publishing, changing or archiving a unit) clears that process's entries, so it
 * takes effect there at once; other processes sharing the database see it within HOT_READ_TTL_MS
 * (DID documents of carecred's own DIDs are already cached for 10 s). Only found values are kept:
 * a lookup that finds nothing or fails (database away) is asked again next time, so a new API key
 * works at once on every process and an outage is never remembered.
 */
import {LRUCache} from 'lru-cache';

/** How long a hot read is kept (ms). */
export const HOT_READ_TTL_MS = 1000;
const MAX_ENTRIES = 10_000;

/** A hot-read cache: `get(key)` loads at most once per key and TTL; concurrent calls share one load. */
export interface HotReads<V> {
  /** The value for `key`: cached, or loaded (undefined when `load` finds nothing). */
  get(key: string): Promise<V | undefined>;
  /** Forgets one key (a change made through this process). */
  forget(key: string): void;
  /** Forgets everything (a change whose keys are not known one by one). */
  clear(): void;
}

/**
 * Makes a hot-read cache over one lookup.
 *
 * @param load - reads the value from the database; undefined when there is none.
 * @param ttlMs - how long a found value is kept.
 * @returns the cache.
 */
export function createHotReads<V extends object>(load: (key: string) => Promise<V | undefined>,
  ttlMs = HOT_READ_TTL_MS): HotReads<V> {
  // The entry holds the load's promise, so concurrent reads share one load. A read in flight when
  // its key is forgotten still gets what it started to read (it began before the change); only
  // later reads load again. (lru-cache's own `fetch` would reject the reads in flight instead.)
  type Entry = {loading: Promise<V | undefined>};
  const cache = new LRUCache<string, Entry>({max: MAX_ENTRIES, ttl: Math.max(ttlMs, 1)});
  function dropIfStill(key: string, entry: Entry): void {
    if(cache.peek(key) === entry) {
      cache.delete(key);
    }
  }
  return {
    get(key) {
      if(ttlMs <= 0) {
        return load(key);
      }
      const hit = cache.get(key);
      if(hit) {
        return hit.loading;
      }
      const entry = {loading: load(key)};
      cache.set(key, entry);
      entry.loading.then(value => value === undefined && dropIfStill(key, entry),
        () => dropIfStill(key, entry));
      return entry.loading;
    },
    forget: key => {
      cache.delete(key);
    },
    clear: () => cache.clear()
  };
}
