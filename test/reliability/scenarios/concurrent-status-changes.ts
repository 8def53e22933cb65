/**
 * Scenario: two processes change the status of two credentials on the same status list at the
 * same moment, while a third process serves (and signs) that list. Round after round, the list
 * every process serves has both new bits and every earlier one set, nothing else, is signed
 * anew (new ETag, valid proof) and is the same document from every process: no update is lost.
 */
import {decodeStatusList} from '../../../src/status/index.js';
import type {Cluster} from '../support/cluster.js';
import {printFigures} from '../support/figures.js';
import {runConcurrently, send} from '../support/http.js';
import {anAchievementBody, anOrganisationOn, aPublishedUnitOn, type ClusterOrganisation} from '../support/tenants.js';

type Issued = {id: string; revocation: number; suspension: number};

const PURPOSES = [
  {purpose: 'revocation', action: 'revoke'},
  {purpose: 'suspension', action: 'suspend'}
] as const;

/** Options of the scenario. */
export interface ConcurrentStatusChangesOptions {
  cluster: () => Cluster;
  /** Rounds of two simultaneous changes per purpose. */
  pairs: number;
}

async function issueEdcCredentials({cluster, organisation, unitId, count}: {
  cluster: Cluster; organisation: ClusterOrganisation; unitId: string; count: number;
}): Promise<Issued[]> {
  return runConcurrently(Array.from({length: count}, (_, i) => i), 8, async i => {
    const reply = await send(cluster.processes[i % cluster.processes.length]!.url, {method: 'POST',
      path: '/v1/achievements', headers: organisation.auth, timeoutMs: 120_000,
      body: anAchievementBody({unitId, learnerNumber: `S${i}`, issue: ['edc']})});
    if(reply.status !== 201) {
      throw new Error(`issuing failed: ${reply.status} ${reply.text}`);
    }
    const positions = (reply.body.credentials[0].credential as string).split('.')[1]!;
    const [revocation, suspension] = (JSON.parse(Buffer.from(positions, 'base64url').toString('utf8'))
      .credentialStatus as {id: string}[]).map(entry => Number(entry.id.split('#')[1]));
    return {id: reply.body.credentials[0].id, revocation: revocation!, suspension: suspension!};
  });
}

/**
 * Declares the scenario's tests.
 *
 * @param options - the cluster and the number of rounds.
 */
export function concurrentStatusChangesScenario({cluster, pairs}: ConcurrentStatusChangesOptions): void {
  describe('simultaneous status changes on one list from several processes', () => {
    let organisation: ClusterOrganisation;
    let credentials: Issued[];

    beforeAll(async () => {
      organisation = await anOrganisationOn(cluster().processes[0]!, 'status-race');
      const unitId = await aPublishedUnitOn(cluster().processes[0]!, organisation);
      credentials = await issueEdcCredentials({cluster: cluster(), organisation, unitId,
        count: 2 * pairs * PURPOSES.length});
    }, 600_000);

    test.each(PURPOSES)('when two processes $action at once, round after round, then the $purpose list ' +
      'served by every process has every bit set, newly signed', async ({purpose, action}) => {
      const {processes} = cluster();
      const path = `/status/${organisation.slug}/${purpose}-1`;
      const offset = purpose === 'revocation' ? 0 : 2 * pairs;
      const changed: number[] = [];
      let signatures = 0;
      for(let round = 0; round < pairs; round++) {
        const pair = [credentials[offset + 2 * round]!, credentials[offset + 2 * round + 1]!];
        const before = await send(processes[2 % processes.length]!.url, {path});

        const [first, second] = await Promise.all([
          ...pair.map((credential, i) => send(processes[(round + i) % processes.length]!.url, {method: 'POST',
            path: `/v1/credentials/${credential.id}/${action}`, headers: organisation.auth,
            body: {reason: `round ${round}`}})),
          send(processes[(round + 2) % processes.length]!.url, {path})
        ]);
        const served = await Promise.all(processes.map(process => send(process.url, {path})));

        changed.push(...pair.map(credential => credential[purpose]));
        expect([first!.status, second!.status]).toEqual([200, 200]);
        expect(served.map(reply => reply.status)).toEqual(processes.map(() => 200));
        expect(new Set(served.map(reply => reply.text)).size).toBe(1);
        expect(served[0]!.headers.get('etag')).not.toBe(before.headers.get('etag'));
        const list = JSON.parse(served[0]!.text);
        const bits = decodeStatusList(list.credentialSubject.encodedList);
        expect(credentials.map(credential => credential[purpose]).filter(index => bits.isSet(index)).sort())
          .toEqual([...changed].sort());
        signatures += 1;
      }
      const finalList = JSON.parse((await send(processes[0]!.url, {path})).text);
      const verified = await send(processes[1 % processes.length]!.url, {method: 'POST', path: '/v1/verify',
        body: finalList});
      expect(verified.body.checks.find((check: {id: string}) => check.id === 'signature')?.passed).toBe(true);
      expect(cluster().unexpectedErrors()).toEqual([]);
      printFigures(`simultaneous ${purpose} changes`, {processes: processes.length, pairs,
        bitsSet: changed.length, listsChecked: signatures * processes.length});
    });
  });
}
