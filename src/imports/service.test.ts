import {Readable} from 'node:stream';

import {Types} from 'mongoose';

import {startTestApp, type TestApp} from '../../test/support/test-app.js';
import {anOrganisation, aPublishedUnit, type TestOrganisation} from '../../test/support/units.js';
import type {AchievementService} from '../achievements/index.js';
import {ServiceUnavailable} from '../platform/errors.js';
import {createLogger} from '../platform/logger.js';
import {importModels} from './model.js';
import {rowOperationId} from './runner.js';
import {createImportService, type ImportService} from './service.js';

type Record = AchievementService['recordAchievement'];

let carecred: TestApp;
let school: TestOrganisation;
let unitId: string;
const services: ImportService[] = [];

beforeAll(async () => {
  carecred = await startTestApp();
  // The app's own runner stays out of the way: these tests run jobs on runners of their own.
  await carecred.services.imports.close();
  school = await anOrganisation(carecred, {slug: 'runner-school'});
  ({unitId} = await aPublishedUnit(carecred, school));
});
afterAll(async () => {
  await Promise.all(services.map(service => service.close({drainMs: 0, release: false})));
  await carecred.stop();
});

/** An import service on the test database whose recordAchievement is `record`. */
function anImportService(record: Record, runner: {concurrency?: number} = {}): ImportService {
  const {achievements, idempotency} = carecred.services;
  const service = createImportService({models: importModels(carecred.db),
    achievements: {recordAchievement: record, findAchievement: achievements.findAchievement},
    idempotency, publicBaseUrl: carecred.config.publicBaseUrl, limitBytes: 1_000_000,
    logger: createLogger({level: process.env.DEBUG_IMPORTS ? 'debug' : 'silent'}), ping: async () => true,
    runner: {heartbeatMs: 50, leaseMs: 400, ...runner}});
  services.push(service);
  return service;
}

function csv(rows: number, prefix: string): Readable {
  return Readable.from([['externalId,givenName,familyName,unit,achievedAt',
    ...Array.from({length: rows}, (_, i) => `${prefix}${i + 1},Sanne,de Vries,${unitId},2026-06-30T14:00:00Z`)]
    .join('\n')]);
}

async function upload(service: ImportService, rows: number, prefix: string): Promise<string> {
  const {job} = await service.createImport({orgId: school.id, body: csv(rows, prefix), mediaType: 'text/csv',
    defaults: {issue: ['ob3', 'edc']}, requestPath: '/v1/imports'});
  return job.id;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for(;;) {
    const value = await read();
    if(done(value)) {
      return value;
    }
    if(Date.now() - started > timeoutMs) {
      throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 300)}`);
    }
    await new Promise(wait => setTimeout(wait, 25));
  }
}

const never = new Promise<never>(() => undefined);

describe('a job resumed after its owner died', () => {
  test('when the owner stopped after 4 rows and mid-way through the 5th, then the next owner issues nothing twice and counts exactly', async () => {
    const real = carecred.services.achievements.recordAchievement;
    let issuedByFirst = 0;
    const first = anImportService(async options => {
      if(issuedByFirst >= 5) {
        return never;
      }
      const result = await real(options);
      // The 5th row is issued, then the process "dies" before its result is stored.
      return ++issuedByFirst === 5 ? never : result;
    }, {concurrency: 1});
    const rerun: string[] = [];
    const second = anImportService(async options => {
      rerun.push(options.operationId);
      return real(options);
    });

    const jobId = await upload(first, 12, 'DIE');
    await until(async () => issuedByFirst, count => count === 5);
    await first.close({drainMs: 0, release: false});
    await new Promise(wait => setTimeout(wait, 500));
    const started = await second.resumeJobs();
    const job = await until(() => second.getImport({orgId: school.id, importId: jobId}),
      state => state.state === 'completed');

    expect(started).toBe(1);
    expect(job).toMatchObject({rowsTotal: 12, rowsDone: 12, rowsIssued: 12, rowsFailed: 0});
    expect(rerun.sort()).toEqual(Array.from({length: 8}, (_, i) => rowOperationId(jobId, i + 5)).sort());
    const achievements = await carecred.db.collection('achievements').find({importId: new Types.ObjectId(jobId)}).toArray();
    expect(achievements).toHaveLength(12);
    const credentials = await carecred.db.collection('credentials')
      .find({achievementId: {$in: achievements.map(achievement => achievement._id)}}).toArray();
    expect(credentials).toHaveLength(24);
    expect(new Set(credentials.map(credential => credential.liveSlot)).size).toBe(24);
    expect(await carecred.db.collection('importleases').countDocuments({_id: {$in: [`${jobId}:1`, `${jobId}:2`]}} as never))
      .toBe(2);
  });

  test('when two processes find the same stale job at once, then exactly one of them runs it', async () => {
    const real = carecred.services.achievements.recordAchievement;
    const first = anImportService(async () => never, {concurrency: 1});
    const jobId = await upload(first, 3, 'RACE');
    await first.close({drainMs: 0, release: false});
    await new Promise(wait => setTimeout(wait, 500));

    const contenders = [anImportService(real), anImportService(real), anImportService(real)];
    const started = await Promise.all(contenders.map(service => service.resumeJobs()));
    await until(() => contenders[0]!.getImport({orgId: school.id, importId: jobId}), job => job.state === 'completed');

    expect(started.reduce((sum, count) => sum + count, 0)).toBe(1);
  });
});

describe('a running job', () => {
  test('when rows are still being issued, then the progress and the report show the finished ones', async () => {
    const real = carecred.services.achievements.recordAchievement;
    let release: () => void = () => undefined;
    const gate = new Promise<void>(open => release = open);
    let calls = 0;
    const service = anImportService(async options => {
      if(++calls > 3) {
        await gate;
      }
      return real(options);
    }, {concurrency: 1});

    const jobId = await upload(service, 5, 'PROG');
    const running = await until(() => service.getImport({orgId: school.id, importId: jobId}),
      job => job.rowsDone === 3);
    release();
    const done = await until(() => service.getImport({orgId: school.id, importId: jobId}),
      job => job.state === 'completed');

    expect(running).toMatchObject({state: 'running', rowsTotal: 5, rowsIssued: 3});
    expect(running.rows).toEqual({nextCursor: 3,
      items: [1, 2, 3].map(row => expect.objectContaining({row, status: 'issued'}))});
    expect(done).toMatchObject({rowsDone: 5, rowsIssued: 5});
  });

  test('when the database is unavailable for some rows, then they are retried after it answers and not reported as failed', async () => {
    const real = carecred.services.achievements.recordAchievement;
    const outages = new Map([[rowOperationId('', 0), 0]]);
    let refused = 0;
    const service = anImportService(async options => {
      const seen = outages.get(options.operationId) ?? 0;
      if(seen < 2 && refused < 6) {
        outages.set(options.operationId, seen + 1);
        refused++;
        throw refused % 2 === 0 ? new ServiceUnavailable() :
          Object.assign(new Error('connection closed'), {name: 'MongoNetworkError'});
      }
      return real(options);
    });

    const jobId = await upload(service, 4, 'OUT');
    const done = await until(() => service.getImport({orgId: school.id, importId: jobId}),
      job => job.state === 'completed');

    expect(refused).toBe(6);
    expect(done).toMatchObject({rowsDone: 4, rowsIssued: 4, rowsFailed: 0});
    expect(done.rows!.items.every(row => row.status === 'issued')).toBe(true);
  });
});
