/**
 * Running import jobs: each row issued exactly once, across crashes, database outages and several
 * carecred processes on one database, without transactions.
 *
 * The problem. A job of 100,000 rows runs for minutes. The process may die (SIGKILL) at any row,
 * the database may go away and come back, and any process may pick the job up. FerretDB v1 makes
 * updates read → modify → write (a conditional update can have several winners, a concurrent one
 * can be undone) and serves only `_id` lookups from an index (see model.ts).
 *
 * Invariants.
 * 1. A row is issued at most once. Row r of job j is issued by `recordAchievement` with the
 *    operation id `rowOperationId(j, r)`, which becomes the achievement's `_id`: whoever runs the
 *    row again (a resumed job, a second owner) finds that achievement and issues only the
 *    credentials it still lacks; the credentials' unique live slot refuses a second live one.
 * 2. A row has at most one result: results are inserted under `_id: "<j>:<r>"`; the first insert
 *    stands, a later one fails on the key and adopts the stored result.
 * 3. One owner at a time, normally: the lease is an insert of `importleases` `_id: "<j>:<epoch>"`
 *    (one winner per epoch). The owner heartbeats the job document every `heartbeatMs`, and at
 *    each heartbeat checks that epoch + 1 does not exist; if it does, a newer owner took over and
 *    this one stops. Another process takes a job over only when its heartbeat is older than
 *    `leaseMs`. Two owners for a moment (a stalled owner waking up) are harmless by 1 and 2.
 * 4. Counts are exact at the end. The job stores a checkpoint (every row up to it has a result)
 *    with the issued/failed counts of those rows. A new owner starts there and, for each later
 *    row, first looks up its result (by `_id`) and counts it instead of running the row. So every
 *    row is counted once, as its stored result says.
 *
 * Outages. A row whose issuing fails because the database is unavailable (a 503-type error) is not
 * a failed row: it goes back to the queue, the job stops taking rows, pings the database with
 * backoff, and goes on when it answers. The row is then run again under the same operation id
 * (by 1, what was written before the outage is found, not repeated).
 *
 * After a crash. The lease stops being renewed; after `leaseMs` the next process that looks (at
 * start or on its periodic check) takes the lease, resumes from the checkpoint and runs the rows
 * without a result. A row that was in flight is completed (its achievement found, missing
 * credentials issued). Memory stays flat: rows are read one at a time by `_id`, and at most
 * `window` finished rows beyond the checkpoint are remembered.
 */
import {createHash, randomBytes} from 'node:crypto';
import {setTimeout as sleep} from 'node:timers/promises';

import {isDuplicateKeyError} from '../platform/db.js';
import type {Problem} from '../platform/http/problem.js';
import {createInsertBatcher} from '../platform/insert-batcher.js';
import type {Logger} from '../platform/logger.js';
import {type ImportJobRecord, type ImportModels, type ImportResultRecord, rowKey} from './model.js';

/** What processing a row gives: a result to store. */
export type RowOutcome = Omit<ImportResultRecord, '_id' | 'at'>;

/** Runs one row: its outcome (issued, or failed with a problem); throws only transient errors. */
export type ProcessRow = (job: ImportJobRecord, row: number) => Promise<RowOutcome>;

/** Options of `createImportRunner`. */
export interface ImportRunnerOptions {
  models: ImportModels;
  processRow: ProcessRow;
  /** Whether an error means "the database is unavailable" (retry later, not a failed row). */
  isTransient: (error: unknown) => boolean;
  /** Resolves true once the database answers again. */
  ping: () => Promise<boolean>;
  /** Called with a job that completed or failed (to delete its uploaded rows). */
  onFinished?: (job: ImportJobRecord) => void;
  /** The problem document stored on a job that could not go on. */
  failureProblem: (job: ImportJobRecord) => Problem;
  logger: Logger;
  /** Rows in flight per job (they keep the signing workers busy). */
  concurrency?: number;
  /** A job whose heartbeat is older than this may be taken over by another process. */
  leaseMs?: number;
  heartbeatMs?: number;
  /** Jobs this process runs at once; more wait for a free slot or for another process. */
  maxJobs?: number;
  /** Finished rows remembered beyond the checkpoint before taking new rows waits. */
  window?: number;
  clock?: () => Date;
}

