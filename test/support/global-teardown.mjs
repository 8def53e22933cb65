import {rmSync} from 'node:fs';

export default async function globalTeardown() {
  await globalThis.carecredTestDatabase?.stop();
  if(process.env.CARECRED_TEST_DB_DIR) {
    rmSync(process.env.CARECRED_TEST_DB_DIR, {recursive: true, force: true});
  }
}
