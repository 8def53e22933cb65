/**
 * A retry with the Idempotency-Key of a request that failed part-way: the achievement recorded
 * before a credential failed is resumed, never recorded twice.
 */
import request from 'supertest';

import {startTestApp, type TestApp} from '../support/test-app.js';
import {anOrganisation, aPublishedUnit, aUnit, type TestOrganisation} from '../support/units.js';

let carecred: TestApp;
let school: TestOrganisation;
let unitId: string;

beforeAll(async () => {
  carecred = await startTestApp();
  school = await anOrganisation(carecred, {slug: 'zorgschule-basel'});
  // Swiss German only: no ISO 639-1 code, so no Europass credential can be issued for it.
  ({unitId} = await aPublishedUnit(carecred, school, aUnit({title: {gsw: 'Pflegetechnik im Alltag'}})));
});
afterAll(async () => carecred.stop());

describe('createAchievement retried with its Idempotency-Key after a failure', () => {
  test('when a credential failed after the achievement was recorded, then a retry resumes that achievement', async () => {
    const body = {learner: {givenName: 'Lea', familyName: 'Meier', externalId: 'B-17'}, unitId,
      achievedAt: '2026-02-01T10:00:00Z', issue: ['ob3', 'edc']};
    const send = () => request(carecred.app).post('/v1/achievements').set(school.auth)
      .set('Idempotency-Key', 'partial-1').send(body);

    const first = await send();
    const retry = await send();

    expect([first.status, retry.status]).toEqual([422, 422]);
    expect(retry.body.type).toMatch(/profile-not-applicable$/);
    expect(await carecred.db.collection('achievements').countDocuments()).toBe(1);
    expect(await carecred.db.collection('credentials').countDocuments()).toBe(1);
  });
});
