/**
 * Issuer keys over time: a rotation keeps earlier credentials verifying (the retired key stays in
 * the DID document); revoking a compromised key removes it, and what it signed no longer verifies;
 * a did:key organisation gets a new DID on rotation while its old DID keeps verifying.
 */
import request from 'supertest';

import {expectContract} from '../support/contract.js';
import {startTestApp, type TestApp} from '../support/test-app.js';
import {anOrganisation, aPublishedUnit, type TestOrganisation} from '../support/units.js';

let carecred: TestApp;

beforeAll(async () => {
  carecred = await startTestApp();
});
afterAll(async () => carecred.stop());

async function issue(school: TestOrganisation, unitId: string, learner: string) {
  const response = await request(carecred.app).post('/v1/achievements').set(school.auth).send({
    learner: {givenName: 'Noor', familyName: learner, externalId: learner}, unitId,
    achievedAt: '2026-04-01T09:00:00Z', issue: ['ob3', 'edc']
  });
  expect(response.status).toBe(201);
  return response.body.credentials as {profile: string; credential: Record<string, unknown> | string}[];
}

async function signatureOf(credential: Record<string, unknown> | string) {
  const response = await request(carecred.app).post('/v1/verify')
    .send(typeof credential === 'string' ? {jwt: credential} : credential);
  return response.body.checks.find((check: {id: string}) => check.id === 'signature') as
    {passed: boolean; code: string};
}

describe('did:web issuer', () => {
  let school: TestOrganisation;
  let unitId: string;
  beforeAll(async () => {
    school = await anOrganisation(carecred, {slug: 'zorgcollege-west'});
    ({unitId} = await aPublishedUnit(carecred, school));
  });

  test('when the key is rotated, then new credentials use the new key and old ones still verify', async () => {
    const before = await issue(school, unitId, 'rotation-1');

    const rotated = await request(carecred.app).post('/v1/keys/rotate').set(school.auth);
    const after = await issue(school, unitId, 'rotation-2');

    expect(rotated.status).toBe(201);
    expectContract(rotated, 'rotateIssuerKey');
    const proofOf = (credentials: typeof before) => ((credentials.find(c => c.profile === 'ob3')!
      .credential as {proof: {verificationMethod: string}[]}).proof[0]!.verificationMethod);
    expect(proofOf(after)).toBe(rotated.body.verificationMethod);
    expect(proofOf(before)).not.toBe(rotated.body.verificationMethod);
    for(const {credential} of [...before, ...after]) {
      expect((await signatureOf(credential)).passed).toBe(true);
    }
    const keys = await request(carecred.app).get('/v1/keys').set(school.auth);
    expect(keys.body.items.map((key: {state: string}) => key.state)).toEqual(['retired', 'active']);
    const didDocument = JSON.parse((await request(carecred.app).get('/issuers/zorgcollege-west/did.json')).text);
    expect(didDocument.verificationMethod).toHaveLength(4);
    expect(didDocument['@context'][0]).toBe('https://www.w3.org/ns/did/v1');
  });

  test('when a key is revoked, then it leaves the DID document and what it signed no longer verifies', async () => {
    const signedWithOld = await issue(school, unitId, 'revocation-1');
    const [active] = (await request(carecred.app).get('/v1/keys').set(school.auth)).body.items
      .filter((key: {state: string}) => key.state === 'active');

    const revoked = await request(carecred.app).post(`/v1/keys/${active.id}/revoke`).set(school.auth);
    const signedWithNew = await issue(school, unitId, 'revocation-2');

    expect(revoked.status).toBe(200);
    expect(revoked.body.state).toBe('revoked');
    const didDocument = JSON.parse((await request(carecred.app).get('/issuers/zorgcollege-west/did.json')).text);
    expect(JSON.stringify(didDocument)).not.toContain(active.publicKeyMultibase);
    for(const {credential} of signedWithOld) {
      expect((await signatureOf(credential)).passed).toBe(false);
    }
    for(const {credential} of signedWithNew) {
      expect((await signatureOf(credential)).passed).toBe(true);
    }
    expect((await request(carecred.app).post(`/v1/keys/${active.id}/revoke`).set(school.auth)).status).toBe(409);
  });

  test('when another organisation revokes this key, then 404 and the key stays', async () => {
    const other = await anOrganisation(carecred, {slug: 'ander-instituut'});
    const [active] = (await request(carecred.app).get('/v1/keys').set(school.auth)).body.items
      .filter((key: {state: string}) => key.state === 'active');

    const response = await request(carecred.app).post(`/v1/keys/${active.id}/revoke`).set(other.auth);

    expect(response.status).toBe(404);
    const keys = (await request(carecred.app).get('/v1/keys').set(school.auth)).body.items;
    expect(keys.find((key: {id: string}) => key.id === active.id).state).toBe('active');
  });
});

describe('did:key issuer', () => {
  test('when the key is rotated, then the organisation gets a new DID and old credentials still verify', async () => {
    const network = await anOrganisation(carecred, {slug: 'zorgnetwerk-oost', didMethod: 'key'});
    const {unitId} = await aPublishedUnit(carecred, network);
    const before = await issue(network, unitId, 'didkey-1');
    const oldDid = (await request(carecred.app).get('/v1/organisation').set(network.auth)).body.issuerDid;

    await request(carecred.app).post('/v1/keys/rotate').set(network.auth);
    const newDid = (await request(carecred.app).get('/v1/organisation').set(network.auth)).body.issuerDid;
    const after = await issue(network, unitId, 'didkey-2');

    expect(newDid).toMatch(/^did:key:z6Mk/);
    expect(newDid).not.toBe(oldDid);
    for(const {credential} of [...before, ...after]) {
      expect((await signatureOf(credential)).passed).toBe(true);
    }
    expect((after.find(c => c.profile === 'ob3')!.credential as {issuer: {id: string}}).issuer.id).toBe(newDid);
  });
});
