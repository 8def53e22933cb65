/**
 * The tenant matrix, generated from the contract: for EVERY operation secured by an API key, with
 * organisation A's real resources (tenant-fixtures.ts),
 * - organisation B's key finds nothing of A's (404 on a resource; a collection answers without
 *   any of A's data) and changes none of A's documents;
 * - A's key without the operation's scope is 403, no key 401, a revoked key 401 — and the database
 *   does not change at all;
 * - A's own key reaches the resource (not 401/403/404), so the fixtures are real.
 * An operation added to the contract is in the matrix at once; without fixtures its rows fail.
 */
import request from 'supertest';

import type {Operation} from '../../src/platform/http/contract.js';
import {loadContract} from '../../src/platform/http/contract.js';
import {expectContract} from '../support/contract.js';
import {leakedSecrets} from '../support/secret-scan.js';
import {startTestApp, type TestApp} from '../support/test-app.js';
import {anOrganisation, type TestOrganisation} from '../support/units.js';
import {createResources, differences, documentsOf, NOT_FOUND_FOR_OTHERS, REFUSED_FOR_OTHERS, requestText,
  type Resources, send, settle, snapshotDatabase} from './tenant-fixtures.js';

const SCOPES = ['catalog:write', 'issue', 'revoke', 'read', 'admin'];
const contract = loadContract();
const API_KEY_OPERATIONS = [...contract.operations.values()].filter(operation =>
  operation.security.some(requirement => 'apiKey' in requirement));
const ADMIN_OPERATIONS = [...contract.operations.values()].filter(operation =>
  operation.security.some(requirement => 'adminToken' in requirement));
const rows = API_KEY_OPERATIONS.map(operation => [`${operation.method.toUpperCase()} ${operation.path}`,
  operation] as const);

let carecred: TestApp;
let a: TestOrganisation;
let b: TestOrganisation;
let resources: Resources;
/** A's keys lacking one scope each, and a revoked key of A. */
const keyWithout: Record<string, string> = {};
let revokedKey: string;

async function createKey(organisation: TestOrganisation, scopes: string[]):
  Promise<{id: string; key: string}> {
  const response = await request(carecred.app).post('/v1/apikeys').set(organisation.auth)
    .send({name: `matrix ${scopes.join(' ')}`, scopes});
  return {id: response.body.apiKey.id, key: response.body.key};
}

beforeAll(async () => {
  carecred = await startTestApp();
  a = await anOrganisation(carecred, {slug: 'zorgcollege-noord'});
  b = await anOrganisation(carecred, {slug: 'ander-college'});
  resources = await createResources(carecred, a, {learner: {givenName: 'Sanne', externalId: 'S-A-1'}});
  await createResources(carecred, b, {learner: {givenName: 'Bram', externalId: 'S-B-1'}});
  for(const scope of SCOPES) {
    keyWithout[scope] = (await createKey(a, SCOPES.filter(other => other !== scope))).key;
  }
  const revoked = await createKey(a, SCOPES);
  await request(carecred.app).post(`/v1/apikeys/${revoked.id}/revoke`).set(a.auth);
  revokedKey = revoked.key;
}, 60_000);
afterAll(async () => carecred.stop());

function scopeOf(operation: Operation): string {
  const requirement = operation.security.find(entry => 'apiKey' in entry)!;
  return requirement.apiKey![0]!;
}

/** Sends the request and returns the response and the changes to A's documents (or to all). */
async function act(operation: Operation, authorization: string | undefined, {onlyA}: {onlyA: boolean}) {
  const before = await snapshotDatabase(carecred);
  const response = await send({app: carecred, operation, resources, authorization});
  await settle(carecred, response, authorization);
  const after = await snapshotDatabase(carecred);
  const project = (snapshot: typeof before) => onlyA ? documentsOf(snapshot, a.id) :
    new Map([...snapshot].map(([key, {text}]) => [key, text]));
  expectContract(response, operation.id);
  return {response, changed: differences(project(before), project(after))};
}

/** Every id and name of A's that must never show up in an answer to B (but what B sent itself). */
function identifiersOfA(sent: string): string[] {
  return [a.id, a.slug, resources.unitId, resources.learnerId, resources.achievementId,
    resources.credentialId, resources.spareApiKeyId, resources.issuerKeyId, resources.importId, 'Sanne'].filter(identifier => !sent.includes(identifier));
}

test('when the contract is read, then it has API-key operations to check', () => {
  expect(API_KEY_OPERATIONS.length).toBeGreaterThanOrEqual(30);
});

describe.each(rows)('%s', (_name, operation) => {
  test('when organisation B\'s key asks for A\'s resources, then it finds none and changes nothing of A\'s',
    async () => {
      const {response, changed} = await act(operation, b.auth.Authorization, {onlyA: true});

      if(operation.parameters.some(parameter => parameter.in === 'path') || NOT_FOUND_FOR_OTHERS.has(operation.id)) {
        expect(response.status).toBe(404);
      } else if(REFUSED_FOR_OTHERS.has(operation.id)) {
        expect(response.status).toBe(400);
      } else {
        expect(response.status).toBeLessThan(300);
      }
      const sent = requestText(operation, resources);
      expect(identifiersOfA(sent).filter(identifier => response.text.includes(identifier))).toEqual([]);
      expect(changed).toEqual([]);
    });

  test('when A\'s key lacks the operation\'s scope, then 403 and nothing changes', async () => {
    const {response, changed} = await act(operation, `Bearer ${keyWithout[scopeOf(operation)]}`, {onlyA: false});

    expect(response.status).toBe(403);
    expect(changed).toEqual([]);
  });

  test.each([
    ['no key', undefined],
    ['a malformed Authorization header', 'Basic dXNlcjpwYXNz'],
    ['an unknown key', 'Bearer cck_unknown0000000000000000000000000000'],
    ['a revoked key', 'revoked']
  ])('when the request carries %s, then 401 and nothing changes', async (_what, authorization) => {
    const header = authorization === 'revoked' ? `Bearer ${revokedKey}` : authorization;

    const {response, changed} = await act(operation, header, {onlyA: false});

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(changed).toEqual([]);
  });
});

describe('A\'s own key (the fixtures reach real resources)', () => {
  test.each(rows)('when A calls %s with its own key, then the resource is found', async (_name, operation) => {
    const response = await send({app: carecred, operation, resources, authorization: a.auth.Authorization});
    await settle(carecred, response, a.auth.Authorization);

    expectContract(response, operation.id);
    expect([401, 403, 404]).not.toContain(response.status);
    expect(response.status).toBeLessThan(500);
  });
});

describe.each(ADMIN_OPERATIONS.map(operation => [`${operation.method.toUpperCase()} ${operation.path}`,
  operation] as const))('%s (operator only)', (_name, operation) => {
  test('when an organisation\'s key with every scope is used, then 401 and nothing changes', async () => {
    const {response, changed} = await act(operation, a.auth.Authorization, {onlyA: false});

    expect(response.status).toBe(401);
    expect(changed).toEqual([]);
  });
});

test('when the whole matrix has run, then no key, token or private key is in its logs or database', async () => {
  const apiKeys = [a.apiKey, b.apiKey, revokedKey, ...Object.values(keyWithout)];

  const found = await leakedSecrets(carecred, {apiKeys});

  expect(carecred.logLines.length).toBeGreaterThan(300);
  expect(found).toEqual([]);
});
