/**
 * Scenario: one carecred process is killed (SIGKILL) in the middle of a burst of single issues
 * with Idempotency-Keys, and started again. Its requests in flight get no answer; once their
 * lease has passed, retrying every key (the failed ones and the answered ones) on any process
 * issues each exactly once: every key has one achievement with its credentials, the answered
 * ones are replayed unchanged, and no status position is held twice or unclaimed.
 */
import {type Attempt, type RetryOutcome, retryUntilIssued, startBurst} from '../support/burst.js';
import type {Cluster} from '../support/cluster.js';
import {printFigures} from '../support/figures.js';
import {send} from '../support/http.js';
import {achievementsPerLearnerNumber, auditIssuance, type IssuanceAudit} from '../support/invariants.js';
import {anOrganisationOn, aPublishedUnitOn, type ClusterOrganisation} from '../support/tenants.js';

/** Options of the scenario. */
export interface ProcessCrashOptions {
  cluster: () => Cluster;
  /** Index of the process that is killed. */
  victim: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** The processes' IDEMPOTENCY_LEASE_MS: how long a retry of a killed request may have to wait. */
  leaseMs: number;
}

/**
 * Declares the scenario's tests.
 *
 * @param options - the cluster, which process to kill, the load and the lease.
 */
export function processCrashScenario({cluster, victim, concurrency, leaseMs}: ProcessCrashOptions): void {
  describe('a carecred process is killed (SIGKILL) during a burst of keyed single issues', () => {
    let organisation: ClusterOrganisation;
    let attempts: Attempt[];
    let killedAt: number;
    let retries: RetryOutcome;
    let replays: Map<string, string>;
    let audit: IssuanceAudit;

    beforeAll(async () => {
      const {processes, db} = cluster();
      organisation = await anOrganisationOn(processes[0]!, 'process-crash');
      const unitId = await aPublishedUnitOn(processes[0]!, organisation);
      const burst = startBurst({cluster: cluster(), organisation, unitId, concurrency, keyPrefix: 'crash'});
      await burst.succeeded(3 * concurrency);

      killedAt = performance.now();
      await processes[victim]!.kill('SIGKILL');
      await cluster().restartProcess(victim);
      const restartedAt = performance.now();
      attempts = await burst.stop();
      retries = await retryUntilIssued({cluster: cluster(), organisation, deadlineMs: leaseMs + 60_000,
        attempts: attempts.filter(attempt => attempt.reply.status !== 201)});
      replays = new Map(await Promise.all(attempts.filter(({reply}) => reply.status === 201)
        .map(async ({key, body}, i): Promise<[string, string]> => {
          const reply = await send(cluster().processes[i % processes.length]!.url, {method: 'POST',
            path: '/v1/achievements', headers: {...organisation.auth, 'Idempotency-Key': key}, body});
          return [key, `${reply.status} ${reply.headers.get('idempotent-replayed')} ${JSON.stringify(reply.body)}`];
        })));
      audit = await auditIssuance(db, organisation.id);
      printFigures('carecred process killed during single issues', {processes: processes.length,
        requests: attempts.length,
        unansweredByKilled: attempts.filter(({reply}) => reply.status === 0).length,
        restartMs: restartedAt - killedAt, leaseMs, retriedKeys: retries.finals.size,
        retryRequests: retries.replies.length, longestRetryMs: retries.longestMs, replayed: replays.size,
        achievements: audit.achievements, credentials: audit.credentials, burnedAllocations: audit.burned});
    }, 600_000);

    test('when the process is killed, then only its own requests go unanswered and none fails with a 500', () => {
      const unanswered = attempts.filter(({reply}) => reply.status !== 201);

      expect(unanswered.length).toBeGreaterThan(0);
      expect(unanswered.filter(({target, reply}) => target !== victim || reply.status !== 0)
        .map(({reply}) => `${reply.status} ${reply.text.slice(0, 200)}`)).toEqual([]);
      expect(cluster().unexpectedErrors()).toEqual([]);
    });

    test('when every unanswered key is retried, then each is issued once its lease has passed', () => {
      expect([...retries.finals.values()].filter(reply => reply.status !== 201)
        .map(reply => `${reply.status} ${reply.text.slice(0, 200)}`)).toEqual([]);
      expect(retries.longestMs).toBeLessThan(leaseMs + 60_000);
    });

    test('when the answered keys are retried, then each replays its first answer', () => {
      const firstAnswers = new Map(attempts.filter(({reply}) => reply.status === 201)
        .map(({key, reply}) => [key, `201 true ${JSON.stringify(reply.body)}`]));

      expect([...replays].filter(([key, replay]) => firstAnswers.get(key) !== replay).map(([key]) => key))
        .toEqual([]);
    });

    test('when the database is read afterwards, then every key has exactly one complete achievement', async () => {
      const perKey = await achievementsPerLearnerNumber(cluster().db, organisation.id);

      expect(attempts.map(({key}) => perKey.get(key) ?? 0).filter(count => count !== 1)).toEqual([]);
      expect(audit.achievements).toBe(attempts.length);
      expect(audit.incomplete).toEqual([]);
      expect(audit.violations).toEqual([]);
    });
  });
}
