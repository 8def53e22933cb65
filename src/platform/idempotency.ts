/**
 * Idempotency-Key for issuing POSTs: a retry with the same key and body returns the first
 * answer and does nothing again; the same key with another body is a 422.
 *
 * Design. One record per (organisation, key) under a unique index; the insert of that record is
 * the only claim, because a unique insert is atomic on MongoDB and on FerretDB v1 alike (FerretDB
 * v1 applies an update as read → modify → write, so a conditional update is no compare-and-set
 * there; a delete by `_id` is, since exactly one deleter removes the row).
 * 1. Insert `{state: 'in-progress', owner: <random>, leaseUntil: now + lease}`.
 *    - Inserted: run the operation. Success → its status and response body (JSON text) are
 *      inserted into `idempotencyresponses` under the record's `_id`: the record is done when its
 *      answer exists (an insert: FerretDB v1 scans the collection for every update, and this
 *      collection grows with every request). Failure (any exception) → the record's lease is
 *      ended at once (it stays, with its `operationId`), so a retry with the same body takes it
 *      over at once and runs again with the same `operationId`: what the failed run wrote under
 *      that id (an achievement recorded before its credentials failed) is resumed, never written
 *      twice.
 *    - Duplicate key: read the record and its answer. Another body → 422
 *      `idempotency-key-reused`. Answered → the stored answer (`replayed`). In progress within
 *      its lease → 409 `idempotency-in-progress` (retry later). Expired (`expiresAt` passed) →
 *      treated as absent.
 * 2. A stale record (in progress, lease passed: its process died mid-request) is deleted by its
 *    `_id` and the claim is tried again; among racing retries exactly one insert wins. The new
 *    record keeps the old `operationId`, which the operation receives: it can use it to make its
 *    own writes re-runnable (e.g. as the id of what it creates), because work the dead attempt
 *    did may be there already.
 *
 * Invariants: at most one attempt per (organisation, key) holds a live lease, so the operation
 * runs at most once at a time; once `done`, it never runs again for that key until the record
 * expires (`retentionMs`, default 24 h). The lease (default 60 s) must exceed the longest run:
 * an attempt still running after it may be taken over and the operation run twice.
 *
 * Crash behaviour: a crash before the insert leaves nothing; during the run, a record in progress
 * that blocks the key (409) until its lease ends, then a retry takes it over; after the run but
 * before the answer is stored, the same (the operation's result exists, the answer was not stored):
 * the take-over runs it again with the same `operationId`. If storing the answer fails, the caller
 * still gets its answer (the work is done) and the insert is tried again in the background while
 * the lease holds; if it never succeeds, a later retry behaves as after a crash.
 *
 * Database outage: when the run fails because the database does not answer, its lease cannot be
 * ended either. The caller gets its 503 at once, and the write is retried in the background
 * until it succeeds or the lease has passed, so a retry after the outage goes ahead at once
 * instead of meeting a 409 for the rest of the lease. When the claim itself fails so (its insert
 * may have been written though the answer was lost), nothing ran: the record is deleted (by the
 * `_id` and owner chosen here before the insert) in the same way.
 */
import {randomBytes} from 'node:crypto';

import canonicalizeModule from 'canonicalize';
import type {Request, Response} from 'express';
import {Types} from 'mongoose';

import {isDatabaseUnavailable, isDuplicateKeyError} from './db.js';
import {AppError, Unprocessable, ValidationFailed} from './errors.js';
import type {IdempotencyModels, IdempotencyRecord, IdempotencyResponseRecord} from './idempotency-model.js';
import {createInsertBatcher} from './insert-batcher.js';
import {sha256Hex} from './secrets.js';

// canonicalize is CommonJS; under NodeNext its default export is typed as the module object.
const canonicalize = canonicalizeModule as unknown as typeof canonicalizeModule.default;
const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;
const DEFAULT_SWEEP_INTERVAL_MS = 10 * 60 * 1000;
/** Pause between background attempts to write an attempt's own record while the database is away. */
const RELEASE_RETRY_MS = 1000;
/** Each loop means another request changed the record meanwhile; this bounds a pathological race. */
const MAX_CLAIM_ATTEMPTS = 5;
const HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x20-\x7E]{1,255}$/;

/** 409: another request with the same key is still running. */
export class IdempotencyInProgress extends AppError {
  constructor() {
    super('idempotency-in-progress', 409, 'Request in progress', {
      detail: 'A request with this Idempotency-Key is still being processed; retry later to get its result.',
      headers: {'Retry-After': '1'}
    });
  }
}

/** 422: the key was used before with another request. */
export class IdempotencyKeyReused extends Unprocessable {
  constructor() {
    super('This Idempotency-Key was already used with a different request. Use a new key for a new request.',
      'idempotency-key-reused');
  }
}

