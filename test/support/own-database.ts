/**
 * A carecred app on a FerretDB of its own (in a temporary data folder), for test files that stop,
 * kill and restart the database without disturbing the other files' shared server.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {buildApp, type CarecredApp} from '../../src/app.js';
import {loadConfig} from '../../src/platform/config.js';
import {connectDatabase, type Connection, ensureIndexes} from '../../src/platform/db.js';
import {type EmbeddedDatabase, startEmbeddedDatabase} from '../../src/platform/embedded-db.js';
import {createLogger, type Logger} from '../../src/platform/logger.js';
import {projectPath} from '../../src/platform/paths.js';
import {TEST_ADMIN_TOKEN} from './test-app.js';

const binary = projectPath('.tools', 'bin', 'ferretdb');
const silent = createLogger({level: 'silent'});

/** The app, its connection, and its database, which the test may stop, kill and restart. */
export interface AppOnOwnDatabase {
  carecred: CarecredApp;
  db: Connection;
  /** The running database (a new one after `restartDatabase`). */
  database: () => EmbeddedDatabase;
  /** Starts the database again on the same port and data folder (after a stop or a kill). */
  restartDatabase: () => Promise<void>;
  close: () => Promise<void>;
}

/**
 * Starts FerretDB and carecred on it (1 s database timeout, so outages answer quickly).
 *
 * @param options.name - names the data folder and the database.
 * @param options.env - more configuration.
 * @param options.logger - the app's logger (default silent).
 */
export async function startAppOnOwnDatabase({name, env = {}, logger = silent}: {
  name: string; env?: Record<string, string>; logger?: Logger;
}): Promise<AppOnOwnDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), `carecred-${name}-`));
  let database = await startEmbeddedDatabase({binary, dataDir, logger: silent});
  const config = loadConfig({MONGODB_URI: database.uri, ADMIN_TOKEN: TEST_ADMIN_TOKEN, DB_TIMEOUT_MS: '1000',
    LOG_LEVEL: 'silent', ...env});
  const db = await connectDatabase({uri: database.uri, dbName: name.replace(/[^a-z0-9]/gi, ''),
    timeoutMs: config.dbTimeoutMs});
  const carecred = await buildApp({config, db, logger, keyEncryptionKey: Buffer.alloc(32, 7)});
  await ensureIndexes(db);
  return {
    carecred, db,
    database: () => database,
    restartDatabase: async () => {
      await database.stop();
      database = await startEmbeddedDatabase({binary, dataDir, port: database.port, logger: silent});
    },
    close: async () => {
      await carecred.close();
      await db.close();
      await database.stop();
      rmSync(dataDir, {recursive: true, force: true});
    }
  };
}
