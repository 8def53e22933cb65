/**
 * `npm run test:reliability`: the scenario suites of test/reliability (several carecred
 * processes on one FerretDB, database and process faults, hanging remote servers). Files run one
 * after another (they start processes and measure time) with long timeouts; the global setup
 * builds dist/ (the processes run the built server, as `npm start` does).
 */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/reliability/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/reliability/support/global-setup.mjs',
  globalTeardown: undefined,
  maxWorkers: 1,
  testTimeout: 300_000,
  slowTestThreshold: 60
};
