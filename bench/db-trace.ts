/**
 * `npm run bench:db-trace [-- --n=300 --profiles=ob3 --every=100]`: which database commands one
 * issuance (or verification) sends to the embedded FerretDB and what each costs, as the
 * collections grow. Runs carecred in this process on a fresh embedded database with the MongoDB
 * driver's command monitoring on, issues N credentials one at a time through the HTTP API
 * (in-process, `POST /v1/achievements` with an Idempotency-Key), verifies each issued credential
 * once through `POST /v1/verify`, and prints, per window of `--every` operations, the commands
 * per operation and their mean duration by collection and command.
 */
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:http';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';

import mongoose from 'mongoose';

import {buildApp} from '../src/app.js';
import {loadConfig} from '../src/platform/config.js';
import {ensureIndexes} from '../src/platform/db.js';
import {startEmbeddedDatabase} from '../src/platform/embedded-db.js';
import {createLogger} from '../src/platform/logger.js';
import {type CommandTotals, monitorCommands} from './lib/commands.js';
import {anAchievementRequest, createOrganisation, publishUnit} from './lib/fixtures.js';
import {createClient} from './lib/http.js';
import {type BenchServer, portBelowEphemeralRange} from './lib/server.js';

const args = new Map(process.argv.slice(2).map(arg => {
  const [name, value] = arg.replace(/^--/, '').split('=');
  return [name!, value] as [string, string | undefined];
}));
const N = Number(args.get('n') ?? 300);
const EVERY = Number(args.get('every') ?? 100);
const PROFILES = (args.get('profiles') ?? 'ob3').split(',');

function printWindow(title: string, window: CommandTotals, operations: number): void {
  const rows = [...window].sort((a, b) => b[1].ms - a[1].ms);
  const totalMs = rows.reduce((sum, [, {ms}]) => sum + ms, 0);
  const totalCount = rows.reduce((sum, [, {count}]) => sum + count, 0);
  console.log(`\n${title}: ${(totalCount / operations).toFixed(1)} commands and ` +
    `${(totalMs / operations).toFixed(2)} ms of database time per operation`);
  for(const [name, {count, ms}] of rows) {
    console.log(`  ${(count / operations).toFixed(2).padStart(6)} × ${(ms / count).toFixed(2).padStart(7)} ms  ` +
      `= ${(ms / operations).toFixed(2).padStart(7)} ms/op  ${name}`);
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'carecred-trace-'));
  const logger = createLogger({level: 'warn'});
  const embedded = await startEmbeddedDatabase({binary: resolve('.tools/bin/ferretdb'),
    dataDir: join(dataDir, 'ferretdb'), logger});
  const db = mongoose.createConnection(embedded.uri, {dbName: 'trace', autoIndex: false, autoCreate: false,
    bufferCommands: false, monitorCommands: true, maxPoolSize: 50});
  await db.asPromise();
  const commands = monitorCommands(db);
  const port = await portBelowEphemeralRange();
  const adminToken = `trace-${randomBytes(12).toString('hex')}`;
  const config = loadConfig({PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'warn', PUBLIC_RATE_LIMIT_PER_MINUTE: '0', SIGNING_WORKERS: '0'});
  const carecred = await buildApp({config, db, logger, keyEncryptionKey: randomBytes(32)});
  await ensureIndexes(db);
  const server = createServer(carecred.app).listen(port);
  const http = createClient({baseUrl: `http://127.0.0.1:${port}`});
  const bench = {client: http, adminToken} as unknown as BenchServer;
  try {
    const organisation = await createOrganisation(bench);
    const unitId = await publishUnit(bench, organisation);
    for(const profile of PROFILES) {
      const issued: unknown[] = [];
      commands.take();
      for(let index = 0; index < N; index++) {
        const body = await http.json<{credentials: {credential: unknown}[]}>({method: 'POST',
          path: '/v1/achievements', expect: 201, headers: {...organisation.auth, 'idempotency-key': `${profile}-${index}`},
          body: anAchievementRequest({unitId, run: profile, index, profiles: [profile]})});
        issued.push(body.credentials[0]!.credential);
        if((index + 1) % EVERY === 0) {
          printWindow(`${profile}: issuances ${index + 2 - EVERY}–${index + 1}`, commands.take(), EVERY);
        }
      }
      for(let index = 0; index < issued.length; index++) {
        await http.json({method: 'POST', path: '/v1/verify', expect: 200, body: {credential: issued[index]}});
        if((index + 1) % EVERY === 0) {
          printWindow(`${profile}: verifications ${index + 2 - EVERY}–${index + 1}`, commands.take(), EVERY);
        }
      }
    }
  } finally {
    http.close();
    server.close();
    await carecred.close();
    await db.close();
    await embedded.stop();
    rmSync(dataDir, {recursive: true, force: true});
  }
}

await main();
