/**
 * Builds a carecred app for a test file on the run's embedded FerretDB, in a database of its
 * own, with logs captured in memory (so tests can assert that no secret is ever logged).
 */
import {randomBytes} from 'node:crypto';
import {Writable} from 'node:stream';

import {buildApp, type CarecredApp} from '../../src/app.js';
import {type Config, loadConfig} from '../../src/platform/config.js';
import {connectDatabase, type Connection, ensureIndexes} from '../../src/platform/db.js';
import {createLogger} from '../../src/platform/logger.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const TEST_BASE_URL = 'http://carecred.test';

/** A test app and what a test needs around it. */
export interface TestApp extends CarecredApp {
  config: Config;
  db: Connection;
  /** Every log line written so far (JSON strings). */
  logLines: string[];
  keyEncryptionKey: Uint8Array;
  /** Closes the app and drops its database. */
  stop(): Promise<void>;
}

/** A database name unique to this test file and run. */
export function uniqueDatabaseName(prefix = 't'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/**
 * Starts an app on a fresh database.
 *
 * @param env - environment overrides (same names as the real configuration).
 * @param options.monitorCommands - the connection emits the driver's command events.
 * @returns the running test app.
 */
export async function startTestApp(env: Record<string, string> = {}, {monitorCommands = false} = {}):
  Promise<TestApp> {
  const uri = process.env.CARECRED_TEST_MONGODB_URI;
  if(!uri) {
    throw new Error('CARECRED_TEST_MONGODB_URI is not set: run the tests through jest (global setup)');
  }
  const config = loadConfig({
    PUBLIC_BASE_URL: TEST_BASE_URL, ADMIN_TOKEN: TEST_ADMIN_TOKEN, LOG_LEVEL: 'debug',
    MONGODB_URI: uri, MONGODB_DATABASE: uniqueDatabaseName(), SIGNING_WORKERS: '0',
    PUBLIC_RATE_LIMIT_PER_MINUTE: '0', ...env
  });
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    }
  });
  const logger = createLogger({level: config.logLevel, destination});
  const db = await connectDatabase({uri, dbName: config.mongodbDatabase, timeoutMs: config.dbTimeoutMs,
    monitorCommands});
  const keyEncryptionKey = randomBytes(32);
  const carecred = await buildApp({config, db, logger, keyEncryptionKey});
  await ensureIndexes(db);
  return {
    ...carecred, config, db, logLines, keyEncryptionKey,
    async stop() {
      await carecred.close();
      await db.dropDatabase().catch(() => undefined);
      await db.close();
    }
  };
}
