/**
 * A carecred process is killed (SIGKILL) in the middle of a bulk import: another process takes
 * the job over once the dead one's lease has expired, and the job ends with every row issued
 * exactly once (one achievement per row, one live credential per row and profile) and exact counts.
 */
import {spawn} from 'node:child_process';
import {createInterface} from 'node:readline';

import {Types} from 'mongoose';

import {importModels} from '../../src/imports/index.js';
import {createImportService} from '../../src/imports/service.js';
import {createLogger} from '../../src/platform/logger.js';
import {projectPath} from '../../src/platform/paths.js';
import {startTestApp, type TestApp} from '../support/test-app.js';
import {anOrganisation, aPublishedUnit} from '../support/units.js';

const ROWS = 30;

let carecred: TestApp;
beforeAll(async () => {
  carecred = await startTestApp();
  await carecred.services.imports.close();
});
afterAll(async () => carecred.stop());

/** Runs the child process until `killAt` rows have results, then SIGKILLs it; resolves the job id. */
async function importUntilKilled(env: Record<string, string>, killAt: number): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', projectPath('test', 'support', 'import-child.ts')],
    {env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'inherit']});
  let jobId = '';
  for await (const line of createInterface({input: child.stdout!})) {
    if(line.startsWith('job ')) {
      jobId = line.slice(4);
    } else if(line.startsWith('done ') && Number(line.slice(5)) >= killAt) {
      child.kill('SIGKILL');
      break;
    }
  }
  await new Promise(exited => child.exitCode !== null || child.signalCode !== null ? exited(undefined) :
    child.once('exit', exited));
  return jobId;
}

describe('a carecred process killed mid-import', () => {
  test('when it is SIGKILLed after a few rows, then the job resumes elsewhere and issues each row exactly once', async () => {
    const school = await anOrganisation(carecred, {slug: 'crash-college'});
    const {unitId} = await aPublishedUnit(carecred, school);
    const jobId = await importUntilKilled({CARECRED_CHILD_URI: process.env.CARECRED_TEST_MONGODB_URI!,
      CARECRED_CHILD_DB: carecred.config.mongodbDatabase,
      CARECRED_CHILD_KEK: Buffer.from(carecred.keyEncryptionKey).toString('hex'),
      CARECRED_CHILD_ORG: school.id, CARECRED_CHILD_UNIT: unitId, CARECRED_CHILD_ROWS: String(ROWS)}, 4);
    const {achievements, idempotency} = carecred.services;
    const survivor = createImportService({models: importModels(carecred.db), achievements, idempotency,
      publicBaseUrl: carecred.config.publicBaseUrl, limitBytes: 1_000_000, logger: createLogger({level: 'silent'}), ping: async () => true, runner: {leaseMs: 1_000, heartbeatMs: 100}});

    const beforeTakeOver = await survivor.getImport({orgId: school.id, importId: jobId});
    await new Promise(wait => setTimeout(wait, 1_200));
    const started = await survivor.resumeJobs();
    let job = beforeTakeOver;
    for(let wait = 0; job.state !== 'completed' && wait < 600; wait++) {
      await new Promise(next => setTimeout(next, 100));
      job = await survivor.getImport({orgId: school.id, importId: jobId, limit: ROWS});
    }
    await survivor.close();

    expect(beforeTakeOver.state).toBe('running');
    expect(beforeTakeOver.rowsDone).toBeLessThan(ROWS);
    expect(started).toBe(1);
    expect(job).toMatchObject({state: 'completed', rowsTotal: ROWS, rowsDone: ROWS, rowsIssued: ROWS, rowsFailed: 0});
    expect(job.rows!.items.map(row => row.row)).toEqual(Array.from({length: ROWS}, (_, i) => i + 1));
    const recorded = await carecred.db.collection('achievements').find({importId: new Types.ObjectId(jobId)}).toArray();
    expect(recorded).toHaveLength(ROWS);
    const live = await carecred.db.collection('credentials')
      .find({achievementId: {$in: recorded.map(achievement => achievement._id)}}).toArray();
    expect(live).toHaveLength(ROWS * 2);
    expect(new Set(live.map(credential => credential.liveSlot)).size).toBe(ROWS * 2);
  }, 120_000);
});