/** Which request an Idempotency-Key names: the organisation, the key and the request's hash. */
export interface IdempotencyScope {
  orgId: string;
  key: string;
  requestHash: string;
}

/** What an idempotent operation answers (and what is replayed). */
export interface IdempotentResponse {
  status: number;
  body?: unknown;
}

/** Given to the operation: an id that stays the same when a crashed attempt is taken over. */
export interface IdempotentContext {
  operationId: string;
}

/**
 * Hashes what makes two requests "the same": method, path with query, canonical JSON body
 * (RFC 8785, so key order and whitespace do not matter).
 *
 * @returns sha256 hex.
 */
export function hashRequest({method, path, body}: {method: string; path: string; body: unknown}): string {
  return sha256Hex(`${method.toUpperCase()}\n${path}\n${canonicalize(body ?? null) ?? 'null'}`);
}

/**
 * Reads the Idempotency-Key of an API-key request.
 *
 * @param req - the request (its principal's organisation scopes the key).
 * @param orgId - the caller's organisation.
 * @returns the scope, or undefined when the header is absent (no idempotency).
 * @throws ValidationFailed when the header is not 1–255 printable ASCII characters.
 */
export function idempotencyScopeOf(req: Request, orgId: string): IdempotencyScope | undefined {
  const key = req.get(HEADER);
  if(key === undefined) {
    return undefined;
  }
  if(!KEY_PATTERN.test(key)) {
    throw new ValidationFailed([{pointer: `/header/${HEADER}`,
      message: 'must be 1 to 255 printable ASCII characters'}]);
  }
  return {orgId, key, requestHash: hashRequest({method: req.method, path: req.originalUrl, body: req.body})};
}

/**
 * Creates the idempotency service.
 *
 * @param options.models - the idempotency model.
 * @param options.leaseMs - how long an attempt holds a key before a retry may take it over.
 * @param options.retentionMs - how long an answer is kept for replay.
 * @param options.clock - the time source (tests move it).
 * @returns `withIdempotency`, `respond`, `sweepExpired`, `startSweeper`.
 */
