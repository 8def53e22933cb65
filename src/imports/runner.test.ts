import {Types} from 'mongoose';

import {uniqueDatabaseName} from '../../test/support/test-app.js';
import {connectDatabase, type Connection, ensureIndexes} from '../platform/db.js';
import type {Problem} from '../platform/http/problem.js';
import {createLogger} from '../platform/logger.js';
import {type ImportJobRecord, type ImportModels,importModels} from './model.js';
import {createImportRunner, rowOperationId} from './runner.js';

/** A problem document with the given fields (the runner stores it as it is given). */
function aProblem(fields: Partial<Problem>): Problem {
  return {type: 'about:blank', title: 'Problem', status: 500, detail: 'a test problem', instance: '/', ...fields};
}

let db: Connection;
let models: ImportModels;

beforeAll(async () => {
  db = await connectDatabase({uri: process.env.CARECRED_TEST_MONGODB_URI!, dbName: uniqueDatabaseName('runner')});
  models = importModels(db);
  await ensureIndexes(db);
});
afterAll(async () => {
  await db.dropDatabase().catch(() => undefined);
  await db.close();
});

async function aQueuedJob(rowsTotal: number): Promise<ImportJobRecord> {
  const now = new Date();
  const [job] = await models.ImportJob.create([{orgId: new Types.ObjectId(), state: 'queued',
    mediaType: 'text/csv', defaults: {}, rowsTotal, rowsIssued: 0, rowsFailed: 0, checkpoint: 0, checkpointIssued: 0, checkpointFailed: 0,
    leaseEpoch: 0, heartbeatAt: now, createdAt: now}]);
  return job!.toObject();
}

async function settled(jobId: Types.ObjectId): Promise<ImportJobRecord> {
  for(let attempt = 0; attempt < 200; attempt++) {
    const job = await models.ImportJob.findById(jobId).lean<ImportJobRecord>();
    if(job?.state === 'completed' || job?.state === 'failed') {
      return job;
    }
    await new Promise(wait => setTimeout(wait, 25));
  }
  throw new Error('the job did not finish');
}

describe('createImportRunner', () => {
  test('when rows finish out of order, then the checkpoint only covers the unbroken prefix and the end counts are exact', async () => {
    const job = await aQueuedJob(40);
    const runner = createImportRunner({models, isTransient: () => false, ping: async () => true,
      logger: createLogger({level: 'silent'}), failureProblem: () => aProblem({}), heartbeatMs: 10, concurrency: 8,
      processRow: async (_job, row) => {
        await new Promise(wait => setTimeout(wait, (row * 7) % 13));
        return row % 5 === 0 ? {status: 'failed', problem: aProblem({title: 'bad'})} : {status: 'issued'};
      }});

    expect(await runner.start(job)).toBe(true);
    const done = await settled(job._id);

    expect(done).toMatchObject({state: 'completed', rowsTotal: 40, rowsIssued: 32, rowsFailed: 8, checkpoint: 40,
      checkpointIssued: 32, checkpointFailed: 8, leaseEpoch: 1});
    expect(await models.ImportResult.countDocuments({_id: {$gt: `${String(job._id)}:`, $lt: `${String(job._id)};`}}))
      .toBe(40);
  });

  test('when a row fails in a way that is not the row\'s fault, then the job fails with a problem and its rows are let go', async () => {
    const job = await aQueuedJob(5);
    const finished: string[] = [];
    const runner = createImportRunner({models, isTransient: () => false, ping: async () => true,
      logger: createLogger({level: 'silent'}), concurrency: 1, heartbeatMs: 10,
      failureProblem: failed => aProblem({type: 'internal-error', instance: `/v1/imports/${String(failed._id)}`}),
      onFinished: failed => finished.push(failed.state),
      processRow: async (_job, row) => {
        if(row === 3) {
          throw new TypeError('a bug');
        }
        return {status: 'issued'};
      }});

    await runner.start(job);
    const done = await settled(job._id);

    expect(done).toMatchObject({state: 'failed', rowsIssued: 2, checkpoint: 2,
      problem: {type: 'internal-error', instance: `/v1/imports/${String(job._id)}`}});
    expect(finished).toEqual(['failed']);
  });

  test('when the same job and row are given, then the operation id is the same ObjectId-shaped value every time', () => {
    const jobId = new Types.ObjectId().toHexString();

    expect(rowOperationId(jobId, 7)).toBe(rowOperationId(jobId, 7));
    expect(rowOperationId(jobId, 7)).not.toBe(rowOperationId(jobId, 8));
    expect(Types.ObjectId.isValid(rowOperationId(jobId, 7))).toBe(true);
    expect(rowOperationId(jobId, 7).slice(0, 8)).toBe(jobId.slice(0, 8));
  });
});
