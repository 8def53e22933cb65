/**
 * Scenario: the database is killed in the middle of a burst of single issues and started again
 * a few seconds later, while every process keeps serving.
 * - During the outage every request is answered `503` problem+json (never a 500, never a hang
 *   past the bound), and `/ready` is 503.
 * - When the database is back, every process recovers by itself (no restart): `/ready` 200 and
 *   new issues succeed.
 * - Retrying each failed request with its Idempotency-Key issues it exactly once; afterwards no
 *   credential lacks its achievement and no status position is held twice or unclaimed.
 */
import {type Attempt, type RetryOutcome, retryUntilIssued, startBurst} from '../support/burst.js';
import type {Cluster} from '../support/cluster.js';
import {printFigures} from '../support/figures.js';
import {percentile, type Reply, send, sleep} from '../support/http.js';
import {achievementsPerLearnerNumber, auditIssuance, type IssuanceAudit} from '../support/invariants.js';
import {anOrganisationOn, aPublishedUnitOn, type ClusterOrganisation} from '../support/tenants.js';

/** Options of the scenario. */
export interface DatabaseOutageOptions {
  cluster: () => Cluster;
  /** How long the database stays down (ms). */
  outageMs: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** The bound: no request waits longer than this for its answer once the database is gone (ms). */
  maxAnswerMs: number;
  /** How long each process may take to be ready again once the database is back (ms). */
  maxReadyMs: number;
  /** How long each process may take to issue again once the database is back (ms): one issue's time more. */
  maxRecoveryMs: number;
  /** How long a retry of one key may take to succeed after the outage (ms). */
  retryDeadlineMs: number;
}

type Probe = {process: number; reply: Reply};

/** Polls `/ready` of every process until stopped. */
function pollReadiness(cluster: Cluster): {probes: Probe[]; stop(): Promise<void>} {
  const probes: Probe[] = [];
  let stopped = false;
  const pollers = cluster.processes.map(async (process, i) => {
    while(!stopped) {
      probes.push({process: i, reply: await send(process.url, {path: '/ready', timeoutMs: 30_000})});
      await sleep(100);
    }
  });
  return {probes, stop: async () => {
    stopped = true;
    await Promise.all(pollers);
  }};
}

/** How long a request waited for its answer once the database was gone (or since it was sent). */
function waitedAfterKill(reply: Reply, killedAt: number): number {
  return reply.endedAt - Math.max(reply.startedAt, killedAt);
}

function isServiceUnavailableProblem(reply: Reply): boolean {
  return reply.status === 503 && reply.contentType.startsWith('application/problem+json') &&
    String(reply.body?.type).endsWith('/problems/service-unavailable');
}

/**
 * Declares the scenario's tests.
 *
 * @param options - the cluster, the outage length and the bounds to assert.
 */
