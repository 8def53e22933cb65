/**
 * The issuing journey: an organisation publishes a unit, records an achievement with
 * `issue: ["ob3", "edc"]`, and both credentials are standard: valid against the official
 * schemas, the ob3 one verifies with @digitalbazaar/vc and the edc one with jose, each using
 * only the DID document carecred serves.
 */
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import {compactVerify, decodeProtectedHeader, importJWK} from 'jose';
import request from 'supertest';

import {validateAgainstProfileSchema} from '../../src/credentials/profiles/index.js';
import {createDocumentLoader} from '../../src/platform/jsonld/document-loader.js';
import {expectContract} from '../support/contract.js';
import {startTestApp, type TestApp} from '../support/test-app.js';
import {anOrganisation, aPublishedUnit, aUnit, type TestOrganisation} from '../support/units.js';

let carecred: TestApp;
let school: TestOrganisation;
let unitId: string;

beforeAll(async () => {
  carecred = await startTestApp();
  school = await anOrganisation(carecred, {slug: 'zorgcollege-noord'});
  ({unitId} = await aPublishedUnit(carecred, school, aUnit({credentialValidityMonths: 24})));
});
afterAll(async () => carecred.stop());

function anAchievement(overrides: Record<string, unknown> = {}) {
  return {
    learner: {givenName: 'Sanne', familyName: 'de Vries', email: 'sanne@example.nl', externalId: 'S1001'},
    unitId, achievedAt: '2026-06-30T14:00:00Z', grade: '8,2', issue: ['ob3', 'edc'], ...overrides
  };
}

/** A loader that resolves carecred's DIDs only through the served did.json (like any verifier). */
function servedDidLoader() {
  return createDocumentLoader({
    publicBaseUrl: carecred.config.publicBaseUrl,
    resolveDid: async did => {
      const slug = did.split(':').at(-1)!;
      const response = await request(carecred.app).get(`/issuers/${slug}/did.json`);
      return response.status === 200 ? JSON.parse(response.text) : undefined;
    }
  });
}

describe('createAchievement with issue ob3 and edc', () => {
  let achievement: request.Response;
  beforeAll(async () => {
    achievement = await request(carecred.app).post('/v1/achievements').set(school.auth)
      .set('Idempotency-Key', 'journey-1').send(anAchievement());
  });

  test('when the achievement is recorded, then 201 with one credential per profile', () => {
    expect(achievement.status).toBe(201);
    expectContract(achievement, 'createAchievement');
    expect(achievement.body.credentials.map((c: {profile: string; format: string}) => `${c.profile}:${c.format}`)
      .sort()).toEqual(['edc:jwt', 'ob3:di']);
  });

  test('when the ob3 credential is checked, then it matches the official schema and verifies with vc', async () => {
    const {credential} = achievement.body.credentials.find((c: {profile: string}) => c.profile === 'ob3');

    expect(validateAgainstProfileSchema('ob3', credential)).toEqual({valid: true, errors: []});
    const result = await vc.verifyCredential({
      credential, suite: new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
      documentLoader: servedDidLoader(), checkStatus: async () => ({verified: true})
    });
    expect(result.verified).toBe(true);
    expect(credential.validUntil).toBeDefined();
  });

  test('when the edc credential is checked, then it matches the official schema and verifies with jose', async () => {
    const {credential: jwt} = achievement.body.credentials.find((c: {profile: string}) => c.profile === 'edc');
    const header = decodeProtectedHeader(jwt);
    const didDocument = JSON.parse((await request(carecred.app).get('/issuers/zorgcollege-noord/did.json')).text);
    const method = didDocument.verificationMethod.find((vm: {id: string}) => vm.id === header.kid);

    const {payload} = await compactVerify(jwt, await importJWK(method.publicKeyJwk, 'EdDSA'));

    expect(header).toMatchObject({alg: 'EdDSA', typ: 'vc+jwt'});
    expect(didDocument.assertionMethod).toContain(header.kid);
    expect(validateAgainstProfileSchema('edc', JSON.parse(new TextDecoder().decode(payload))).valid).toBe(true);
  });

  test('when the request is retried with the same Idempotency-Key, then the same answer and nothing new', async () => {
    const before = await carecred.db.collection('credentials').countDocuments();

    const retry = await request(carecred.app).post('/v1/achievements').set(school.auth)
      .set('Idempotency-Key', 'journey-1').send(anAchievement());

    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.id).toBe(achievement.body.id);
    expect(await carecred.db.collection('credentials').countDocuments()).toBe(before);
  });

  test('when the Idempotency-Key is reused with another body, then 422 and nothing new', async () => {
    const response = await request(carecred.app).post('/v1/achievements').set(school.auth)
      .set('Idempotency-Key', 'journey-1').send(anAchievement({grade: '9'}));

    expect(response.status).toBe(422);
    expectContract(response, 'createAchievement');
  });

  test('when both credentials are verified by carecred, then both are valid', async () => {
    for(const {credential} of achievement.body.credentials) {
      const response = await request(carecred.app).post('/v1/verify').send(
        typeof credential === 'string' ? {jwt: credential} : credential);

      expect(response.status).toBe(200);
      expect(response.body.checks.filter((check: {passed: boolean; severity?: string}) =>
        !check.passed && check.severity !== 'warning')).toEqual([]);
      expect(response.body.verified).toBe(true);
      expect(response.body.summary.issuerName).toBeDefined();
    }
  });
});

describe('issue failures', () => {
  test('when the unit is a draft, then 409 and nothing is issued', async () => {
    const draft = await request(carecred.app).post('/v1/units').set(school.auth).send(aUnit());
    const before = await carecred.db.collection('credentials').countDocuments();

    const response = await request(carecred.app).post('/v1/achievements').set(school.auth)
      .send(anAchievement({unitId: draft.body.id}));

    expect(response.status).toBe(409);
    expect(await carecred.db.collection('credentials').countDocuments()).toBe(before);
  });

  test('when edc is asked as Data Integrity, then 422', async () => {
    const recorded = await request(carecred.app).post('/v1/achievements').set(school.auth)
      .send(anAchievement({issue: [], learner: {givenName: 'Ali', familyName: 'B', externalId: 'S2'}}));

    const response = await request(carecred.app).post(`/v1/achievements/${recorded.body.id}/credentials`)
      .set(school.auth).send({profile: 'edc', format: 'di'});

    expect(response.status).toBe(422);
    expectContract(response, 'issueAchievementCredential');
  });

  test('when a live credential of the same profile and format exists, then 409', async () => {
    const recorded = await request(carecred.app).post('/v1/achievements').set(school.auth)
      .send(anAchievement({issue: ['ob3'], learner: {givenName: 'Kim', familyName: 'C', externalId: 'S3'}}));

    const again = await request(carecred.app).post(`/v1/achievements/${recorded.body.id}/credentials`)
      .set(school.auth).send({profile: 'ob3'});
    const asJwt = await request(carecred.app).post(`/v1/achievements/${recorded.body.id}/credentials`)
      .set(school.auth).send({profile: 'ob3', format: 'jwt'});

    expect(again.status).toBe(409);
    expect(asJwt.status).toBe(201);
  });

  test('when another organisation records an achievement for this unit, then 404', async () => {
    const other = await anOrganisation(carecred, {slug: 'ander-college'});

    const response = await request(carecred.app).post('/v1/achievements').set(other.auth)
      .send(anAchievement());

    expect(response.status).toBe(404);
  });
});
