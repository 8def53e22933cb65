/**
 * Issue 6 §2, remote faults: foreign did:web documents and status lists that hang or never end
 * during verification; bounded time, a clear failed check, no effect on other requests.
 */
import {hangingRemoteScenario} from './scenarios/hanging-remote.js';
import {useCluster} from './support/cluster.js';

const REMOTE_TIMEOUT_MS = 3000;
const cluster = useCluster({processes: 1, env: {ALLOW_PRIVATE_NETWORK_FETCH: 'true',
  REMOTE_FETCH_TIMEOUT_MS: String(REMOTE_TIMEOUT_MS)}});

// A request held up by a hanging fetch would take the whole REMOTE_FETCH_TIMEOUT_MS.
hangingRemoteScenario({cluster, remoteTimeoutMs: REMOTE_TIMEOUT_MS, parallel: 4, maxOtherP99Ms: 2000});
