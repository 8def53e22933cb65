/**
 * Issue 6 §2, database faults: FerretDB is killed (SIGKILL) under load and started again; three
 * carecred processes answer 503 meanwhile and recover by themselves.
 */
import {databaseOutageScenario} from './scenarios/database-outage.js';
import {useCluster} from './support/cluster.js';

const DB_TIMEOUT_MS = 2000;
const cluster = useCluster({processes: 3, env: {DB_TIMEOUT_MS: String(DB_TIMEOUT_MS)}});

databaseOutageScenario({cluster, outageMs: 6000, concurrency: 12, maxAnswerMs: DB_TIMEOUT_MS + 2000,
  maxReadyMs: 10_000, maxRecoveryMs: 30_000, retryDeadlineMs: 90_000});
