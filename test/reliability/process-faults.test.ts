/**
 * Issue 6 §2, process faults: a carecred process is killed (SIGKILL) under load and started
 * again; keyed retries then issue everything exactly once.
 */
import {processCrashScenario} from './scenarios/process-crash.js';
import {useCluster} from './support/cluster.js';

const LEASE_MS = 8000;
const cluster = useCluster({processes: 3, env: {IDEMPOTENCY_LEASE_MS: String(LEASE_MS)}});

processCrashScenario({cluster, victim: 1, concurrency: 12, leaseMs: LEASE_MS});
