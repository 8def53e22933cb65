/**
 * `npm run test:reliability`: the scenario suites of test/reliability (several carecred
 * processes on one FerretDB, database and process faults, hanging remote servers). Files run one
 * after another (they start processes and measure time) with long timeouts; the global setup
 * builds dist/ (the processes run the built server, as `npm start` does).
 *
 * The bulk-import fault suite runs when the contract has the import operations (`createImport`);
 * until then the global setup says that it is left out.
 */
import {readFileSync} from 'node:fs';

import base from './jest.config.js';

const contract = readFileSync(new URL('./src/generated/openapi.json', import.meta.url), 'utf8');
export const HAS_IMPORTS = contract.includes('"operationId":"createImport"');

export default {
  ...base,
  testMatch: ['<rootDir>/test/reliability/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(HAS_IMPORTS ? [] : ['/test/reliability/import-faults\\.test\\.ts$'])],
  globalSetup: '<rootDir>/test/reliability/support/global-setup.mjs',
  globalTeardown: undefined,
  maxWorkers: 1,
  testTimeout: 300_000,
  slowTestThreshold: 60
};
