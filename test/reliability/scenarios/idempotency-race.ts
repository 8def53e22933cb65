/**
 * Scenario: many identical requests at the same moment, spread over several processes.
 * - With one Idempotency-Key: one achievement and one set of credentials; every answer is the
 *   first answer (201, replayed or not) or `409 idempotency-in-progress`; a later retry replays it.
 * - For one credential of an achievement, with one key or with none: exactly one is issued (the
 *   others get the replay, `409 idempotency-in-progress` or `409` for the live credential).
 */
import {Types} from 'mongoose';

import type {Cluster} from '../support/cluster.js';
import {printFigures} from '../support/figures.js';
import {type Reply, send} from '../support/http.js';
import {anAchievementBody, anOrganisationOn, aPublishedUnitOn, type ClusterOrganisation} from '../support/tenants.js';

/** Options of the scenario. */
export interface IdempotencyRaceOptions {
  cluster: () => Cluster;
  /** Identical requests sent at once. */
  parallel: number;
  /** Times the race is run (each with a new key). */
  rounds: number;
}

/** Sends `parallel` copies of one request at once, round-robin over the processes. */
async function race(cluster: Cluster, parallel: number, request: Parameters<typeof send>[1]):
  Promise<Reply[]> {
  return Promise.all(Array.from({length: parallel}, (_, i) =>
    send(cluster.processes[i % cluster.processes.length]!.url, {...request, timeoutMs: 120_000})));
}

function outcome(reply: Reply): string {
  if(reply.status === 201) {
    return reply.headers.get('idempotent-replayed') === 'true' ? 'replayed' : 'created';
  }
  return `${reply.status} ${reply.body?.type?.split('/').at(-1) ?? reply.error ?? reply.text.slice(0, 100)}`;
}

function tally(replies: Reply[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for(const reply of replies) {
    counts[outcome(reply)] = (counts[outcome(reply)] ?? 0) + 1;
  }
  return counts;
}

/**
 * Declares the scenario's tests.
 *
 * @param options - the cluster, the number of identical requests and of rounds.
 */
export function idempotencyRaceScenario({cluster, parallel, rounds}: IdempotencyRaceOptions): void {
  describe(`${parallel} identical requests at once over several processes`, () => {
    let organisation: ClusterOrganisation;
    let unitId: string;
    const counts = () => cluster().db;

    beforeAll(async () => {
      organisation = await anOrganisationOn(cluster().processes[0]!, 'idempotency-race');
      unitId = await aPublishedUnitOn(cluster().processes[0]!, organisation);
    });

    test('when they share an Idempotency-Key, then one achievement with one set of credentials is created', async () => {
      const outcomes: Record<string, number>[] = [];
      for(let round = 0; round < rounds; round++) {
        const key = `race-${round}-${new Types.ObjectId().toHexString()}`;
        const body = anAchievementBody({unitId, learnerNumber: key, issue: ['ob3', 'edc']});
        const request = {method: 'POST', path: '/v1/achievements', headers: {...organisation.auth,
          'Idempotency-Key': key}, body};

        const replies = await race(cluster(), parallel, request);
        const retry = await send(cluster().processes[round % cluster().processes.length]!.url, request);

        outcomes.push(tally(replies));
        const answered = replies.filter(reply => reply.status === 201);
        const created = answered.filter(reply => outcome(reply) === 'created');
        expect(replies.filter(reply => reply.status !== 201).map(outcome)
          .filter(result => result !== '409 idempotency-in-progress')).toEqual([]);
        expect(created).toHaveLength(1);
        expect(new Set([...answered, retry].map(reply => JSON.stringify(reply.body))).size).toBe(1);
        expect(outcome(retry)).toBe('replayed');
        const learners = await counts().collection('learners').find({externalId: key}).toArray();
        expect(learners).toHaveLength(1);
        const achievements = await counts().collection('achievements').find({learnerId: learners[0]!._id}).toArray();
        expect(achievements.map(achievement => String(achievement._id))).toEqual([created[0]!.body.id]);
        expect(await counts().collection('credentials').countDocuments({achievementId: achievements[0]!._id}))
          .toBe(2);
      }
      printFigures('idempotency race (achievement)', {processes: cluster().processes.length, parallel, rounds,
        outcomes: outcomes.map(tally => JSON.stringify(tally)).join(' ')});
      expect(cluster().unexpectedErrors()).toEqual([]);
    });

    test.each([
      ['with one Idempotency-Key', true],
      ['without an Idempotency-Key', false]
    ])('when they ask for the same credential of an achievement %s, then exactly one is issued', async (_name,
      keyed) => {
      const recorded = await send(cluster().processes[0]!.url, {method: 'POST', path: '/v1/achievements',
        headers: organisation.auth, body: anAchievementBody({unitId, learnerNumber: `one-${keyed}`, issue: []})});
      const headers = {...organisation.auth, ...(keyed ? {'Idempotency-Key': `credential-${recorded.body.id}`} : {})};

      const replies = await race(cluster(), parallel, {method: 'POST', headers,
        path: `/v1/achievements/${recorded.body.id}/credentials`, body: {profile: 'ob3', format: 'jwt'}});

      const refusals = keyed ? ['409 idempotency-in-progress'] : ['409 conflict'];
      expect(replies.map(outcome).filter(result => result === 'created')).toHaveLength(1);
      expect(replies.map(outcome).filter(result => !['created', 'replayed', ...refusals].includes(result)))
        .toEqual([]);
      expect(await counts().collection('credentials').countDocuments(
        {achievementId: new Types.ObjectId(recorded.body.id as string)})).toBe(1);
      printFigures(`idempotency race (credential, ${keyed ? 'keyed' : 'no key'})`, {parallel,
        outcomes: JSON.stringify(tally(replies))});
    });
  });
}
