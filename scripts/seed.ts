/**
 * `npm run seed`: loads the demo organisations and their published learning units into an empty
 * database. With MONGODB_URI it uses that database; without it, it starts the embedded FerretDB
 * under DATA_DIR itself — the carecred service must be stopped then, because two processes
 * must not run the same embedded database.
 */
import {availableParallelism} from 'node:os';
import {join} from 'node:path';

import {buildApp} from '../src/app.js';
import {type Config, ConfigError, loadConfig} from '../src/platform/config.js';
import {connectDatabase, type Connection, ensureIndexes} from '../src/platform/db.js';
import {type EmbeddedDatabase, startEmbeddedDatabase} from '../src/platform/embedded-db.js';
import {createLogger} from '../src/platform/logger.js';
import {seedDemoData} from '../src/seed.js';
import {resolveSecrets} from '../src/startup-secrets.js';

function readConfig(): Config {
  try {
    return loadConfig(process.env, availableParallelism());
  } catch(error) {
    if(error instanceof ConfigError) {
      console.error(`seed: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}

async function seed(): Promise<void> {
  const config = readConfig();
  const logger = createLogger({level: config.logLevel});
  let embedded: EmbeddedDatabase | undefined;
  let db: Connection | undefined;
  try {
    const {adminToken, kek} = resolveSecrets(config, logger);
    if(!config.mongodbUri) {
      console.log(`seed: MONGODB_URI is not set, so this starts the embedded FerretDB in ` +
        `${join(config.dataDir, 'ferretdb')}. Stop the carecred service first: it must not run ` +
        'on the same embedded database at the same time.');
      embedded = await startEmbeddedDatabase({
        binary: config.ferretdbBinary, dataDir: join(config.dataDir, 'ferretdb'), logger
      });
    }
    db = await connectDatabase({
      uri: config.mongodbUri ?? embedded!.uri, dbName: config.mongodbDatabase, timeoutMs: config.dbTimeoutMs
    });
    const carecred = await buildApp({config: {...config, adminToken}, db, logger, keyEncryptionKey: kek});
    await ensureIndexes(db);
    const result = await seedDemoData({services: carecred.services, logger, dataDir: config.dataDir});
    await carecred.close();
    if(result.apiKeysFile) {
      console.log(`seed: created ${Object.keys(result.apiKeys).length} organisations ` +
        `(${Object.keys(result.apiKeys).join(', ')}) and published ${result.units} units; ` +
        `their API keys are in ${result.apiKeysFile} (mode 0600).`);
    } else {
      console.log('seed: the database already has organisations; nothing was loaded.');
    }
  } finally {
    await db?.close();
    await embedded?.stop();
  }
}

await seed().catch(error => {
  console.error('seed: failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
