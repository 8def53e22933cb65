// One embedded FerretDB per test run, with a temporary data folder. Test files share the
// server and each uses its own database (see test-app.ts). Plain ESM (jest does not transform
// global setup files through the ESM path), importing the TypeScript module through tsx.
import {execFileSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

import {tsImport} from 'tsx/esm/api';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default async function globalSetup() {
  execFileSync(process.execPath, [join(root, 'scripts', 'install-ferretdb.mjs')], {stdio: 'inherit'});
  const {startEmbeddedDatabase} = await tsImport('../../src/platform/embedded-db.ts', import.meta.url);
  const {createLogger} = await tsImport('../../src/platform/logger.ts', import.meta.url);
  const dataDir = mkdtempSync(join(tmpdir(), 'carecred-test-db-'));
  const database = await startEmbeddedDatabase({
    binary: join(root, '.tools', 'bin', 'ferretdb'), dataDir,
    logger: createLogger({level: process.env.TEST_DB_LOG_LEVEL ?? 'silent'})
  });
  process.env.CARECRED_TEST_MONGODB_URI = database.uri;
  process.env.CARECRED_TEST_DB_DIR = dataDir;
  globalThis.carecredTestDatabase = database;
}
