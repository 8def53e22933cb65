import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import request from 'supertest';

import {expectContract} from '../../test/support/contract.js';
import {aCredential, aDidKeyIdentity, aDocumentLoader, signDataIntegrity, signJwt,
  signPresentationDataIntegrity, type TestIdentity, V2} from '../../test/support/credentials.js';
import {startTestApp, TEST_ADMIN_TOKEN, TEST_BASE_URL, type TestApp} from '../../test/support/test-app.js';
import {decryptSecret, type KeyRecord} from '../keys/index.js';

type Json = Record<string, unknown>;

let carecred: TestApp;
let issuer: TestIdentity;
let holder: TestIdentity;
let validCredential: Json;

beforeAll(async () => {
  carecred = await startTestApp({ALLOW_PRIVATE_NETWORK_FETCH: 'true'});
  [issuer, holder] = await Promise.all([aDidKeyIdentity(), aDidKeyIdentity()]);
  validCredential = await signDataIntegrity({credential: aCredential(issuer.did), identity: issuer,
    documentLoader: aDocumentLoader([issuer])});
});
afterAll(async () => carecred.stop());

/** An identity made from the signing key of a new did:key organisation (decrypted with the test KEK). */
async function anOrganisationIdentity(slug: string): Promise<TestIdentity> {
  const created = await request(carecred.app).post('/v1/admin/organisations')
    .set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`)
    .send({slug, name: {nl: 'Zorgcollege Oost', en: 'Eastern Care College'}, country: 'NL',
      type: 'vocational-college', didMethod: 'key'});
  const did = created.body.organisation.issuerDid as string;
  const record = await carecred.db.collection<KeyRecord>('keys').findOne({controller: did});
  const seed = decryptSecret({kek: carecred.keyEncryptionKey, encrypted: record!.encryptedSeed,
    associatedData: record!.multikeyId});
  const keyPair = await Ed25519Multikey.generate({seed, id: record!.multikeyId, controller: did});
  return {...await aDidKeyIdentity(), did, vmId: record!.multikeyId, keyPair};
}

describe('verify', () => {
  test('when a Data Integrity credential is posted, then 200 with the report', async () => {
    const response = await request(carecred.app).post('/v1/verify').send(validCredential);

    expect(response.status).toBe(200);
    expectContract(response, 'verify');
    expect(response.body).toMatchObject({kind: 'credential', verified: true, format: 'vc-di'});
  });

  test.each([
    ['an application/vc+jwt body', 'application/vc+jwt', (jwt: string) => jwt],
    ['a JSON string', 'application/json', (jwt: string) => JSON.stringify(jwt)],
    ['a {jwt} wrapper', 'application/json', (jwt: string) => JSON.stringify({jwt, lang: 'nl'})]
  ])('when a VC-JOSE credential is posted as %s, then 200 verified', async (_what, type, body) => {
    const jwt = await signJwt({payload: aCredential(issuer.did), identity: issuer});

    const response = await request(carecred.app).post('/v1/verify').set('Content-Type', type).send(body(jwt));

    expect(response.status).toBe(200);
    expectContract(response, 'verify');
    expect(response.body).toMatchObject({verified: true, format: 'vc-jwt'});
  });

  test('when the issuer is a carecred organisation, then its registered name is shown', async () => {
    const organisation = await anOrganisationIdentity('zorgcollege-oost');
    const credential = await signDataIntegrity({credential: aCredential(organisation.did),
      identity: organisation, documentLoader: aDocumentLoader([])});

    const response = await request(carecred.app).post('/v1/verify?lang=nl').send(credential);

    expect(response.status).toBe(200);
    expect(response.body.summary).toMatchObject({issuerName: 'Zorgcollege Oost', issuerRegistered: true});
    expect(response.body.checks.find((check: Json) => check.id === 'issuer').code).toBe('issuer-registered');
  });

  test('when a credential points at an own status list, then until the status service is wired it is unknown',
    async () => {
      const list = `${TEST_BASE_URL}/status/zorgcollege/1`;
      const credential = await signDataIntegrity({credential: aCredential(issuer.did, {credentialStatus: {
        id: `${list}#3`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '3',
        statusListCredential: list}}), identity: issuer, documentLoader: aDocumentLoader([issuer])});

      const response = await request(carecred.app).post('/v1/verify').send({credential});

      expect(response.body.verified).toBe(false);
      expect(response.body.checks.find((check: Json) => check.id === 'status.revocation'))
        .toMatchObject({code: 'status-unknown'});
    });

  test.each([
    ['text that is no credential', 'application/jwt', 'hello', 'unparseable-credential'],
    ['an object without a credential', 'application/json', '{"colour":"blue"}', 'validation-failed'],
    ['malformed JSON', 'application/json', '{"@context":', 'malformed-body']
  ])('when the body is %s, then 400', async (_what, type, body, code) => {
    const response = await request(carecred.app).post('/v1/verify').set('Content-Type', type).send(body);

    expect(response.status).toBe(400);
    expectContract(response, 'verify');
    expect(response.body.type).toBe(`${TEST_BASE_URL}/problems/${code}`);
  });
});

