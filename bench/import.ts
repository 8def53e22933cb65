/**
 * `npm run bench:import [-- --rows=100000] [-- --issue=ob3,edc] [-- --workers=2] [-- --uri=mongodb://...]
 * [-- --profile-db]`: a bulk import through the HTTP API, end to end.
 *
 * Starts carecred's app on an embedded FerretDB (or on the server at `--uri`), creates an
 * organisation and a published unit, streams a generated CSV of N rows (default 10,000; the
 * file is generated while it is sent, never held in memory) to `POST /v1/imports`, polls
 * `GET /v1/imports/{id}` until the job completes, and prints rows/s, the total time, the RSS
 * peak and an RSS profile sampled over the run (flat memory = the same RSS at 10% and at 100%),
 * and the signing floor: the same signer alone, on the same worker count, for comparison.
 * `--profile-db` adds where the database time went (per command and collection).
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:http';
import {availableParallelism, tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {Readable} from 'node:stream';

import mongoose from 'mongoose';

import {buildApp} from '../src/app.js';
import {loadConfig} from '../src/platform/config.js';
import {ensureIndexes} from '../src/platform/db.js';
import {type EmbeddedDatabase, startEmbeddedDatabase} from '../src/platform/embedded-db.js';
import {createLogger} from '../src/platform/logger.js';
import {anOb3Credential} from '../test/fixtures/ob3-credential.js';
import {aUnit} from '../test/support/units.js';
import {monitorCommands} from './lib/commands.js';
import {measure, memoryMb} from './lib/measure.js';

const args = new Map(process.argv.slice(2).map(arg => {
  const [name, value] = arg.replace(/^--/, '').split('=');
  return [name!, value] as [string, string | undefined];
}));
const ROWS = Number(args.get('rows') ?? 10_000);
const ISSUE = args.get('issue') ?? 'ob3';
const WORKERS = Number(args.get('workers') ?? Math.min(2, availableParallelism()));
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const SAMPLE_MS = 250;

/** Starts the embedded database unless a server was named. */
async function database(): Promise<{uri: string; stop: () => Promise<void>}> {
  const uri = args.get('uri');
  if(uri) {
    return {uri, stop: async () => undefined};
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'carecred-bench-import-'));
  const embedded: EmbeddedDatabase = await startEmbeddedDatabase({binary: '.tools/bin/ferretdb', dataDir,
    logger: createLogger({level: 'silent'})});
  return {uri: embedded.uri, stop: async () => {
    await embedded.stop();
    rmSync(dataDir, {recursive: true, force: true});
  }};
}

/** Database time per command and collection, when `--profile-db` is on. */
function monitor(db: mongoose.Connection): () => string {
  const commands = monitorCommands(db);
  const line = ([name, {count, ms}]: [string, {count: number; ms: number}]) =>
    `  ${name.padEnd(34)} ${String(count).padStart(8)} × ${(ms / count).toFixed(2).padStart(7)} ms`;
  return () => [...commands.take()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14).map(line).join('\n');
}

/** The CSV, generated row by row as the upload is read. */
function csvStream(unitId: string): Readable {
  return Readable.from((function* rows() {
    yield 'externalId,givenName,familyName,email,unit,achievedAt,grade\n';
    for(let row = 1; row <= ROWS; row++) {
      yield `B${row},Sanne,de Vries ${row},learner${row}@example.nl,${unitId},2026-06-30T14:00:00Z,8\n`;
    }
  })());
}

