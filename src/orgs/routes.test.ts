import request from 'supertest';

import {expectContract} from '../../test/support/contract.js';
import {startTestApp, TEST_ADMIN_TOKEN, type TestApp} from '../../test/support/test-app.js';

const admin = {Authorization: `Bearer ${TEST_ADMIN_TOKEN}`};

function anOrganisation(overrides: Record<string, unknown> = {}) {
  return {
    slug: 'zorgcollege-noord', name: {nl: 'Zorgcollege Noord', en: 'Northern Care College'},
    country: 'NL', region: 'NL-GR', type: 'vocational-college', ...overrides
  };
}

let carecred: TestApp;
beforeAll(async () => {
  carecred = await startTestApp();
});
afterAll(async () => carecred.stop());

describe('createOrganisation', () => {
  test('when the operator creates an organisation, then it gets a did:web issuer and a one-time key', async () => {
    const response = await request(carecred.app).post('/v1/admin/organisations').set(admin)
      .send(anOrganisation());

    expect(response.status).toBe(201);
    expectContract(response, 'createOrganisation');
    expect(response.body.organisation.issuerDid).toBe('did:web:carecred.test:issuers:zorgcollege-noord');
    expect(response.body.apiKey).toMatch(/^cck_/);
    const stored = await carecred.db.collection('apikeys').find().toArray();
    expect(JSON.stringify(stored)).not.toContain(response.body.apiKey);
  });

  test('when the slug is taken, then 409 and nothing new is stored', async () => {
    const before = await carecred.db.collection('keys').countDocuments();

    const response = await request(carecred.app).post('/v1/admin/organisations').set(admin)
      .send(anOrganisation());

    expect(response.status).toBe(409);
    expectContract(response, 'createOrganisation');
    expect(await carecred.db.collection('keys').countDocuments()).toBe(before);
  });

  test('when the organisation chooses did:key, then its issuer is a did:key', async () => {
    const response = await request(carecred.app).post('/v1/admin/organisations').set(admin)
      .send(anOrganisation({slug: 'zorgnetwerk', didMethod: 'key'}));

    expect(response.status).toBe(201);
    expect(response.body.organisation.issuerDid).toMatch(/^did:key:z6Mk/);
  });

  test.each([
    ['an unknown country', {country: 'XX'}, '/body/country'],
    ['a bad slug', {slug: 'Not A Slug'}, '/body/slug'],
    ['an empty name', {name: {}}, '/body/name'],
    ['an unknown field', {colour: 'blue'}, '/body/colour']
  ])('when the body has %s, then 400 names the field', async (_what, override, pointer) => {
    const response = await request(carecred.app).post('/v1/admin/organisations').set(admin)
      .send(anOrganisation({slug: 'other', ...override}));

    expect(response.status).toBe(400);
    expectContract(response, 'createOrganisation');
    expect(response.body.errors.map((error: {pointer: string}) => error.pointer)).toContain(pointer);
  });

  test('when the admin token is wrong or missing, then 401', async () => {
    const wrong = await request(carecred.app).post('/v1/admin/organisations')
      .set('Authorization', 'Bearer nope').send(anOrganisation({slug: 'x1'}));
    const missing = await request(carecred.app).post('/v1/admin/organisations')
      .send(anOrganisation({slug: 'x2'}));

    expect(wrong.status).toBe(401);
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
  });
});

describe('API keys', () => {
  let apiKey: string;
  beforeAll(async () => {
    const response = await request(carecred.app).post('/v1/admin/organisations').set(admin)
      .send(anOrganisation({slug: 'umc-leerhuis'}));
    apiKey = response.body.apiKey;
  });

  test('when a key with only read is created, then it reads but cannot manage keys', async () => {
    const created = await request(carecred.app).post('/v1/apikeys')
      .set('Authorization', `Bearer ${apiKey}`).send({name: 'dashboard', scopes: ['read']});

    expect(created.status).toBe(201);
    expectContract(created, 'createApiKey');
    const readOnly = {Authorization: `Bearer ${created.body.key}`};
    expect((await request(carecred.app).get('/v1/organisation').set(readOnly)).status).toBe(200);
    const denied = await request(carecred.app).get('/v1/apikeys').set(readOnly);
    expect(denied.status).toBe(403);
    expectContract(denied, 'listApiKeys');
  });

  test('when a key is revoked, then it is refused at once', async () => {
    const created = await request(carecred.app).post('/v1/apikeys')
      .set('Authorization', `Bearer ${apiKey}`).send({name: 'temp', scopes: ['read']});

    const revoked = await request(carecred.app).post(`/v1/apikeys/${created.body.apiKey.id}/revoke`)
      .set('Authorization', `Bearer ${apiKey}`);

    expect(revoked.status).toBe(200);
    expectContract(revoked, 'revokeApiKey');
    expect(revoked.body.revokedAt).toBeDefined();
    const refused = await request(carecred.app).get('/v1/organisation')
      .set('Authorization', `Bearer ${created.body.key}`);
    expect(refused.status).toBe(401);
  });

  test('when listing keys, then only metadata is shown, never a secret or hash', async () => {
    const response = await request(carecred.app).get('/v1/apikeys').set('Authorization', `Bearer ${apiKey}`);

    expect(response.status).toBe(200);
    expectContract(response, 'listApiKeys');
    expect(JSON.stringify(response.body)).not.toMatch(/hash|cck_[A-Za-z0-9_-]{40}/);
  });
});
