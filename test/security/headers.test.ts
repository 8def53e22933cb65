/**
 * HTTP hardening, generated from the contract where it can be: helmet's security headers on API
 * answers and on pages; a CORS policy that opens exactly the public operations (`security: []`)
 * to any origin — answers and preflights — and none of the organisation-scoped or operator ones;
 * authenticated answers are never stored by caches.
 */
import request from 'supertest';

import {loadContract, type Operation} from '../../src/platform/http/contract.js';
import {startTestApp, TEST_ADMIN_TOKEN, type TestApp} from '../support/test-app.js';
import {anOrganisation, aPublishedUnit, type TestOrganisation} from '../support/units.js';

const ORIGIN = 'https://wallet.example';
const contract = loadContract();
const operations = [...contract.operations.values()];
const publicOperations = operations.filter(operation => operation.security.length === 0);
const securedOperations = operations.filter(operation => operation.security.length > 0);
const SECURITY_HEADERS = {
  'content-security-policy': /default-src 'self'/,
  'strict-transport-security': /max-age=\d+/,
  'x-content-type-options': /^nosniff$/,
  'x-frame-options': /^SAMEORIGIN$/,
  'referrer-policy': /^no-referrer$/,
  'cross-origin-opener-policy': /^same-origin$/
};

let carecred: TestApp;
let school: TestOrganisation;
let unitId: string;

beforeAll(async () => {
  carecred = await startTestApp();
  school = await anOrganisation(carecred, {slug: 'zorgcollege-noord'});
  ({unitId} = await aPublishedUnit(carecred, school));
});
afterAll(async () => carecred.stop());

/** A URL of the operation (real values where they exist, placeholders elsewhere). */
function urlOf(operation: Operation): string {
  const values: Record<string, string> = {slug: 'zorgcollege-noord', orgSlug: 'zorgcollege-noord',
    listRef: 'revocation-1', code: 'not-found', asset: 'swagger-ui.css', unitId, n: '1'};
  return operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => values[name] ?? '0123456789abcdef01234567');
}

function name(operation: Operation): string {
  return `${operation.method.toUpperCase()} ${operation.path}`;
}

function call(operation: Operation) {
  const test = request(carecred.app)[operation.method as 'get'](urlOf(operation)).set('Origin', ORIGIN);
  return operation.method === 'post' || operation.method === 'patch' ? test.send({}) : test;
}

function preflight(operation: Operation) {
  return request(carecred.app).options(urlOf(operation)).set('Origin', ORIGIN)
    .set('Access-Control-Request-Method', operation.method.toUpperCase())
    .set('Access-Control-Request-Headers', 'content-type');
}

describe('security headers', () => {
  test.each([
    ['an API answer', () => request(carecred.app).get('/v1/catalog')],
    ['a refused API request', () => request(carecred.app).get('/v1/units')],
    ['an unknown route', () => request(carecred.app).get('/nowhere')],
    ['the API reference page', () => request(carecred.app).get('/docs')],
    ['a DID document', () => request(carecred.app).get('/issuers/zorgcollege-noord/did.json')]
  ])('when %s is served, then helmet\'s headers are set and X-Powered-By is not', async (_what, send) => {
    const response = await send();

    for(const [header, value] of Object.entries(SECURITY_HEADERS)) {
      expect(`${header}: ${response.headers[header]}`).toMatch(new RegExp(`^${header}: ${value.source.replace(/^\^/, '')}`));
    }
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  test('when a page is served, then its CSP allows no inline or foreign script', async () => {
    const response = await request(carecred.app).get('/docs');

    const scriptSrc = /script-src ([^;]+)/.exec(String(response.headers['content-security-policy']))?.[1];
    expect(scriptSrc?.split(' ')).toEqual(["'self'"]);
    expect(response.headers['content-security-policy']).toMatch(/object-src 'none'/);
    expect(response.headers['content-security-policy']).toMatch(/frame-ancestors 'self'/);
  });

  test.each([
    ['an organisation-scoped answer', () => request(carecred.app).get('/v1/units').set(school.auth)],
    ['an answer holding a new API key', () => request(carecred.app).post('/v1/apikeys').set(school.auth)
      .send({name: 'x', scopes: ['read']})],
    ['an operator answer', () => request(carecred.app).get('/v1/admin/organisations')
      .set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`)],
    ['a refused authenticated request', () => request(carecred.app).get('/v1/units')]
  ])('when %s is served, then no cache may store it', async (_what, send) => {
    const response = await send();

    expect(response.headers['cache-control']).toBe('no-store');
  });
});

describe('CORS on public operations', () => {
  test.each(publicOperations.map(operation => [name(operation), operation] as const))(
    'when a page of another origin calls %s, then any origin may read the answer', async (_name, operation) => {
      const response = await call(operation);

      expect(response.status).toBeLessThan(500);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    });

  test.each(publicOperations.map(operation => [name(operation), operation] as const))(
    'when a browser preflights %s, then it is allowed without credentials', async (_name, operation) => {
      const response = await preflight(operation);

      expect(response.status).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['access-control-allow-methods']).toContain(operation.method.toUpperCase());
      expect(response.headers['access-control-allow-headers']?.toLowerCase()).toContain('content-type');
      expect(response.headers['access-control-allow-headers']?.toLowerCase()).not.toContain('authorization');
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    });

  test('when a public answer is read cross-origin, then ETag and the request id are exposed', async () => {
    const response = await request(carecred.app).get('/status/zorgcollege-noord/revocation-1').set('Origin', ORIGIN);

    expect(response.headers['access-control-expose-headers']).toMatch(/ETag/);
    expect(response.headers['access-control-expose-headers']).toMatch(/X-Request-Id/);
  });
});

describe('no CORS on organisation-scoped and operator operations', () => {
  test.each(securedOperations.map(operation => [name(operation), operation] as const))(
    'when a page of another origin calls %s, then the browser is not allowed to read the answer',
    async (_name, operation) => {
      const response = await call(operation).set('Authorization', school.auth.Authorization);

      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });

  test.each(securedOperations.map(operation => [name(operation), operation] as const))(
    'when a browser preflights %s, then nothing is allowed', async (_name, operation) => {
      const response = await preflight(operation).set('Access-Control-Request-Headers', 'authorization');

      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['access-control-allow-headers']).toBeUndefined();
      expect(response.headers['access-control-allow-methods']).toBeUndefined();
    });
});
