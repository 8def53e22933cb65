/**
 * The database goes away and comes back: /ready follows it, requests during the outage get a
 * bounded 503 problem (never a 500 or a hang), and the service recovers without a restart.
 * This file runs its own FerretDB so it can stop it without disturbing other test files.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import request from 'supertest';

import {buildApp, type CarecredApp} from '../../src/app.js';
import {loadConfig} from '../../src/platform/config.js';
import {connectDatabase, type Connection, ensureIndexes} from '../../src/platform/db.js';
import {type EmbeddedDatabase, startEmbeddedDatabase} from '../../src/platform/embedded-db.js';
import {createLogger} from '../../src/platform/logger.js';
import {projectPath} from '../../src/platform/paths.js';
import {TEST_ADMIN_TOKEN} from '../support/test-app.js';

const admin = {Authorization: `Bearer ${TEST_ADMIN_TOKEN}`};
const logger = createLogger({level: 'silent'});
const binary = projectPath('.tools', 'bin', 'ferretdb');

let dataDir: string;
let database: EmbeddedDatabase;
let db: Connection;
let carecred: CarecredApp;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'carecred-outage-'));
  database = await startEmbeddedDatabase({binary, dataDir, logger});
  const config = loadConfig({MONGODB_URI: database.uri, ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    DB_TIMEOUT_MS: '1000', LOG_LEVEL: 'silent'});
  db = await connectDatabase({uri: database.uri, dbName: 'outage', timeoutMs: config.dbTimeoutMs});
  carecred = await buildApp({config, db, logger, keyEncryptionKey: Buffer.alloc(32, 7)});
  await ensureIndexes(db);
}, 60_000);

afterAll(async () => {
  await carecred.close();
  await db.close();
  await database.stop();
  rmSync(dataDir, {recursive: true, force: true});
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

    await database.stop();
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

    database = await startEmbeddedDatabase({binary, dataDir, port: database.port, logger});
    await waitUntilReady(20_000);
    const after = await request(carecred.app).post('/v1/admin/organisations').set(admin)
      .send(anOrganisation('after'));

    expect(after.status).toBe(201);
    const slugs = (await db.collection('organisations').find().toArray()).map(org => org.slug).sort();
    expect(slugs).toEqual(['after', 'before']);
  }, 60_000);
});
