/** The public endpoints are rate-limited per client: 429 problem+json with Retry-After. */
import request from 'supertest';

import {startTestApp, type TestApp} from '../support/test-app.js';

let carecred: TestApp;
beforeAll(async () => {
  carecred = await startTestApp({PUBLIC_RATE_LIMIT_PER_MINUTE: '3'});
});
afterAll(async () => carecred.stop());

describe('public rate limit', () => {
  test('when a client exceeds the limit, then 429 with Retry-After, and key-holding routes are not limited', async () => {
    const answers = [];
    for(let i = 0; i < 4; i++) {
      answers.push(await request(carecred.app).get('/v1/catalog'));
    }
    const authenticated = await request(carecred.app).get('/v1/organisation');

    expect(answers.slice(0, 3).map(answer => answer.status)).toEqual([200, 200, 200]);
    expect(answers[3]!.status).toBe(429);
    expect(answers[3]!.headers['content-type']).toMatch(/problem\+json/);
    expect(Number(answers[3]!.headers['retry-after'])).toBeGreaterThan(0);
    expect(answers[3]!.body.type).toMatch(/rate-limited$/);
    expect(authenticated.status).toBe(401);
  });
});
