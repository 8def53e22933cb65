/**
 * Issue 6 §1, concurrency and scale-out: three carecred processes on one FerretDB issue, retry
 * with one Idempotency-Key, and change status at once.
 */
import {concurrentIssuanceScenario} from './scenarios/concurrent-issuance.js';
import {concurrentStatusChangesScenario} from './scenarios/concurrent-status-changes.js';
import {idempotencyRaceScenario} from './scenarios/idempotency-race.js';
import {useCluster} from './support/cluster.js';

const cluster = useCluster({processes: 3});

concurrentIssuanceScenario({cluster, credentials: 1000, concurrency: 24});
idempotencyRaceScenario({cluster, parallel: 20, rounds: 5});
concurrentStatusChangesScenario({cluster, pairs: 15});
