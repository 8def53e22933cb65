/**
 * The database goes away and comes back: /ready follows it, requests during the outage get a
 * bounded 503 problem (never a 500 or a hang), and the service recovers without a restart.
 * This file runs its own FerretDB so it can stop it without disturbing other test files.
 */
import request from 'supertest';

import type {CarecredApp} from '../../src/app.js';
import type {Connection} from '../../src/platform/db.js';
import {type AppOnOwnDatabase, startAppOnOwnDatabase} from '../support/own-database.js';
import {TEST_ADMIN_TOKEN} from '../support/test-app.js';

const admin = {Authorization: `Bearer ${TEST_ADMIN_TOKEN}`};

let setup: AppOnOwnDatabase;
let db: Connection;
let carecred: CarecredApp;

beforeAll(async () => {
  setup = await startAppOnOwnDatabase({name: 'outage'});
  ({db, carecred} = setup);
}, 60_000);

afterAll(async () => {
  await setup.close();
});

function anOrganisation(slug: string) {
  return {slug, name: {nl: slug}, country: 'NL', type: 'care-network'};
}

async function waitUntilReady(timeoutMs: number): Promise<number> {
  const started = Date.now();
  while(Date.now() - started < timeoutMs) {
    if((await request(carecred.app).get('/ready')).status === 200) {
      return Date.now() - started;
    }
    await new Promise(wait => setTimeout(wait, 200));
  }
  throw new Error('not ready in time');
}

describe('database outage', () => {
  test('when the database stops and restarts, then /ready and writes follow it without a restart', async () => {
    expect((await request(carecred.app).get('/ready')).status).toBe(200);
    expect((await request(carecred.app).post('/v1/admin/organisations').set(admin)
      .send(anOrganisation('before'))).status).toBe(201);

    await setup.database().stop();
    const started = Date.now();
    const ready = await request(carecred.app).get('/ready');
    const write = await request(carecred.app).post('/v1/admin/organisations').set(admin)
      .send(anOrganisation('during'));
    const outageAnswerMs = Date.now() - started;

    expect(ready.status).toBe(503);
    expect(ready.headers['content-type']).toMatch(/problem\+json/);
    expect(write.status).toBe(503);
    expect(write.body.type).toMatch(/service-unavailable$/);
    expect(outageAnswerMs).toBeLessThan(10_000);

    await setup.restartDatabase();
    await waitUntilReady(20_000);
    const after = await request(carecred.app).post('/v1/admin/organisations').set(admin)
      .send(anOrganisation('after'));

    expect(after.status).toBe(201);
    const slugs = (await db.collection('organisations').find().toArray()).map(org => org.slug).sort();
    expect(slugs).toEqual(['after', 'before']);
  }, 60_000);
});
