/**
 * Issue 6 §2, bulk import faults: the database, then the carecred process running the job, is
 * killed in the middle of an import (`POST /v1/imports`, `GET /v1/imports/{id}`).
 */
import {importFaultScenario} from './scenarios/import-faults.js';
import {useCluster} from './support/cluster.js';

const DB_TIMEOUT_MS = 2000;
const cluster = useCluster({processes: 3, env: {DB_TIMEOUT_MS: String(DB_TIMEOUT_MS)}});

importFaultScenario({cluster, fault: 'database-killed', rows: 200, badEvery: 37, outageMs: 5000,
  maxAnswerMs: DB_TIMEOUT_MS + 2000, completionDeadlineMs: 300_000});
importFaultScenario({cluster, fault: 'process-killed', rows: 200, badEvery: 37,
  maxAnswerMs: DB_TIMEOUT_MS + 2000, completionDeadlineMs: 300_000});