export function createIdempotency({models, leaseMs = DEFAULT_LEASE_MS,
  retentionMs = DEFAULT_RETENTION_MS, clock = () => new Date()}: {
  models: IdempotencyModels; leaseMs?: number; retentionMs?: number; clock?: () => Date;
}) {
  const {Idempotency, IdempotencyResponse} = models;
  const records = createInsertBatcher(Idempotency);
  const answers = createInsertBatcher(IdempotencyResponse);
  const later = (ms: number) => new Date(clock().getTime() + ms);

  /**
   * Runs a write on this attempt's own record; while the database does not answer, tries again
   * in the background until `until` (after it the lease has passed and a retry takes the record
   * over anyway).
   *
   * @returns when the first try has finished, whatever its outcome.
   */
  function writeOwnRecord(write: () => Promise<unknown>, until: Date): Promise<void> {
    const attempt = async (): Promise<void> => {
      try {
        await write();
      } catch(error) {
        if(isDatabaseUnavailable(error) && clock() < until) {
          setTimeout(() => void attempt(), RELEASE_RETRY_MS).unref();
        }
      }
    };
    return attempt();
  }

  /** Inserts the in-progress record; undefined when the key is held already. */
  async function claim(scope: IdempotencyScope, operationId: Types.ObjectId):
    Promise<IdempotencyRecord | undefined> {
    const record = {
      _id: new Types.ObjectId(), orgId: new Types.ObjectId(scope.orgId), key: scope.key,
      requestHash: scope.requestHash,
      state: 'in-progress' as const, owner: randomBytes(16).toString('hex'), leaseUntil: later(leaseMs),
      operationId, createdAt: clock(), expiresAt: later(retentionMs)
    };
    try {
      return await records.insert(record);
    } catch(error) {
      if(isDuplicateKeyError(error)) {
        return undefined;
      }
      if(isDatabaseUnavailable(error)) {
        // The insert may have been written though its answer was lost; nothing ran: free the key.
        void writeOwnRecord(() => Idempotency.deleteOne({_id: record._id, owner: record.owner}),
          record.leaseUntil);
      }
      throw error;
    }
  }

  async function execute(record: IdempotencyRecord,
    run: (context: IdempotentContext) => Promise<IdempotentResponse>): Promise<IdempotentResponse> {
    let result: IdempotentResponse;
    try {
      result = await run({operationId: record.operationId.toHexString()});
    } catch(error) {
      // The run may have written part of its work under operationId (an achievement): end the
      // lease but keep the record, so that a retry takes it over with the same operationId.
      const ended = writeOwnRecord(() => Idempotency.updateOne({_id: record._id, owner: record.owner},
        {$set: {leaseUntil: new Date(0)}}), record.leaseUntil ?? clock());
      if(!isDatabaseUnavailable(error)) {
        // A client that retries at once after a 4xx must find the key free to take over.
        await ended;
      }
      throw error;
    }
    const response = result.body === undefined ? undefined : JSON.stringify(result.body);
    // A duplicate means a take-over finished first; either answer is the request's answer.
    await writeOwnRecord(() => answers.insert({_id: record._id, status: result.status,
      expiresAt: record.expiresAt, ...(response === undefined ? {} : {response})})
      .catch((error: unknown) => {
        if(!isDuplicateKeyError(error)) {
          throw error;
        }
      }), record.leaseUntil ?? clock());
    return result;
  }

  /** The stored answer of a record (answers of records from before the split are on the record). */
  async function answerOf(record: IdempotencyRecord): Promise<Pick<IdempotencyRecord, 'status' | 'response'> |
    undefined> {
    if(record.state === 'done') {
      return record;
    }
    return await IdempotencyResponse.findById(record._id).lean<IdempotencyResponseRecord>() ?? undefined;
  }

  /**
   * Runs an operation at most once per Idempotency-Key and replays its answer.
   *
   * @param scope - the key and request hash; undefined runs the operation plainly.
   * @param run - the operation; it receives a stable `operationId`.
   * @returns the operation's (or the stored) status and body, and whether it was replayed.
   * @throws IdempotencyKeyReused (422), IdempotencyInProgress (409), or what `run` throws.
   */
  async function withIdempotency(scope: IdempotencyScope | undefined,
    run: (context: IdempotentContext) => Promise<IdempotentResponse>):
    Promise<IdempotentResponse & {replayed: boolean}> {
    if(!scope) {
      return {...await run({operationId: new Types.ObjectId().toHexString()}), replayed: false};
    }
    let operationId = new Types.ObjectId();
    for(let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      const mine = await claim(scope, operationId);
      if(mine) {
        return {...await execute(mine, run), replayed: false};
      }
      const existing = await Idempotency.findOne({orgId: scope.orgId, key: scope.key})
        .lean<IdempotencyRecord>();
      const now = clock();
      if(!existing) {
        continue;
      }
      if(existing.expiresAt <= now) {
        await Idempotency.deleteOne({_id: existing._id});
        continue;
      }
      if(existing.requestHash !== scope.requestHash) {
        throw new IdempotencyKeyReused();
      }
      const answer = await answerOf(existing);
      if(answer) {
        return {status: answer.status ?? 200, replayed: true,
          ...(answer.response === undefined ? {} : {body: JSON.parse(answer.response)})};
      }
      if(existing.leaseUntil && existing.leaseUntil > now) {
        throw new IdempotencyInProgress();
      }
      // A dead attempt: remove its record (by _id: only that incarnation) and claim again.
      await Idempotency.deleteOne({_id: existing._id});
      operationId = existing.operationId;
    }
    throw new IdempotencyInProgress();
  }

  /**
   * The HTTP edge: runs the operation under the request's Idempotency-Key (if any) and sends
   * the answer, marking a replay with `Idempotent-Replayed: true`.
   *
   * @param options.req - the request (header, method, path, body).
   * @param options.res - the response to send.
   * @param options.orgId - the caller's organisation.
   * @param options.run - the operation.
   * @throws like `withIdempotency`, and ValidationFailed for a malformed header.
   */
  async function respond({req, res, orgId, run}: {
    req: Request; res: Response; orgId: string;
    run: (context: IdempotentContext) => Promise<IdempotentResponse>;
  }): Promise<void> {
    const result = await withIdempotency(idempotencyScopeOf(req, orgId), run);
    if(result.replayed) {
      res.set('Idempotent-Replayed', 'true');
    }
    res.status(result.status);
    if(result.body === undefined) {
      res.end();
    } else {
      res.json(result.body);
    }
  }

  /**
   * Deletes expired records (there is no TTL index on FerretDB); reads ignore them anyway.
   *
   * @returns how many documents (records and answers) were deleted.
   */
  async function sweepExpired(): Promise<number> {
    const expired = {expiresAt: {$lte: clock()}};
    const [deletedRecords, deletedAnswers] = await Promise.all([Idempotency.deleteMany(expired),
      IdempotencyResponse.deleteMany(expired)]);
    return deletedRecords.deletedCount + deletedAnswers.deletedCount;
  }

  /**
   * Sweeps periodically (timer unref'd, errors ignored: the next sweep catches up).
   *
   * @returns a function that stops the sweeper.
   */
  function startSweeper({intervalMs = DEFAULT_SWEEP_INTERVAL_MS} = {}): () => void {
    const timer = setInterval(() => void sweepExpired().catch(() => undefined), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  return {withIdempotency, respond, sweepExpired, startSweeper};
}

export type IdempotencyService = ReturnType<typeof createIdempotency>;
