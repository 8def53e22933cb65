/**
 * Scenario: several carecred processes on one database issue many credentials at once, in a mix
 * of profiles and formats (ob3 Data Integrity, ob3 JWT, edc JWT). Afterwards every credential
 * has a status position per purpose that no other credential has — in the database and inside
 * the signed credential —, none is lost, and the database holds exactly what the responses name.
 */
import {SERVICE_STATUS_RESERVE as STATUS_RESERVE} from '../../../src/status/allocation.js';
import type {Cluster} from '../support/cluster.js';
import {printFigures} from '../support/figures.js';
import {percentile, type Reply, runConcurrently, send} from '../support/http.js';
import {auditIssuance, type IssuanceAudit} from '../support/invariants.js';
import {anAchievementBody, anOrganisationOn, aPublishedUnitOn} from '../support/tenants.js';

type IssuedCredential = {id: string; profile: string; format: string; credential: object | string};

/** One achievement request, and optionally a second credential issued for it afterwards. */
const MIXES: {issue: string[]; then?: {profile: string; format: string}}[] = [
  {issue: ['ob3', 'edc']},
  {issue: ['edc']},
  {issue: ['ob3'], then: {profile: 'ob3', format: 'jwt'}}
];
const CREDENTIALS_PER_CYCLE = 5;

/** Options of the scenario. */
export interface ConcurrentIssuanceOptions {
  cluster: () => Cluster;
  /** Credentials to issue (a multiple of 5: the mix above). */
  credentials: number;
  /** Requests in flight at once, spread round-robin over the processes. */
  concurrency: number;
}

function statusPositionsOf(credential: object | string): string[] {
  const document = typeof credential === 'string' ?
    JSON.parse(Buffer.from(credential.split('.')[1]!, 'base64url').toString('utf8')) : credential;
  const status = (document as {credentialStatus: object | object[]}).credentialStatus;
  return (Array.isArray(status) ? status : [status]).map(entry =>
    (entry as {id: string}).id);
}

/**
 * Declares the scenario's tests.
 *
 * @param options - the cluster, how many credentials and how many requests at once.
 */
export function concurrentIssuanceScenario({cluster, credentials, concurrency}: ConcurrentIssuanceOptions):
  void {
  describe(`${credentials} credentials issued at once by several processes`, () => {
    const replies: Reply[] = [];
    const issued: IssuedCredential[] = [];
    let orgId: string;
    let audit: IssuanceAudit;

    beforeAll(async () => {
      const {processes, db} = cluster();
      const organisation = await anOrganisationOn(processes[0]!, 'concurrent-issuance');
      orgId = organisation.id;
      const unitId = await aPublishedUnitOn(processes[1]!, organisation);
      const jobs = Array.from({length: credentials / CREDENTIALS_PER_CYCLE * MIXES.length},
        (_, i) => ({i, mix: MIXES[i % MIXES.length]!}));
      const started = performance.now();

      await runConcurrently(jobs, concurrency, async ({i, mix}) => {
        const recorded = await send(processes[i % processes.length]!.url, {method: 'POST',
          path: '/v1/achievements', headers: organisation.auth, timeoutMs: 120_000,
          body: anAchievementBody({unitId, learnerNumber: `C${i}`, issue: mix.issue})});
        replies.push(recorded);
        issued.push(...(recorded.body?.credentials ?? []));
        if(mix.then && recorded.status === 201) {
          const again = await send(processes[(i + 1) % processes.length]!.url, {method: 'POST',
            path: `/v1/achievements/${recorded.body.id}/credentials`, headers: organisation.auth, body: mix.then,
            timeoutMs: 120_000});
          replies.push(again);
          if(again.status === 201) {
            issued.push(again.body);
          }
        }
      });
      const seconds = (performance.now() - started) / 1000;
      audit = await auditIssuance(db, orgId);
      printFigures('concurrent issuance', {processes: processes.length, credentials: issued.length,
        requests: replies.length, concurrency, seconds: seconds.toFixed(1),
        credentialsPerSecond: issued.length / seconds, p50Ms: percentile(replies.map(reply => reply.ms), 50),
        p99Ms: percentile(replies.map(reply => reply.ms), 99)});
    }, 600_000);

    test('when the processes issue at once, then every request succeeds and none fails with a 500', () => {
      const failed = replies.filter(reply => reply.status !== 201);

      expect(failed.map(reply => `${reply.status} ${reply.error ?? ''} ${reply.text.slice(0, 300)}`)).toEqual([]);
      expect(cluster().unexpectedErrors()).toEqual([]);
    });

    test('when the responses are counted, then the database holds exactly those credentials', async () => {
      const stored = await cluster().db.collection('credentials').find({}, {projection: {_id: 1}}).toArray();
      const ofOrg = new Set(issued.map(credential => credential.id));

      expect(issued).toHaveLength(credentials);
      expect(ofOrg.size).toBe(credentials);
      expect(audit.credentials).toBe(credentials);
      expect(audit.achievements).toBe(credentials / CREDENTIALS_PER_CYCLE * MIXES.length);
      expect(stored.map(record => String(record._id)).filter(id => ofOrg.has(id))).toHaveLength(credentials);
      expect(audit.incomplete).toEqual([]);
    });

    test('when the status positions are read, then each credential has its own per purpose and none is lost', () => {
      const signedPositions = issued.flatMap(credential => statusPositionsOf(credential.credential));

      expect(audit.violations).toEqual([]);
      // Each process takes STATUS_RESERVE positions ahead per organisation and purpose; those not
      // handed out yet are burned (never given to anyone), nothing else is.
      expect(audit.burned).toBeLessThanOrEqual(cluster().processes.length * 2 * STATUS_RESERVE);
      expect(audit.allocations).toBe(2 * credentials + audit.burned);
      expect(new Set(signedPositions).size).toBe(signedPositions.length);
      expect(issued.map(credential => `${credential.profile}:${credential.format}`).sort()
        .filter((combination, i, all) => all.indexOf(combination) === i)).toEqual(['edc:jwt', 'ob3:di', 'ob3:jwt']);
    });
  });
}