const MAX_BACKOFF_MS = 5_000;
const FIRST_BACKOFF_MS = 200;
/** Epochs probed past the job's hint when claimers died before updating the job. */
const MAX_EPOCH_PROBES = 16;

/**
 * The operation id of a row (invariant 1): the same for every run of the row, an ObjectId in form
 * (24 hex digits: the job's timestamp, then 64 bits of SHA-256 of job and row).
 *
 * @returns 24 hex digits.
 */
export function rowOperationId(jobId: string, row: number): string {
  return jobId.slice(0, 8) + createHash('sha256').update(`${jobId}:${row}`).digest('hex').slice(0, 16);
}

/** Counts of finished rows and the checkpoint below which every row is finished. */
class Progress {
  readonly finished = new Map<number, 'issued' | 'failed'>();
  checkpoint: number;
  checkpointIssued: number;
  checkpointFailed: number;
  issued: number;
  failed: number;

  constructor(job: ImportJobRecord) {
    this.checkpoint = job.checkpoint;
    this.checkpointIssued = this.issued = job.checkpointIssued;
    this.checkpointFailed = this.failed = job.checkpointFailed;
  }

  finish(row: number, status: 'issued' | 'failed'): void {
    this.finished.set(row, status);
    this[status]++;
    for(let next = this.finished.get(this.checkpoint + 1); next;
      next = this.finished.get(this.checkpoint + 1)) {
      this.finished.delete(this.checkpoint + 1);
      this.checkpoint++;
      if(next === 'issued') {
        this.checkpointIssued++;
      } else {
        this.checkpointFailed++;
      }
    }
  }

  snapshot() {
    return {rowsIssued: this.issued, rowsFailed: this.failed, checkpoint: this.checkpoint,
      checkpointIssued: this.checkpointIssued, checkpointFailed: this.checkpointFailed};
  }
}

/** One job running in this process under one lease epoch. */
class JobRun {
  private readonly progress: Progress;
  private readonly retry: number[] = [];
  private next: number;
  private pause: Promise<void> | undefined;
  private stopped = false;
  private beating = false;
  private timer: NodeJS.Timeout | undefined;
  private writes: Promise<void> = Promise.resolve();
  readonly done: Promise<void>;

  constructor(private readonly job: ImportJobRecord, private readonly epoch: number,
    private readonly options: Required<Omit<ImportRunnerOptions, 'onFinished'>> &
      Pick<ImportRunnerOptions, 'onFinished'>, private readonly log: Logger,
    private readonly insertResult: (result: ImportResultRecord) => Promise<void>) {
    this.progress = new Progress(job);
    this.next = job.checkpoint + 1;
    this.done = this.run();
  }

  /** Stops taking rows; with `release`, lets another process take the job at once. */
  async stop({drainMs, release}: {drainMs: number; release: boolean}): Promise<void> {
    this.stopped = true;
    await Promise.race([this.done, sleep(drainMs)]);
    clearInterval(this.timer);
    if(release) {
      await this.writeProgress({heartbeatAt: new Date(0)}).catch(() => undefined);
    }
  }

  private async run(): Promise<void> {
    this.timer = setInterval(() => void this.heartbeat(), this.options.heartbeatMs);
    this.timer.unref();
    try {
      await Promise.all(Array.from({length: this.options.concurrency}, () => this.work()));
      if(!this.stopped && this.progress.checkpoint >= this.job.rowsTotal) {
        await this.complete();
      }
    } catch(error) {
      this.stopped = true;
      clearInterval(this.timer);
      this.log.error({err: error, importId: String(this.job._id)}, 'import job failed');
      await this.writeProgress({state: 'failed', finishedAt: this.options.clock(),
        problem: this.options.failureProblem(this.job)}).catch(() => undefined);
      this.options.onFinished?.({...this.job, state: 'failed'});
    } finally {
      clearInterval(this.timer);
    }
  }

