import request from 'supertest';

import {expectContract} from '../../test/support/contract.js';
import {startTestApp, type TestApp} from '../../test/support/test-app.js';

let carecred: TestApp;
beforeAll(async () => {
  carecred = await startTestApp();
});
afterAll(async () => carecred.stop());

describe('platform', () => {
  test('when /health is called, then the process reports ok', async () => {
    const response = await request(carecred.app).get('/health');

    expect(response.status).toBe(200);
    expectContract(response, 'getHealth');
  });

  test('when the database answers, then /ready is 200', async () => {
    const response = await request(carecred.app).get('/ready');

    expect(response.status).toBe(200);
    expectContract(response, 'getReady');
  });

  test('when /openapi.json is fetched, then it is the bundled 3.1 contract', async () => {
    const response = await request(carecred.app).get('/openapi.json');

    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    expect(response.body.paths['/v1/admin/organisations']).toBeDefined();
  });

  test('when /docs is opened, then the reference page and its local assets are served', async () => {
    const page = await request(carecred.app).get('/docs');
    const script = await request(carecred.app).get('/docs/swagger-ui-bundle.js');

    expect(page.status).toBe(200);
    expect(page.text).toContain('docs/swagger-ui-bundle.js');
    expect(page.text).not.toMatch(/https?:\/\/(cdn|unpkg)/);
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
  });

  test('when a problem type URI is followed, then it explains the problem', async () => {
    const response = await request(carecred.app).get('/problems/validation-failed');

    expect(response.status).toBe(200);
    expectContract(response, 'getProblemType');
  });
});
