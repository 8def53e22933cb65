/**
 * A burst of single issues for the fault suites: workers send `POST /v1/achievements`, each
 * with an Idempotency-Key of its own, round-robin over the cluster's processes, until stopped;
 * every attempt and its reply are kept. `retryUntilIssued` then retries what did not succeed
 * with the same key and body, as a well-behaved client does after a failure.
 */
import type {Cluster} from './cluster.js';
import {type Reply, send, sleep} from './http.js';
import {anAchievementBody, type ClusterOrganisation} from './tenants.js';

/** One request of a burst. */
export interface Attempt {
  key: string;
  body: Record<string, unknown>;
  /** Index of the process it was sent to. */
  target: number;
  reply: Reply;
}

/** A running burst. */
export interface Burst {
  /** Attempts answered so far. */
  readonly attempts: Attempt[];
  /** Resolves once `count` attempts succeeded (201). */
  succeeded(count: number): Promise<void>;
  /** Stops sending and waits for the requests in flight; returns every attempt. */
  stop(): Promise<Attempt[]>;
}

const ISSUE_MIXES = [['ob3', 'edc'], ['ob3'], ['edc']];

/**
 * Starts a burst.
 *
 * @param options.keyPrefix - prefix of the keys (and learner numbers), unique per burst.
 * @param options.targets - indexes of the processes to send to (default: all).
 * @param options.timeoutMs - client deadline of each request.
 * @returns the burst.
 */
export function startBurst({cluster, organisation, unitId, concurrency, keyPrefix, targets,
  timeoutMs = 60_000}: {
  cluster: Cluster; organisation: ClusterOrganisation; unitId: string; concurrency: number; keyPrefix: string;
  targets?: number[]; timeoutMs?: number;
}): Burst {
  const attempts: Attempt[] = [];
  const to = targets ?? cluster.processes.map((_, i) => i);
  let next = 0;
  let stopped = false;
  async function worker(): Promise<void> {
    while(!stopped) {
      const n = next++;
      const key = `${keyPrefix}-${n}`;
      const issue = ISSUE_MIXES[n % ISSUE_MIXES.length]!;
      const body = anAchievementBody({unitId, learnerNumber: key, issue});
      const target = to[n % to.length]!;
      const reply = await send(cluster.processes[target]!.url, {method: 'POST', path: '/v1/achievements',
        headers: {...organisation.auth, 'Idempotency-Key': key}, body, timeoutMs});
      attempts.push({key, body, target, reply});
      if(reply.status === 0) {
        // No answer (a killed process): back off, as a load balancer would route elsewhere.
        await sleep(1000);
      }
    }
  }
  const workers = Promise.all(Array.from({length: concurrency}, worker));
  return {
    attempts,
    async succeeded(count) {
      while(attempts.filter(attempt => attempt.reply.status === 201).length < count) {
        await sleep(20);
      }
    },
    async stop() {
      stopped = true;
      await workers;
      return attempts;
    }
  };
}

/** The outcome of `retryUntilIssued`. */
export interface RetryOutcome {
  /** The final reply of each retried key. */
  finals: Map<string, Reply>;
  /** Every retry reply, in order. */
  replies: Reply[];
  /** Longest time a key needed until it succeeded (ms). */
  longestMs: number;
}

/**
 * Retries each attempt that did not succeed, with its key and body, on process `i % n`, until
 * it answers 201 or the deadline passes; waits a little between retries (409 in progress, 503).
 *
 * @param options.deadlineMs - how long a key may take.
 * @returns the last reply per key and every reply.
 */
export async function retryUntilIssued({cluster, organisation, attempts, deadlineMs}: {
  cluster: Cluster; organisation: ClusterOrganisation; attempts: Attempt[]; deadlineMs: number;
}): Promise<RetryOutcome> {
  const finals = new Map<string, Reply>();
  const replies: Reply[] = [];
  let longestMs = 0;
  await Promise.all(attempts.map(async ({key, body}, i) => {
    const started = performance.now();
    for(let round = 0; ; round++) {
      const reply = await send(cluster.processes[(i + round) % cluster.processes.length]!.url, {method: 'POST',
        path: '/v1/achievements', headers: {...organisation.auth, 'Idempotency-Key': key}, body,
        timeoutMs: 60_000});
      replies.push(reply);
      finals.set(key, reply);
      if(reply.status === 201 || performance.now() - started > deadlineMs ||
        ![0, 409, 503].includes(reply.status)) {
        break;
      }
      await sleep(500);
    }
    longestMs = Math.max(longestMs, performance.now() - started);
  }));
  return {finals, replies, longestMs};
}