export function databaseOutageScenario(options: DatabaseOutageOptions): void {
  const {cluster, outageMs, concurrency, maxAnswerMs, maxReadyMs, maxRecoveryMs, retryDeadlineMs} = options;
  describe(`the database is killed for ${outageMs / 1000} s during a burst of single issues`, () => {
    let organisation: ClusterOrganisation;
    let attempts: Attempt[];
    let probes: Probe[];
    let killedAt: number;
    let restartedAt: number;
    let recoveredAt: number[];
    let retries: RetryOutcome;
    let audit: IssuanceAudit;

    /** When the last process answered /ready 200 again, after the restart (ms). */
    const readyAfterRestart = () => Math.max(...cluster().processes.map((_, i) => Math.min(...probes
      .filter(({process, reply}) => process === i && reply.status === 200 && reply.startedAt > restartedAt)
      .map(({reply}) => reply.endedAt)))) - restartedAt;

    beforeAll(async () => {
      const {processes, database, db} = cluster();
      organisation = await anOrganisationOn(processes[0]!, 'database-outage');
      const unitId = await aPublishedUnitOn(processes[1 % processes.length]!, organisation);
      const burst = startBurst({cluster: cluster(), organisation, unitId, concurrency, keyPrefix: 'outage'});
      await burst.succeeded(3 * concurrency);
      const readiness = pollReadiness(cluster());

      killedAt = performance.now();
      await database.kill();
      await sleep(outageMs);
      restartedAt = performance.now();
      await database.restart();
      recoveredAt = await Promise.all(processes.map(async (_, i) => {
        while(!burst.attempts.some(({target, reply}) => target === i && reply.status === 201 &&
          reply.startedAt > restartedAt) && performance.now() - restartedAt < 3 * maxRecoveryMs) {
          await sleep(50);
        }
        return performance.now();
      }));
      attempts = await burst.stop();
      await readiness.stop();
      probes = readiness.probes;
      retries = await retryUntilIssued({cluster: cluster(), organisation, deadlineMs: retryDeadlineMs,
        attempts: attempts.filter(attempt => attempt.reply.status !== 201)});
      audit = await auditIssuance(db, organisation.id);
      printFigures('database outage during single issues', {
        processes: processes.length, requests: attempts.length, outageMs,
        issuedBeforeKill: attempts.filter(({reply}) => reply.status === 201 && reply.endedAt < killedAt)
          .length,
        answered503: attempts.filter(({reply}) => reply.status === 503).length,
        firstAnswer503AfterKillMs: Math.min(...attempts.filter(({reply}) => reply.status === 503)
          .map(({reply}) => reply.endedAt - killedAt)),
        longestWaitFor503Ms: Math.max(0, ...attempts.filter(({reply}) => reply.status === 503)
          .map(({reply}) => waitedAfterKill(reply, killedAt))),
        p99WaitFor503Ms: percentile(attempts.filter(({reply}) => reply.status === 503)
          .map(({reply}) => waitedAfterKill(reply, killedAt)), 99),
        firstReady503AfterKillMs: Math.min(...probes.filter(({reply}) => reply.status === 503)
          .map(({reply}) => reply.endedAt - killedAt)),
        issueP50BeforeKillMs: percentile(attempts.filter(({reply}) => reply.status === 201 &&
          reply.endedAt < killedAt).map(({reply}) => reply.ms), 50),
        issueP50AfterRestartMs: percentile(attempts.filter(({reply}) => reply.status === 201 &&
          reply.startedAt > restartedAt).map(({reply}) => reply.ms), 50),
        recoveryAfterRestartMs: Math.max(...recoveredAt) - restartedAt,
        readyAfterRestartMs: readyAfterRestart(),
        retriedKeys: retries.finals.size, retryRequests: retries.replies.length,
        longestRetryMs: retries.longestMs, credentials: audit.credentials, burnedAllocations: audit.burned
      });
    }, 600_000);

    test('when the database is down, then every request is answered 503 problem+json within the bound', () => {
      const failed = attempts.filter(({reply}) => reply.status !== 201);

      expect(cluster().unexpectedErrors()).toEqual([]);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.filter(({reply}) => !isServiceUnavailableProblem(reply))
        .map(({reply}) => `${reply.status} ${reply.error ?? ''} ${reply.text.slice(0, 200)}`)).toEqual([]);
      expect(Math.max(...failed.map(({reply}) => waitedAfterKill(reply, killedAt))))
        .toBeLessThan(maxAnswerMs);
      expect(failed.every(({reply}) => reply.headers.get('retry-after'))).toBe(true);
    });

    test('when the database is down, then /ready is 503 problem+json on every process within the bound', () => {
      const during = probes.filter(({reply}) => reply.startedAt > killedAt + 500 &&
        reply.endedAt < restartedAt);

      expect(cluster().processes.map((_, i) => during.some(probe => probe.process === i))).toEqual(
        cluster().processes.map(() => true));
      expect(during.filter(({reply}) => !isServiceUnavailableProblem(reply)).map(({reply}) => reply.status))
        .toEqual([]);
      expect(Math.max(...during.map(({reply}) => reply.ms))).toBeLessThan(maxAnswerMs);
    });

    test('when the database is back, then every process recovers without a restart', () => {
      expect(readyAfterRestart()).toBeLessThan(maxReadyMs);
      expect(Math.max(...recoveredAt) - restartedAt).toBeLessThan(maxRecoveryMs);
      const lastProbes = cluster().processes.map((_, i) =>
        probes.filter(probe => probe.process === i).at(-1));

      expect(lastProbes.map(probe => probe?.reply.status))
        .toEqual(cluster().processes.map(() => 200));
    });

    test('when the failed requests are retried with their keys, then each is issued exactly once', async () => {
      const perKey = await achievementsPerLearnerNumber(cluster().db, organisation.id);

      expect([...retries.finals.values()].filter(reply => reply.status !== 201)
        .map(reply => `${reply.status} ${reply.text.slice(0, 200)}`)).toEqual([]);
      expect(attempts.map(({key}) => perKey.get(key) ?? 0).filter(count => count !== 1)).toEqual([]);
      expect(audit.achievements).toBe(attempts.length);
      expect(audit.incomplete).toEqual([]);
    });

    test('when the database is read afterwards, then no credential lacks its achievement and no status ' +
      'position can be handed out twice', () => {
      expect(audit.violations).toEqual([]);
    });
  });
}
