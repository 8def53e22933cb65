/**
 * The process entry: load config → start the embedded database when MONGODB_URI is unset →
 * connect → build the app → create indexes → seed demo data into an empty embedded database →
 * listen. SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the database,
 * stop the embedded server.
 */
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {availableParallelism} from 'node:os';
import {join} from 'node:path';

import {buildApp, type CarecredApp} from './app.js';
import {type Config, ConfigError, loadConfig} from './platform/config.js';
import {connectDatabase, type Connection, ensureIndexes} from './platform/db.js';
import {type EmbeddedDatabase, startEmbeddedDatabase} from './platform/embedded-db.js';
import {answerClientErrors, MAX_HEADER_BYTES} from './platform/http/client-errors.js';
import {createLogger} from './platform/logger.js';
import {runOnce} from './platform/migrations.js';
import {seedDemoData} from './seed.js';
import {resolveSecrets} from './startup-secrets.js';

const SHUTDOWN_GRACE_MS = 10_000;

async function start(): Promise<void> {
  let config: Config;
  try {
    // One core is left to the event loop (HTTP, validation, storage) and, embedded, the database:
    // signing is ~0.3 ms per credential, so more workers than that only add hand-offs
    // (measured on 2 cores: ob3 issuing 132/s with 2 workers, 154/s with 1).
    config = loadConfig(process.env, Math.max(1, availableParallelism() - 1));
  } catch(error) {
    if(error instanceof ConfigError) {
      console.error(`carecred: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({level: config.logLevel});
  const startedAt = Date.now();
  let embedded: EmbeddedDatabase | undefined;
  let db: Connection | undefined;
  let carecred: CarecredApp | undefined;
  let server: Server | undefined;

  async function shutdown(signal: string): Promise<void> {
    logger.info({signal}, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    timer.unref();
    if(server) {
      const closed = new Promise<void>(done => server!.close(() => done()));
      server.closeIdleConnections();
      await closed;
    }
    await carecred?.close();
    await db?.close();
    await embedded?.stop();
    logger.info('stopped');
    process.exit(0);
  }
  process.once('SIGTERM', signal => void shutdown(signal));
  process.once('SIGINT', signal => void shutdown(signal));

  try {
    const {adminToken, kek} = resolveSecrets(config, logger);
    if(!config.mongodbUri) {
      embedded = await startEmbeddedDatabase({
        binary: config.ferretdbBinary, dataDir: join(config.dataDir, 'ferretdb'), logger
      });
    }
    db = await connectDatabase({
      uri: config.mongodbUri ?? embedded!.uri, dbName: config.mongodbDatabase,
      timeoutMs: config.dbTimeoutMs
    });
    carecred = await buildApp({config: {...config, adminToken}, db, logger, keyEncryptionKey: kek});
    await ensureIndexes(db);
    const {status} = carecred.services;
    await runOnce(db, 'status-transitions-from-audit', async () => {
      logger.info({adopted: await status.adoptAuditTransitions()}, 'status transitions adopted from the audit trail');
    });
    if(embedded && config.seedDemoData) {
      await seedDemoData({services: carecred.services, logger, dataDir: config.dataDir});
    }
    server = createServer({maxHeaderSize: MAX_HEADER_BYTES}, carecred.app);
    answerClientErrors(server, config.publicBaseUrl);
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((listening, failed) => {
      server!.once('error', failed);
      server!.listen(config.port, listening);
    });
    // The bound port, not the configured one: PORT=0 asks the system for a free port.
    logger.info({port: (server.address() as AddressInfo).port, publicBaseUrl: config.publicBaseUrl,
      database: embedded ? 'embedded FerretDB' : 'MONGODB_URI', startupMs: Date.now() - startedAt},
    'carecred listening');
  } catch(error) {
    logger.fatal({err: error}, 'start failed');
    await db?.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    process.exit(1);
  }
}

process.on('unhandledRejection', reason => {
  console.error('carecred: unhandled rejection', reason);
  process.exitCode = 1;
});

await start();
