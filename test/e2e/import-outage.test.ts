/**
 * The database goes away in the middle of a bulk import and comes back: the rows in flight are
 * not reported as failed, the job pauses and goes on by itself, and it ends with every row issued
 * exactly once and exact counts. This file runs its own FerretDB so it can stop it.
 */
import {Writable} from 'node:stream';

import request from 'supertest';

import type {CarecredApp} from '../../src/app.js';
import type {Connection} from '../../src/platform/db.js';
import {createLogger} from '../../src/platform/logger.js';
import {type AppOnOwnDatabase, startAppOnOwnDatabase} from '../support/own-database.js';
import {TEST_ADMIN_TOKEN} from '../support/test-app.js';
import {aUnit} from '../support/units.js';

// Enough rows that the job is still running when the database is killed: progress is published
// by the job's heartbeat (once a second), so the first progress seen may already be far along.
const ROWS = 240;
const importLog: string[] = [];
const errorLog: string[] = [];
const appLogger = createLogger({level: 'info', destination: new Writable({write(chunk, _encoding, done) {
  importLog.push(...String(chunk).split('\n').filter(line => line.includes('"module":"imports"')));
  errorLog.push(...String(chunk).split('\n').filter(line => line.includes('"level":50')));
  done();
}})});

let setup: AppOnOwnDatabase;
let db: Connection;
let carecred: CarecredApp;
let auth: {Authorization: string};
let unitId: string;

beforeAll(async () => {
  setup = await startAppOnOwnDatabase({name: 'import-outage', logger: appLogger,
    env: {SIGNING_WORKERS: '0', PUBLIC_RATE_LIMIT_PER_MINUTE: '0'}});
  ({db, carecred} = setup);
  const created = await request(carecred.app).post('/v1/admin/organisations')
    .set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`)
    .send({slug: 'outage-college', name: {nl: 'Outage College'}, country: 'NL', type: 'vocational-college'});
  auth = {Authorization: `Bearer ${created.body.apiKey}`};
  const unit = await request(carecred.app).post('/v1/units').set(auth).send(aUnit());
  await request(carecred.app).post(`/v1/units/${unit.body.id}/publish`).set(auth);
  unitId = unit.body.id;
}, 60_000);

afterAll(async () => {
  await setup.close();
});

async function progress(location: string): Promise<request.Response> {
  return request(carecred.app).get(location).set(auth);
}

async function waitFor(location: string, done: (body: Record<string, number | string>) => boolean,
  timeoutMs: number): Promise<Record<string, unknown>> {
  const started = Date.now();
  while(Date.now() - started < timeoutMs) {
    const response = await progress(location);
    if(response.status === 200 && done(response.body)) {
      return response.body;
    }
    await new Promise(wait => setTimeout(wait, 100));
  }
  throw new Error(`import ${location} did not get there in ${timeoutMs} ms`);
}

describe('a bulk import during a database outage', () => {
  test('when the database stops mid-job and comes back, then the job goes on and issues every row exactly once', async () => {
    const csv = ['externalId,givenName,familyName,unit,achievedAt',
      ...Array.from({length: ROWS}, (_, i) => `OUT${i + 1},Sanne,de Vries,${unitId},2026-06-30T14:00:00Z`)].join('\n');
    const accepted = await request(carecred.app).post('/v1/imports?issue=ob3').set(auth).type('text/csv').send(csv);
    await waitFor(accepted.headers.location!, body => Number(body.rowsDone) >= 5, 30_000);

    // SIGKILL: a graceful stop would let the requests in flight finish first.
    await setup.database().kill();
    const duringOutage = await progress(accepted.headers.location!);
    await new Promise(wait => setTimeout(wait, 3_000));
    await setup.restartDatabase();
    const done = await waitFor(`${accepted.headers.location!}?limit=${ROWS}`,
      body => body.state === 'completed', 60_000);

    // With the error log, so that an unexpected 500 shows what was thrown.
    expect({status: duringOutage.status, errors: duringOutage.status === 503 ? [] : errorLog})
      .toEqual({status: 503, errors: []});
    expect(done).toMatchObject({rowsTotal: ROWS, rowsDone: ROWS, rowsIssued: ROWS, rowsFailed: 0});
    expect(importLog.some(line => line.includes('import paused: database unavailable'))).toBe(true);
    const rows = (done.rows as {items: {status: string}[]}).items;
    expect(rows).toHaveLength(ROWS);
    expect(rows.every(row => row.status === 'issued')).toBe(true);
    const achievements = await db.collection('achievements').find({importId: {$exists: true}}).toArray();
    expect(achievements).toHaveLength(ROWS);
    const credentials = await db.collection('credentials').find({}).toArray();
    expect(credentials).toHaveLength(ROWS);
    expect(new Set(credentials.map(credential => String(credential.achievementId))).size).toBe(ROWS);
    expect(await db.collection('learners').countDocuments({})).toBe(ROWS);
  }, 120_000);
});
