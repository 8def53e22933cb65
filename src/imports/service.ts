/**
 * Bulk imports: the story of `createImport` is receive (stream the body into `importrows`) →
 * claim the Idempotency-Key with the body's digest → queue the job → answer 202; the runner
 * (runner.ts) then issues the rows in the background, each through `recordAchievement`.
 *
 * An upload is stored before its job is accepted, under a job in the internal state
 * `receiving`: a retry with the same Idempotency-Key and body finds the first job and the second
 * upload is discarded; an upload that fails (413, malformed, aborted) or whose process dies is
 * discarded too (by this process at once, or by any process once its heartbeat is stale).
 */
import type {Readable} from 'node:stream';

import {Types} from 'mongoose';

import type {AchievementInput, AchievementService} from '../achievements/index.js';
import type {components} from '../generated/openapi.js';
import {isDatabaseUnavailable, isDuplicateKeyError} from '../platform/db.js';
import {AppError, Conflict, NotFound, ServiceUnavailable, Unprocessable,
  ValidationFailed} from '../platform/errors.js';
import {toProblem} from '../platform/http/problem.js';
import {hashRequest, type IdempotencyService, type IdempotentResponse} from '../platform/idempotency.js';
import type {Logger} from '../platform/logger.js';
import {type ImportDefaults, type ImportJobRecord, type ImportMediaType, type ImportModels,
  type ImportResultRecord, type ImportRowRecord, rowKey, rowRange} from './model.js';
import {toAchievementInput} from './rows.js';
import {createImportRunner, rowOperationId,type RowOutcome} from './runner.js';
import {readUpload, UploadTooLarge} from './upload.js';

/** An import job as the API shows it. */
export type ImportResource = components['schemas']['import-job'];

/** One row of the report. */
export type ImportRowReport = components['schemas']['import-row-result'];

const STAGE_BATCH_ROWS = 500;
const STAGE_BATCH_CHARS = 1_000_000;
const REPORT_CHUNK = 25;

/**
 * Maps a stored job to its API shape.
 *
 * @returns the resource.
 */
export function toImportResource(job: ImportJobRecord): ImportResource {
  return {
    id: String(job._id), state: job.state === 'receiving' ? 'queued' : job.state, mediaType: job.mediaType,
    defaults: job.defaults ?? {}, rowsTotal: job.rowsTotal, rowsDone: job.rowsIssued + job.rowsFailed,
    rowsIssued: job.rowsIssued, rowsFailed: job.rowsFailed, createdAt: job.createdAt.toISOString(),
    ...(job.startedAt ? {startedAt: job.startedAt.toISOString()} : {}),
    ...(job.finishedAt ? {finishedAt: job.finishedAt.toISOString()} : {}),
    ...(job.problem ? {problem: job.problem} : {})
  };
}

/** Whether an error means "try again later" rather than "this row is bad". */
function isTransient(error: unknown): boolean {
  return isDatabaseUnavailable(error) || (error instanceof AppError && error.status === 503);
}

/** Pointers of errors from `recordAchievement` (`/body/...`) made relative to the row. */
function rowPointer(pointer: string, flat: boolean): string {
  const relative = pointer.replace(flat ? /^\/body(\/learner)?/ : /^\/body/, '');
  return relative === '' ? '/' : relative;
}

/**
 * Creates the import service.
 *
 * @param options.limitBytes - the largest upload (IMPORT_LIMIT_BYTES).
 * @param options.ping - whether the database answers (the runner waits for it after an outage).
 * @param options.runner - runner settings (tests shorten the lease).
 * @returns the service functions.
 */
