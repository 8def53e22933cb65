/**
 * Every error class of the contract answers RFC 9457 problem+json with a stable type, and
 * changes nothing.
 */
import express from 'express';
import request from 'supertest';

import {problemHandler} from '../../src/platform/http/problem.js';
import {PROBLEM_TYPES} from '../../src/platform/http/problem-types.js';
import {startTestApp, TEST_ADMIN_TOKEN, TEST_BASE_URL, type TestApp} from '../support/test-app.js';

const admin = {Authorization: `Bearer ${TEST_ADMIN_TOKEN}`};
const organisation = {slug: 'zorg-a', name: {nl: 'Zorg A'}, country: 'NL', type: 'other'};

let carecred: TestApp;
beforeAll(async () => {
  carecred = await startTestApp({BODY_LIMIT_BYTES: '2048'});
});
afterAll(async () => carecred.stop());

function expectProblem(response: request.Response, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({type: `${TEST_BASE_URL}/problems/${code}`, status});
  expect(typeof response.body.title).toBe('string');
  expect(typeof response.body.detail).toBe('string');
  expect(typeof response.body.instance).toBe('string');
  expect(PROBLEM_TYPES[code]).toBeDefined();
}

async function organisationCount(): Promise<number> {
  return carecred.db.collection('organisations').countDocuments();
}

describe('problem responses', () => {
  test('when the JSON is malformed, then 400 malformed-body and nothing is created', async () => {
    const response = await request(carecred.app).post('/v1/admin/organisations').set(admin)
      .set('Content-Type', 'application/json').send('{"slug": "zorg-a",');

    expectProblem(response, 400, 'malformed-body');
    expect(await organisationCount()).toBe(0);
  });

  test('when the content type is not accepted, then 415 with Accept-Post', async () => {
    const response = await request(carecred.app).post('/v1/admin/organisations').set(admin)
      .set('Content-Type', 'text/plain').send('slug=zorg-a');

    expectProblem(response, 415, 'unsupported-media-type');
    expect(response.headers['accept-post']).toContain('application/json');
  });

  test('when the body exceeds the limit, then 413', async () => {
    const response = await request(carecred.app).post('/v1/admin/organisations').set(admin)
      .send({...organisation, name: {nl: 'x'.repeat(5000)}});

    expectProblem(response, 413, 'payload-too-large');
    expect(await organisationCount()).toBe(0);
  });

  test('when the body is missing, then 400 names /body', async () => {
    const response = await request(carecred.app).post('/v1/admin/organisations').set(admin);

    expectProblem(response, 400, 'validation-failed');
    expect(response.body.errors).toEqual([{pointer: '/body', message: 'a request body is required'}]);
  });

  test('when the route does not exist, then 404', async () => {
    expectProblem(await request(carecred.app).get('/v1/nothing-here'), 404, 'not-found');
  });

  test('when the method is not allowed, then 405 with Allow', async () => {
    const response = await request(carecred.app).delete('/v1/admin/organisations').set(admin);

    expectProblem(response, 405, 'method-not-allowed');
    expect(response.headers.allow).toBe('GET, POST, HEAD');
  });

  test('when a query parameter is unknown, then 400 names it', async () => {
    const response = await request(carecred.app).get('/health?verbose=1');

    expectProblem(response, 400, 'validation-failed');
    expect(response.body.errors[0].pointer).toBe('/query/verbose');
  });

  test('when a path parameter breaks its pattern, then 400', async () => {
    const response = await request(carecred.app).get('/problems/Not_A_Code!');

    expectProblem(response, 400, 'validation-failed');
    expect(response.body.errors[0].pointer).toBe('/path/code');
  });

  test('when a request id is sent, then it is echoed and quoted in problems', async () => {
    const response = await request(carecred.app).get('/v1/nothing-here').set('X-Request-Id', 'abc-123');

    expect(response.headers['x-request-id']).toBe('abc-123');
    expect(response.body.requestId).toBe('abc-123');
  });

  test('when a handler throws an unexpected error, then 500 shows nothing internal and logs it', async () => {
    const logged: unknown[] = [];
    const app = express();
    app.use((req, _res, next) => {
      Object.assign(req, {id: 'r1', log: {error: (entry: unknown) => logged.push(entry), info: () => undefined}});
      next();
    });
    app.get('/boom', () => {
      throw new Error('secret database password in message');
    });
    app.use(problemHandler(TEST_BASE_URL));

    const response = await request(app).get('/boom');

    expectProblem(response, 500, 'internal-error');
    expect(JSON.stringify(response.body)).not.toMatch(/secret|stack|Error:/);
    expect(logged).toHaveLength(1);
  });
});