describe('vcApiVerifyCredential', () => {
  test('when a valid credential is posted with returnResults, then 200 with the VC-API result shape', async () => {
    const response = await request(carecred.app).post('/credentials/verify')
      .send({verifiableCredential: validCredential, options: {returnResults: true, checks: ['proof']}});

    expect(response.status).toBe(200);
    expectContract(response, 'vcApiVerifyCredential');
    expect(response.body).toMatchObject({verified: true, results: {proof: [{verified: true}],
      validFrom: {verified: true, input: '2024-01-01T00:00:00Z'}}});
    expect(response.body.problemDetails.map((problem: Json) => problem.title)).toEqual(['issuer-not-registered']);
  });

  test('when the credential was tampered with, then 200 verified false with a CRYPTOGRAPHIC_SECURITY_ERROR', async () => {
    const response = await request(carecred.app).post('/credentials/verify')
      .send({verifiableCredential: {...validCredential, name: 'Changed'}});

    expect(response.status).toBe(200);
    expectContract(response, 'vcApiVerifyCredential');
    expect(response.body.verified).toBe(false);
    expect(response.body.problemDetails[0].type).toBe('https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR');
  });

  test.each([
    ['a credential without issuer', () => ({verifiableCredential: {...validCredential, issuer: undefined}})],
    ['a credential without proof', () => ({verifiableCredential: {...validCredential, proof: undefined}})],
    ['an unknown option', () => ({verifiableCredential: validCredential, options: {colour: 'blue'}})],
    ['no credential', () => ({options: {}})]
  ])('when the request has %s, then 400', async (_what, body) => {
    const response = await request(carecred.app).post('/credentials/verify').send(JSON.parse(JSON.stringify(body())));

    expect(response.status).toBe(400);
    expectContract(response, 'vcApiVerifyCredential');
  });
});

describe('vcApiVerifyPresentation', () => {
  async function aPresentation(challenge: string): Promise<Json> {
    return signPresentationDataIntegrity({presentation: {'@context': [V2], type: ['VerifiablePresentation'],
      holder: holder.did, verifiableCredential: [validCredential]}, identity: holder,
    documentLoader: aDocumentLoader([holder]), challenge, domain: 'employer.example'});
  }

  test.each([
    ['the expected challenge', true, 'abc-123', []],
    ['another challenge', false, 'other', ['https://w3id.org/security#INVALID_CHALLENGE_ERROR']]
  ])('when the presentation has %s, then 200 with verified %s', async (_what, verified, challenge, types) => {
    const verifiablePresentation = await aPresentation(challenge);

    const response = await request(carecred.app).post('/presentations/verify').send({verifiablePresentation,
      options: {challenge: 'abc-123', domain: 'employer.example', returnResults: true}});

    expect(response.status).toBe(200);
    expectContract(response, 'vcApiVerifyPresentation');
    expect(response.body.verified).toBe(verified);
    expect(response.body.results.presentation.challenge).toEqual({verified, input: challenge});
    expect(response.body.results.credentials[0].verified).toBe(true);
    expect(response.body.problemDetails.map((problem: Json) => problem.type)
      .filter((type: string) => !type.includes('/problems/verification#'))).toEqual(types);
  });

  test('when the presentation is not a presentation, then 400', async () => {
    const response = await request(carecred.app).post('/presentations/verify')
      .send({verifiablePresentation: {type: ['VerifiablePresentation']}});

    expect(response.status).toBe(400);
    expectContract(response, 'vcApiVerifyPresentation');
  });
});