  /** One of `concurrency` loops: take a row, run it, until none are left or the run stops. */
  private async work(): Promise<void> {
    while(!this.stopped) {
      if(this.pause) {
        await this.pause;
        continue;
      }
      const row = this.take();
      if(row === undefined) {
        return;
      }
      if(row === 'wait') {
        await sleep(20);
        continue;
      }
      await this.runRow(row);
    }
  }

  private take(): number | 'wait' | undefined {
    if(this.retry.length > 0) {
      return this.retry.shift();
    }
    if(this.next > this.job.rowsTotal) {
      return undefined;
    }
    return this.next > this.progress.checkpoint + this.options.window ? 'wait' : this.next++;
  }

  private async runRow(row: number): Promise<void> {
    const {ImportResult} = this.options.models;
    try {
      // Only a job that ran before can have results past its checkpoint.
      const earlier = this.epoch > 1 ? await ImportResult.findById(rowKey(this.job._id, row))
        .lean<ImportResultRecord>() : null;
      const status = earlier?.status ?? await this.storeResult(row,
        await this.options.processRow(this.job, row));
      this.progress.finish(row, status);
    } catch(error) {
      if(!this.options.isTransient(error)) {
        throw error;
      }
      this.retry.push(row);
      await this.waitForDatabase();
    }
  }

  /** Inserts the row's result; when one exists already (invariant 2), that one counts. */
  private async storeResult(row: number, outcome: RowOutcome): Promise<'issued' | 'failed'> {
    const {ImportResult} = this.options.models;
    const _id = rowKey(this.job._id, row);
    try {
      await this.insertResult({_id, ...outcome, at: this.options.clock()});
      return outcome.status;
    } catch(error) {
      const stored = isDuplicateKeyError(error) ?
        await ImportResult.findById(_id).lean<ImportResultRecord>() : null;
      if(!stored) {
        throw error;
      }
      return stored.status;
    }
  }

  /** Holds every loop until the database answers again (one shared wait per outage). */
  private waitForDatabase(): Promise<void> {
    this.pause ??= (async () => {
      this.log.warn({importId: String(this.job._id)}, 'import paused: database unavailable');
      for(let delay = FIRST_BACKOFF_MS; !this.stopped; delay = Math.min(delay * 2, MAX_BACKOFF_MS)) {
        await sleep(delay);
        if(await this.options.ping()) {
          await this.heartbeat();
          break;
        }
      }
      this.log.info({importId: String(this.job._id)}, 'import resumed after the database came back');
    })().finally(() => {
      this.pause = undefined;
    });
    return this.pause;
  }

  /** Renews the lease and writes progress; stops when a newer owner took the job over. */
  private async heartbeat(): Promise<void> {
    if(this.beating || this.stopped) {
      return;
    }
    this.beating = true;
    try {
      const {ImportLease} = this.options.models;
      if(await ImportLease.findById(`${String(this.job._id)}:${this.epoch + 1}`).lean()) {
        this.stopped = true;
        this.log.warn({importId: String(this.job._id), epoch: this.epoch}, 'import taken over by another process');
        return;
      }
      await this.writeProgress({});
    } catch {
      // The database is away: the rows notice it too; the next heartbeat tries again.
    } finally {
      this.beating = false;
    }
  }

  /**
   * Writes the job document. One write at a time: FerretDB rewrites the whole document from an
   * earlier read, so a heartbeat overlapping the final write could bring back `running`.
   */
  private writeProgress(extra: Partial<ImportJobRecord>): Promise<void> {
    const write = this.writes.catch(() => undefined).then(async () => {
      await this.options.models.ImportJob.updateOne({_id: this.job._id}, {$set: {
        heartbeatAt: this.options.clock(), leaseEpoch: this.epoch, ...this.progress.snapshot(), ...extra
      }});
    });
    this.writes = write;
    return write;
  }

