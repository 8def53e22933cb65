/**
 * Status index allocation: every issued credential gets, per purpose (revocation, suspension), a
 * (listId, index) pair that no other credential of the organisation ever gets, at a random place
 * in the list, with several carecred processes sharing one database and no transactions.
 *
 * How:
 * - Each list has a `counter` (positions handed out), a `size` and a secret `seed`.
 *   `findOneAndUpdate({orgId, purpose, state: 'open', size, counter: {$lt: size}},
 *   {$inc: {counter: 1}})` hands out a position p = counter - 1; the index is `permute(p)`, a
 *   keyed bijection of [0, size) (permutation.ts): distinct positions give distinct indexes, and
 *   the order of issuance does not show in the list.
 * - The position is then claimed by inserting (list, position, index) into `statusallocations`
 *   under unique indexes on (list, position) and (list, index). On MongoDB the `$inc` is atomic
 *   and the claim always succeeds. FerretDB v1 (measured: 500 concurrent `$inc`s of one document
 *   leave it at 6) applies an update as read → modify → write the whole document, so two callers
 *   can get the same counter value; the unique index then refuses the second claim and that
 *   caller takes a fresh position. Each counter value written is the previous one + 1, so every
 *   position up to the counter is handed out at least once and claimed exactly once: no gaps.
 * - Within one process, callers for the same organisation and purpose queue up and are served
 *   in batches: one `$inc: {counter: k}` and one unordered insert of k claims serve k callers
 *   (up to 64). The queue is an optimisation, not needed for correctness; on FerretDB it also
 *   keeps collisions to those between processes.
 * - With `reserve` r > 0 (the service uses it), a round takes r positions more than are waiting and
 *   keeps the claimed surplus in memory for the next callers, who get an index without a database
 *   round trip (two commands per purpose per credential were a third of an issuance's database
 *   time on the embedded FerretDB). Reserved indexes are claimed like any other.
 * - When no open list has room, the caller opens the next one (listId = newest + 1) if the
 *   newest is full; the unique index on (orgId, purpose, listId) lets exactly one of several
 *   racing callers create it, the others try again. Lists roll over exactly when full.
 *
 * Invariants:
 * - No (listId, index) is handed out twice: the database refuses a second claim, whatever the
 *   counter says; the permutation is fixed by the list's seed and size (immutable; the
 *   algorithm is pinned by tests).
 * - None is lost except when a process dies between the claim and storing the credential: that
 *   index is burned (its bit stays 0 forever, nobody else gets it), and, with `reserve`, the
 *   reserved indexes it had not handed out yet (at most r per organisation and purpose). Nothing
 *   is ever re-used.
 * - The seed never leaves the server: `select: false` in the model, read only here, never
 *   returned or logged (the result is `{listId, index}`).
 *
 * Crash behaviour: before the counter update nothing changed; between the update and the claim
 * the positions stay unclaimed (gaps, burned); after the claim the index is burned unless the
 * credential was stored; a crash while opening a list leaves no list (the next caller opens it)
 * or a complete one (a single insert).
 */
import {randomBytes} from 'node:crypto';

import {Types} from 'mongoose';

import {isDuplicateKeyError} from '../platform/db.js';
import {ServiceUnavailable} from '../platform/errors.js';
import {STATUS_PURPOSES, type StatusListRecord, type StatusModels,
  type StatusPurpose} from './model.js';
import {createIndexPermutation, type IndexPermutation} from './permutation.js';

/** The size of a status list: the spec's minimum, 131,072 entries (16 KB). */
export const STATUS_LIST_SIZE = 131_072;
/** Positions taken in one round trip when many allocations wait in this process. */
const BATCH_SIZE = 64;
/** Rounds in a row that hand out nothing before the waiting callers give up (503). */
const MAX_IDLE_ROUNDS = 100;
const PERMUTATION_CACHE_SIZE = 256;

/** Where a credential's status lives. */
export interface StatusIndex {
  listId: number;
  index: number;
}

type OpenList = Pick<StatusListRecord, '_id' | 'listId' | 'counter' | 'size' | 'seed'>;
type Claim = {list: Types.ObjectId; position: number; index: number};
type Waiter = {resolve(result: StatusIndex): void; reject(error: unknown): void};

/** The indexes the service takes ahead per organisation and purpose (see `reserve`). */
export const SERVICE_STATUS_RESERVE = 16;

/**
 * Creates the status index allocator.
 *
 * @param options.models - the status models.
 * @param options.size - size of new lists (tests use small ones to see roll-overs).
 * @param options.reserve - indexes taken ahead per organisation and purpose (0: none).
 * @returns `allocateStatusIndex`.
 * @throws TypeError for a size that is not a positive integer or a negative reserve.
 */