async function call(base: string, path: string, init: RequestInit & {token?: string} = {}) {
  const response = await fetch(`${base}${path}`, {...init, headers: {'Content-Type': 'application/json',
    Authorization: `Bearer ${init.token ?? ADMIN_TOKEN}`, ...init.headers as Record<string, string>},
    ...(init.body instanceof Readable ? {duplex: 'half'} : {})} as RequestInit);
  const body = await response.json() as Record<string, unknown>;
  if(!response.ok) {
    throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${JSON.stringify(body)}`);
  }
  return body;
}

/** An organisation and a published unit through the API. */
async function arrange(base: string): Promise<{token: string; unitId: string; orgId: string}> {
  const created = await call(base, '/v1/admin/organisations', {method: 'POST', body: JSON.stringify({
    slug: 'bench-college', name: {nl: 'Bench College'}, country: 'NL', type: 'vocational-college'})});
  const token = created.apiKey as string;
  const unit = await call(base, '/v1/units', {method: 'POST', token, body: JSON.stringify(aUnit())});
  await call(base, `/v1/units/${String(unit.id)}/publish`, {method: 'POST', token});
  return {token, unitId: unit.id as string, orgId: (created.organisation as {id: string}).id};
}

/** Imports the rows and polls until done; samples RSS meanwhile. */
async function runImport(base: string, token: string, unitId: string) {
  const samples: {at: number; done: number; rss: number}[] = [];
  let done = 0;
  const sampler = setInterval(() => samples.push({at: performance.now(), done,
    rss: process.memoryUsage().rss / 1048576}), SAMPLE_MS);
  const loop = performance.eventLoopUtilization();
  const started = performance.now();
  const job = await call(base, `/v1/imports?issue=${ISSUE}`, {method: 'POST', token, body: csvStream(unitId),
    headers: {'Content-Type': 'text/csv'}} as RequestInit & {token: string});
  const accepted = performance.now();
  let state = job;
  let lastPrint = 0;
  while(state.state !== 'completed' && state.state !== 'failed') {
    await new Promise(wait => setTimeout(wait, 500));
    state = await call(base, `/v1/imports/${String(job.id)}?limit=1`, {token});
    done = state.rowsDone as number;
    if(performance.now() - lastPrint > 10_000) {
      lastPrint = performance.now();
      const seconds = (performance.now() - started) / 1000;
      console.log(`  ${String(done).padStart(7)} / ${ROWS} rows  ${seconds.toFixed(0)} s` +
        `  rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`);
    }
  }
  const finished = performance.now();
  clearInterval(sampler);
  return {state, samples, uploadSeconds: (accepted - started) / 1000,
    totalSeconds: (finished - started) / 1000,
    mainThreadBusy: performance.eventLoopUtilization(loop).utilization};
}

/** RSS when 0%, 10%, ..., 100% of the rows were done. */
function profile(samples: {done: number; rss: number}[]): string {
  const points = [];
  for(let tenth = 0; tenth <= 10; tenth++) {
    const sample = samples.find(s => s.done >= ROWS * tenth / 10) ?? samples.at(-1);
    points.push(`${tenth * 10}%:${sample ? sample.rss.toFixed(0) : '?'}`);
  }
  return points.join(' ');
}

async function signingFloor(services: Awaited<ReturnType<typeof buildApp>>['services'], orgId: string) {
  const key = await services.keys.getActiveKey(orgId);
  const credential = anOb3Credential({issuerDid: key.controller});
  return measure({name: 'signer alone (ob3 DI)', operations: 4000, concurrency: 32,
    operation: () => services.signer.signDataIntegrity({credential, key})});
}

async function main(): Promise<void> {
  const db0 = await database();
  for(const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void db0.stop().finally(() => process.exit(130)));
  }
  const config = loadConfig({MONGODB_URI: db0.uri, MONGODB_DATABASE: `bench_import_${Date.now()}`,
    ADMIN_TOKEN, LOG_LEVEL: 'warn', SIGNING_WORKERS: String(WORKERS), PUBLIC_RATE_LIMIT_PER_MINUTE: '0',
    IMPORT_LIMIT_BYTES: String(1024 * 1024 * 1024)});
  const db = mongoose.createConnection(db0.uri, {dbName: config.mongodbDatabase, bufferCommands: false,
    autoIndex: false, autoCreate: false, maxPoolSize: 50, monitorCommands: args.has('profile-db')});
  await db.asPromise();
  const dbProfile = args.has('profile-db') ? monitor(db) : undefined;
  const carecred = await buildApp({config, db, logger: createLogger({level: 'warn'}),
    keyEncryptionKey: Buffer.alloc(32, 9)});
  await ensureIndexes(db);
  const server = createServer(carecred.app).listen(0, '127.0.0.1');
  await new Promise(listening => server.once('listening', listening));
  const base = `http://127.0.0.1:${(server.address() as {port: number}).port}`;
  try {
    const {token, unitId, orgId} = await arrange(base);
    console.log(`bulk import of ${ROWS} rows, issue=${ISSUE}, ${WORKERS} signing workers, node ${process.version}, ` +
      `${availableParallelism()} cores, database ${args.get('uri') ? 'at --uri' : 'embedded FerretDB'}`);
    const startRss = memoryMb();
    const run = await runImport(base, token, unitId);
    const peak = Math.max(...run.samples.map(sample => sample.rss));
    console.log(`\nstate ${String(run.state.state)}: ${String(run.state.rowsIssued)} issued, ` +
      `${String(run.state.rowsFailed)} failed of ${String(run.state.rowsTotal)}`);
    console.log(`upload accepted (202) after ${run.uploadSeconds.toFixed(1)} s; all rows done after ` +
      `${run.totalSeconds.toFixed(1)} s → ${(ROWS / run.totalSeconds).toFixed(1)} rows/s ` +
      `(main thread busy ${(run.mainThreadBusy * 100).toFixed(0)}%)`);
    console.log(`RSS at start ${startRss.rss.toFixed(0)} MB, peak ${peak.toFixed(0)} MB; ` +
      `by progress: ${profile(run.samples)}`);
    if(dbProfile) {
      console.log(`database time by command (count × mean):\n${dbProfile()}`);
    }
    const floor = await signingFloor(carecred.services, orgId);
    console.log(`signing floor: ${floor.opsPerSecond.toFixed(0)} ob3 DI signatures/s on ${WORKERS} workers ` +
      `(the import reached ${(100 * ROWS / run.totalSeconds / floor.opsPerSecond).toFixed(1)}% of it)`);
  } finally {
    server.close();
    await carecred.close();
    await db.dropDatabase().catch(() => undefined);
    await db.close();
    await db0.stop();
  }
}

await main();