  /** Marks the job completed with its exact counts (retrying through an outage). */
  private async complete(): Promise<void> {
    clearInterval(this.timer);
    for(let delay = FIRST_BACKOFF_MS; ; delay = Math.min(delay * 2, MAX_BACKOFF_MS)) {
      try {
        await this.writeProgress({state: 'completed', finishedAt: this.options.clock()});
        break;
      } catch(error) {
        if(!this.options.isTransient(error) || this.stopped) {
          throw error;
        }
        await sleep(delay);
      }
    }
    const {rowsIssued, rowsFailed} = this.progress.snapshot();
    this.log.info({importId: String(this.job._id), rowsIssued, rowsFailed}, 'import completed');
    this.options.onFinished?.({...this.job, state: 'completed'});
  }
}

/**
 * Creates the import runner of this process: takes leases on jobs and runs them.
 *
 * @returns `start` (claim and run a job), `isRunning`, `close`.
 */
export function createImportRunner(options: ImportRunnerOptions) {
  const settings = {concurrency: 16, leaseMs: 30_000, heartbeatMs: 1_000, maxJobs: 2, window: 2_000,
    clock: () => new Date(), ...options};
  const log = settings.logger.child({module: 'imports'});
  const owner = randomBytes(8).toString('hex');
  const running = new Map<string, JobRun>();
  // Results of all jobs of this process go out in group commits (a result is one small insert per row).
  const results = createInsertBatcher(settings.models.ImportResult);
  const insertResult = async (result: ImportResultRecord): Promise<void> => {
    await results.insert({...result});
  };
  let closed = false;

  /** Takes the next lease epoch of a job; undefined when another process holds a fresh one. */
  async function claim(job: ImportJobRecord): Promise<number | undefined> {
    const {ImportLease} = settings.models;
    const staleBefore = settings.clock().getTime() - settings.leaseMs;
    for(let epoch = job.leaseEpoch + 1; epoch <= job.leaseEpoch + MAX_EPOCH_PROBES; epoch++) {
      try {
        await ImportLease.create({_id: `${String(job._id)}:${epoch}`, owner, at: settings.clock()});
        return epoch;
      } catch(error) {
        if(!isDuplicateKeyError(error)) {
          throw error;
        }
        const lease = await ImportLease.findById(`${String(job._id)}:${epoch}`).lean<{at: Date}>();
        if(lease && lease.at.getTime() > staleBefore) {
          return undefined;
        }
      }
    }
    return undefined;
  }

  /**
   * Claims a job and runs it in the background.
   *
   * @returns whether this process now runs it (false: running here already, no free slot, or
   *   another process holds its lease).
   */
  async function start(job: ImportJobRecord): Promise<boolean> {
    const id = String(job._id);
    if(closed || running.has(id) || running.size >= settings.maxJobs) {
      return false;
    }
    const epoch = await claim(job);
    if(epoch === undefined || closed || running.has(id)) {
      return false;
    }
    const now = settings.clock();
    const claimed = {...job, state: 'running' as const, leaseEpoch: epoch, startedAt: job.startedAt ?? now};
    await settings.models.ImportJob.updateOne({_id: job._id}, {$set: {state: 'running', leaseEpoch: epoch,
      heartbeatAt: now, startedAt: claimed.startedAt}});
    log.info({importId: id, epoch, checkpoint: job.checkpoint, rowsTotal: job.rowsTotal}, 'import started');
    const run = new JobRun(claimed, epoch, settings, log, insertResult);
    running.set(id, run);
    void run.done.finally(() => running.delete(id));
    return true;
  }

  /**
   * Stops every job of this process: no new rows; rows in flight get `drainMs` to finish; with
   * `release` (a normal shutdown) the leases are given up so another process goes on at once.
   */
  async function close({drainMs = 5_000, release = true}: {drainMs?: number; release?: boolean} = {}):
    Promise<void> {
    closed = true;
    await Promise.all([...running.values()].map(run => run.stop({drainMs, release})));
  }

  return {start, close, isRunning: (jobId: string) => running.has(jobId),
    hasCapacity: () => !closed && running.size < settings.maxJobs, leaseMs: settings.leaseMs};
}

export type ImportRunner = ReturnType<typeof createImportRunner>;