export function createImportService({models, achievements, idempotency, publicBaseUrl, limitBytes,
  logger, ping, runner: runnerOptions = {}, clock = () => new Date()}: {
  models: ImportModels; achievements: Pick<AchievementService, 'recordAchievement' | 'findAchievement'>;
  idempotency: IdempotencyService; publicBaseUrl: string; limitBytes: number; logger: Logger;
  ping: () => Promise<boolean>; clock?: () => Date;
  runner?: {concurrency?: number; leaseMs?: number; heartbeatMs?: number; maxJobs?: number};
}) {
  const {ImportJob, ImportRow, ImportResult} = models;
  const log = logger.child({module: 'imports'});
  const runner = createImportRunner({models, processRow, isTransient, ping, logger, clock, ...runnerOptions,
    onFinished: job => void discardRows(job._id),
    // The cause is logged, never shown: the generic internal-error problem.
    failureProblem: job => toProblem({error: new Error('import failed'), baseUrl: publicBaseUrl,
      instance: `/v1/imports/${String(job._id)}`}).body});

  /** A failed row's result: its problem (pointers into the row), and its achievement if one exists. */
  async function failedRow(job: ImportJobRecord, row: number, error: unknown, flat: boolean):
    Promise<RowOutcome> {
    if(!(error instanceof AppError)) {
      log.error({err: error, importId: String(job._id), row}, 'import row failed unexpectedly');
    }
    const {body} = toProblem({error, baseUrl: publicBaseUrl,
      instance: `/v1/imports/${String(job._id)}?cursor=${row - 1}&limit=1`});
    if(Array.isArray(body.errors)) {
      body.errors = (body.errors as {pointer: string; message: string}[])
        .map(fieldError => ({...fieldError, pointer: rowPointer(fieldError.pointer, flat)}));
    }
    // A row that failed while issuing a credential keeps the achievement recorded before it.
    const achievementId = rowOperationId(String(job._id), row);
    const achievement = await achievements.findAchievement({orgId: String(job.orgId), achievementId})
      .catch((lookupError: unknown) => {
        if(isTransient(lookupError)) {
          throw lookupError;
        }
      });
    return {status: 'failed', problem: body, ...(achievement ? {achievementId} : {})};
  }

  /** Issues a row; a conflict (a racing creation of the same learner, or a second owner) is retried once. */
  async function issueRow(job: ImportJobRecord, row: number, input: AchievementInput): Promise<RowOutcome> {
    const operationId = rowOperationId(String(job._id), row);
    for(let attempt = 1; ; attempt++) {
      try {
        const {achievement, credentials} = await achievements.recordAchievement({orgId: String(job.orgId),
          input, operationId, importId: job._id});
        return {status: 'issued', achievementId: achievement._id.toHexString(),
          learnerId: achievement.learnerId.toHexString(),
          credentials: credentials.map(({id, profile, format}) => ({id, profile, format}))};
      } catch(error) {
        if(attempt > 1 || !(error instanceof Conflict && error.code === 'conflict')) {
          throw error;
        }
      }
    }
  }

  /** Runs one row (for the runner): read it, check it, issue it. Throws only transient errors. */
  async function processRow(job: ImportJobRecord, row: number): Promise<RowOutcome> {
    const stored = await ImportRow.findById(rowKey(job._id, row)).lean<ImportRowRecord>();
    let flat = true;
    try {
      if(!stored) {
        throw new Error(`row ${row} of import ${String(job._id)} is not stored`);
      }
      if(stored.invalid) {
        throw new ValidationFailed([{pointer: '/', message: stored.invalid}], 'The row is not valid.');
      }
      const parsed = toAchievementInput({raw: stored.raw, defaults: job.defaults ?? {}});
      flat = parsed.flat;
      return await issueRow(job, row, parsed.input);
    } catch(error) {
      if(isTransient(error)) {
        throw error;
      }
      return failedRow(job, row, error, flat);
    }
  }

  async function discardRows(jobId: Types.ObjectId): Promise<void> {
    await ImportRow.deleteMany(rowRange(jobId)).catch(() => undefined);
  }

  /** Forgets an upload that never became a job (best effort; a stale one is found again later). */
  async function discardUpload(jobId: Types.ObjectId): Promise<void> {
    await discardRows(jobId);
    await ImportJob.deleteOne({_id: jobId}).catch(() => undefined);
  }

  /** Stores the rows of the body in batches, under a job in state `receiving`. */
  async function receiveUpload({orgId, body, mediaType, defaults}: {
    orgId: string; body: Readable; mediaType: ImportMediaType; defaults: ImportDefaults;
  }): Promise<{jobId: Types.ObjectId; sha256: string; rowsTotal: number}> {
    const jobId = new Types.ObjectId();
    const now = clock();
    await ImportJob.create({_id: jobId, orgId: new Types.ObjectId(orgId), state: 'receiving', mediaType,
      defaults, rowsTotal: 0, rowsIssued: 0, rowsFailed: 0, checkpoint: 0, checkpointIssued: 0,
      checkpointFailed: 0, leaseEpoch: 0, heartbeatAt: now, createdAt: now});
    const heartbeat = setInterval(() => void ImportJob.updateOne({_id: jobId},
      {$set: {heartbeatAt: clock()}}).catch(() => undefined), 5_000);
    heartbeat.unref();
    let batch: ImportRowRecord[] = [];
    let chars = 0;
    let rowsTotal = 0;
    const flush = async () => {
      if(batch.length > 0) {
        const rows = batch;
        batch = [];
        chars = 0;
        await ImportRow.collection.insertMany(rows as never[], {ordered: true});
      }
    };
    try {
      const {sha256} = await readUpload({body, mediaType, limitBytes, onRow: async (row, number) => {
        batch.push({_id: rowKey(jobId, number), raw: row.raw,
          ...(row.invalid ? {invalid: row.invalid} : {})});
        chars += row.raw.length;
        if(batch.length >= STAGE_BATCH_ROWS || chars >= STAGE_BATCH_CHARS) {
          await flush();
        }
        rowsTotal = number;
      }});
      await flush();
      if(rowsTotal === 0) {
        throw new Unprocessable('The upload holds no rows.', 'import-empty');
      }
      return {jobId, sha256, rowsTotal};
    } catch(error) {
      void discardUpload(jobId);
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Turns a stored upload into a queued job of the operation; a job the operation made already wins. */
  async function queue({jobId, rowsTotal, operationId}: {jobId: Types.ObjectId; rowsTotal: number;
    operationId: string}): Promise<ImportJobRecord> {
    try {
      const {matchedCount} = await ImportJob.updateOne({_id: jobId, state: 'receiving'},
        {$set: {state: 'queued', operationId, rowsTotal, heartbeatAt: clock()}});
      if(matchedCount === 0) {
        throw new ServiceUnavailable('The upload was interrupted before it was accepted; send it again.');
      }
      return (await ImportJob.findById(jobId).lean<ImportJobRecord>())!;
    } catch(error) {
      const existing = isDuplicateKeyError(error) ?
        await ImportJob.findOne({operationId}).lean<ImportJobRecord>() : null;
      if(!existing) {
        throw error;
      }
      return existing;
    }
  }

  /**
   * Receives an upload and queues its job (202); the rows are issued in the background.
   *
   * @param options.body - the request body stream.
   * @param options.contentLength - the declared length, if any (checked before reading).
   * @param options.idempotencyKey - the Idempotency-Key header, if any.
   * @param options.requestPath - method-less request path with query (part of the request's identity).
   * @returns the job and whether it is the stored answer of an earlier request.
   * @throws {UploadTooLarge} (413), {MalformedBody}/{ValidationFailed} (400), {Unprocessable}
   *   (422: no rows, or the key reused with another body), IdempotencyInProgress (409).
   */
  async function createImport({orgId, body, mediaType, contentLength, defaults, idempotencyKey,
    requestPath}: {
    orgId: string; body: Readable; mediaType: ImportMediaType | undefined; contentLength?: number;
    defaults: ImportDefaults; idempotencyKey?: string; requestPath: string;
  }): Promise<{job: ImportResource; replayed: boolean}> {
    if(!mediaType) {
      throw new ValidationFailed([{pointer: '/body', message: 'a request body is required'}]);
    }
    if(contentLength !== undefined && contentLength > limitBytes) {
      throw new UploadTooLarge(limitBytes);
    }
    const upload = await receiveUpload({orgId, body, mediaType, defaults});
    const scope = idempotencyKey === undefined ? undefined : {orgId, key: idempotencyKey,
      requestHash: hashRequest({method: 'POST', path: requestPath, body: {mediaType, sha256: upload.sha256}})};
    let result: IdempotentResponse & {replayed: boolean};
    try {
      result = await idempotency.withIdempotency(scope, async ({operationId}) => ({status: 202,
        body: toImportResource(await queue({...upload, operationId}))}));
    } catch(error) {
      void discardUpload(upload.jobId);
      throw error;
    }
    const job = result.body as ImportResource;
    if(job.id === String(upload.jobId)) {
      void startJob(upload.jobId);
    } else {
      void discardUpload(upload.jobId);
    }
    return {job, replayed: result.replayed};
  }

  /** Starts a job here if there is room (errors are left to the periodic check). */
  async function startJob(jobId: Types.ObjectId): Promise<void> {
    try {
      const job = await ImportJob.findById(jobId).lean<ImportJobRecord>();
      if(job && (job.state === 'queued' || job.state === 'running')) {
        await runner.start(job);
      }
    } catch(error) {
      log.warn({err: error, importId: String(jobId)}, 'import not started; a periodic check will');
    }
  }

  /** A job of the organisation (another organisation's is a 404, as is an upload not yet accepted). */
  async function findJob(orgId: string, importId: string): Promise<ImportJobRecord> {
    const job = await ImportJob.findById(importId).lean<ImportJobRecord>();
    if(!job || String(job.orgId) !== orgId || job.state === 'receiving') {
      throw new NotFound('Import', importId);
    }
    return job;
  }

  /** Results of rows after `cursor`, in order; for an active job it stops at the first unfinished row. */
  async function reportPage(job: ImportJobRecord, cursor: number, limit: number):
    Promise<NonNullable<ImportResource['rows']>> {
    const last = Math.min(job.rowsTotal, cursor + limit);
    const active = job.state === 'queued' || job.state === 'running';
    const items: ImportRowReport[] = [];
    let reached = cursor;
    for(let from = cursor + 1; from <= last; from += REPORT_CHUNK) {
      const rows = Array.from({length: Math.min(REPORT_CHUNK, last - from + 1)}, (_, i) => from + i);
      const results = await Promise.all(rows.map(row =>
        ImportResult.findById(rowKey(job._id, row)).lean<ImportResultRecord>()));
      for(const [index, result] of results.entries()) {
        if(!result && active) {
          return {items, nextCursor: reached};
        }
        reached = rows[index]!;
        if(result) {
          const {_id: _key, at: _at, ...report} = result;
          items.push({row: reached, ...report});
        }
      }
    }
    return {items, ...(reached < job.rowsTotal ? {nextCursor: reached} : {})};
  }

  /**
   * An import job with its progress and a page of its per-row report.
   *
   * @throws {NotFound} for an unknown job or another organisation's.
   */
  async function getImport({orgId, importId, cursor = 0, limit = 100}: {
    orgId: string; importId: string; cursor?: number; limit?: number;
  }): Promise<ImportResource> {
    const job = await findJob(orgId, importId);
    return {...toImportResource(job), rows: await reportPage(job, cursor, limit)};
  }

  /** The organisation's jobs, newest first. */
  async function listImports({orgId, cursor, limit = 20}: {orgId: string; cursor?: string; limit?: number}):
    Promise<{items: ImportResource[]; nextCursor?: string}> {
    const jobs = await ImportJob.find({orgId: new Types.ObjectId(orgId), state: {$ne: 'receiving'},
      ...(cursor ? {_id: {$lt: new Types.ObjectId(cursor)}} : {})})
      .sort({_id: -1}).limit(limit + 1).lean<ImportJobRecord[]>();
    const page = jobs.slice(0, limit);
    return {items: page.map(toImportResource),
      ...(jobs.length > limit ? {nextCursor: String(page.at(-1)!._id)} : {})};
  }

  /**
   * Picks up the jobs nobody runs: queued ones, running ones whose owner's heartbeat is older
   * than the lease (a dead process), and discards uploads abandoned half-way.
   *
   * @returns how many jobs this process started.
   */
  async function resumeJobs(): Promise<number> {
    const staleBefore = new Date(clock().getTime() - runner.leaseMs);
    const jobs = await ImportJob.find({$or: [{state: 'queued'},
      {state: {$in: ['running', 'receiving']}, heartbeatAt: {$lt: staleBefore}}]})
      .sort({_id: 1}).lean<ImportJobRecord[]>();
    let started = 0;
    for(const job of jobs) {
      if(job.state === 'receiving') {
        await discardUpload(job._id);
      } else if(runner.hasCapacity() && !runner.isRunning(String(job._id)) && await runner.start(job)) {
        started++;
      }
    }
    return started;
  }

  /**
   * Checks for jobs to pick up now and then (the first check soon after start).
   *
   * @returns a function that stops the checks.
   */
  function startPolling({intervalMs = runner.leaseMs / 2, firstDelayMs = 1_000} = {}): () => void {
    const check = () => void resumeJobs().catch(error =>
      log.warn({err: error}, 'import check failed; trying again later'));
    const first = setTimeout(check, firstDelayMs);
    const timer = setInterval(check, intervalMs);
    first.unref();
    timer.unref();
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }

  return {createImport, getImport, listImports, resumeJobs, startPolling, close: runner.close};
}

export type ImportService = ReturnType<typeof createImportService>;