export function createStatusAllocator({models, size = STATUS_LIST_SIZE, reserve = 0}: {
  models: StatusModels; size?: number; reserve?: number;
}) {
  if(!Number.isInteger(size) || size < 1) {
    throw new TypeError('"size" must be a positive integer.');
  }
  if(!Number.isInteger(reserve) || reserve < 0 || reserve > BATCH_SIZE) {
    throw new TypeError(`"reserve" must be an integer from 0 to ${BATCH_SIZE}.`);
  }
  const {StatusList, StatusAllocation} = models;
  const permutations = new Map<string, IndexPermutation>();
  /** Callers waiting per organisation and purpose; the first one starts a drain loop. */
  const queues = new Map<string, Waiter[]>();
  /** Claimed indexes not handed out yet (with `reserve`), per organisation and purpose. */
  const spares = new Map<string, StatusIndex[]>();

  function permutationOf(list: OpenList): IndexPermutation {
    const key = list._id.toHexString();
    let permutation = permutations.get(key);
    if(!permutation) {
      if(permutations.size >= PERMUTATION_CACHE_SIZE) {
        permutations.clear();
      }
      permutation = createIndexPermutation({seed: Buffer.from(list.seed, 'base64url'), size: list.size});
      permutations.set(key, permutation);
    }
    return permutation;
  }

  /** Takes `count` positions of the open list with room, if there is one. */
  async function takePositions(orgId: Types.ObjectId, purpose: StatusPurpose, count: number):
    Promise<OpenList | null> {
    return StatusList.findOneAndUpdate(
      {orgId, purpose, state: 'open', size, counter: {$lt: size}},
      {$inc: {counter: count}},
      // No projection: FerretDB v1 does not implement `fields` on findAndModify; `+seed` lifts
      // the model's default exclusion of the seed for this one query.
      {sort: {listId: 1}, returnDocument: 'after'}
    ).select('+seed').lean<OpenList>();
  }

  /** Inserts the claims; returns those that were not already held (duplicates only on FerretDB). */
  async function claim(claims: Claim[]): Promise<Claim[]> {
    try {
      await StatusAllocation.collection.insertMany(claims, {ordered: false});
      return claims;
    } catch(error) {
      const writeErrors = (error as {writeErrors?: {index: number; code?: number}[]}).writeErrors;
      if(!writeErrors?.length || !writeErrors.every(isDuplicateKeyError)) {
        throw error;
      }
      const refused = new Set(writeErrors.map(writeError => writeError.index));
      return claims.filter((_, i) => !refused.has(i));
    }
  }

  /** Opens the list after the newest one when the newest is full (or there is none yet). */
  async function openNextList(orgId: Types.ObjectId, purpose: StatusPurpose): Promise<void> {
    const newest = await StatusList.findOne({orgId, purpose}).sort({listId: -1}).lean<StatusListRecord>();
    if(newest && newest.state === 'open' && newest.size === size && newest.counter < newest.size) {
      return;
    }
    try {
      await StatusList.create({
        orgId, purpose, listId: (newest?.listId ?? 0) + 1, size, counter: 0,
        seed: randomBytes(32).toString('base64url'), state: 'open'
      });
    } catch(error) {
      if(!isDuplicateKeyError(error)) {
        throw error;
      }
    }
  }

  /** One round: up to `count` indexes, fewer (even none) when another caller got there first. */
  async function allocateSome(orgId: Types.ObjectId, purpose: StatusPurpose, count: number):
    Promise<StatusIndex[]> {
    const list = await takePositions(orgId, purpose, count);
    if(!list) {
      await openNextList(orgId, purpose);
      return [];
    }
    const permutation = permutationOf(list);
    const claims: Claim[] = [];
    for(let position = list.counter - count; position < Math.min(list.counter, list.size); position++) {
      claims.push({list: list._id, position, index: permutation.permute(position)});
    }
    const claimed = await claim(claims);
    if(list.counter >= list.size) {
      await StatusList.updateOne({_id: list._id}, {$set: {state: 'full', counter: list.size}});
    }
    return claimed.map(({index}) => ({listId: list.listId, index}));
  }

  /** Serves the callers waiting for (org, purpose), a batch per round, until none is left. */
  async function drain(key: string, orgId: Types.ObjectId, purpose: StatusPurpose): Promise<void> {
    const queue = queues.get(key)!;
    try {
      for(let idleRounds = 0; queue.length > 0;) {
        const allocated = await allocateSome(orgId, purpose, Math.min(queue.length + reserve, BATCH_SIZE));
        const served = queue.splice(0, allocated.length);
        served.forEach((waiter, i) => waiter.resolve(allocated[i]!));
        if(allocated.length > served.length) {
          spares.set(key, [...spares.get(key) ?? [], ...allocated.slice(served.length)]);
        }
        idleRounds = allocated.length > 0 ? 0 : idleRounds + 1;
        if(idleRounds >= MAX_IDLE_ROUNDS) {
          throw new ServiceUnavailable('Could not allocate a status index under contention; retry.');
        }
      }
    } catch(error) {
      queue.splice(0).forEach(waiter => waiter.reject(error));
    } finally {
      queues.delete(key);
    }
  }

  /**
   * Hands out a status index that no other credential of the organisation has for this purpose.
   *
   * @param options.orgId - the organisation (hex id).
   * @param options.purpose - `revocation` or `suspension`.
   * @returns the list number and the index in it.
   * @throws TypeError for a bad orgId or purpose; ServiceUnavailable if contention never ends.
   */
  async function allocateStatusIndex({orgId, purpose}: {orgId: string; purpose: StatusPurpose}):
    Promise<StatusIndex> {
    if(typeof orgId !== 'string' || !/^[0-9a-f]{24}$/.test(orgId)) {
      throw new TypeError('"orgId" must be an organisation id.');
    }
    if(!STATUS_PURPOSES.includes(purpose)) {
      throw new TypeError(`"purpose" must be one of ${STATUS_PURPOSES.join(', ')}.`);
    }
    const key = `${orgId}/${purpose}`;
    const spare = spares.get(key)?.shift();
    if(spare) {
      return spare;
    }
    return new Promise<StatusIndex>((resolve, reject) => {
      const queue = queues.get(key);
      if(queue) {
        queue.push({resolve, reject});
        return;
      }
      queues.set(key, [{resolve, reject}]);
      void drain(key, new Types.ObjectId(orgId), purpose);
    });
  }

  return {allocateStatusIndex};
}

export type StatusAllocator = ReturnType<typeof createStatusAllocator>;
