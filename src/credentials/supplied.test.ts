import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import request from 'supertest';

import {expectContract} from '../../test/support/contract.js';
import {startTestApp, type TestApp} from '../../test/support/test-app.js';
import {anOrganisation, type TestOrganisation} from '../../test/support/units.js';
import {createDocumentLoader} from '../platform/jsonld/document-loader.js';

let carecred: TestApp;
let school: TestOrganisation;
let schoolDid: string;
let other: TestOrganisation;
let otherDid: string;

async function issuerDidOf(organisation: TestOrganisation): Promise<string> {
  return (await request(carecred.app).get('/v1/organisation').set(organisation.auth)).body.issuerDid;
}

beforeAll(async () => {
  carecred = await startTestApp();
  school = await anOrganisation(carecred, {slug: 'vc-api-school'});
  other = await anOrganisation(carecred, {slug: 'vc-api-other', didMethod: 'key'});
  [schoolDid, otherDid] = await Promise.all([issuerDidOf(school), issuerDidOf(other)]);
});
afterAll(async () => carecred.stop());

function aV2Credential(issuer?: unknown, overrides: Record<string, unknown> = {}) {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: 'urn:uuid:0b1c6c2e-7b0e-4e51-9a53-8f9b0a1d2c3e',
    type: ['VerifiableCredential'],
    issuer: issuer ?? schoolDid,
    validFrom: '2026-01-01T00:00:00Z',
    credentialSubject: {id: 'did:example:learner', name: 'Sanne de Vries'},
    ...overrides
  };
}

function aV1Credential(issuer: unknown = {id: schoolDid}) {
  return {
    '@context': ['https://www.w3.org/2018/credentials/v1'],
    type: ['VerifiableCredential'],
    issuer,
    credentialSubject: {id: 'did:example:learner'}
  };
}

function issue(body: unknown, organisation: TestOrganisation = school) {
  return request(carecred.app).post('/credentials/issue').set(organisation.auth).send(body as object);
}

/** Verifies with the unmodified library, resolving carecred's DIDs only through the served documents. */
async function verifyWithLibrary(credential: object) {
  const documentLoader = createDocumentLoader({
    publicBaseUrl: carecred.config.publicBaseUrl,
    resolveDid: async did => {
      if(did.startsWith('did:key:')) {
        return undefined;
      }
      const response = await request(carecred.app).get(`/issuers/${did.split(':').at(-1)}/did.json`);
      return response.status === 200 ? JSON.parse(response.text) : undefined;
    }
  });
  return vc.verifyCredential({credential, suite: new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
    documentLoader});
}

describe('vcApiIssueCredential', () => {
  test.each([
    ['a VC 2.0 credential with the issuer as a string', () => aV2Credential()],
    ['a VC 2.0 credential with the issuer as an object', () => aV2Credential({id: schoolDid, name: 'School'})],
    ['a VC 1.1 credential without issuanceDate', () => aV1Credential()]
  ])('when %s is supplied, then 201 with a credential the library verifies', async (_what, aCredential) => {
    const credential = aCredential();

    const response = await issue({credential, options: {credentialId: 'urn:example:my-ref'}});

    expect(response.status).toBe(201);
    expectContract(response, 'vcApiIssueCredential');
    const {verifiableCredential} = response.body;
    const {'@context': contexts, ...claims} = credential;
    // For VC 1.1 the library appends the Data Integrity context (v1 does not define DataIntegrityProof).
    expect(verifiableCredential['@context'].slice(0, contexts.length)).toEqual(contexts);
    expect(verifiableCredential).toMatchObject({...claims, proof: {type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022', proofPurpose: 'assertionMethod'}});
    expect(verifiableCredential.proof.verificationMethod.startsWith(`${schoolDid}#`)).toBe(true);
    expect((await verifyWithLibrary(verifiableCredential)).verified).toBe(true);
  });

  test('when a VC 1.1 credential has no issuanceDate, then it gets the time of issue and the input is unchanged', async () => {
    const credential = Object.freeze(aV1Credential(schoolDid));

    const {issueSuppliedCredential} = carecred.services.credentials;

    const issued = await issueSuppliedCredential({orgId: school.id, credential});

    expect(credential).not.toHaveProperty('issuanceDate');
    expect(issued.issuanceDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Math.abs(Date.parse(issued.issuanceDate as string) - Date.now())).toBeLessThan(60_000);
  });

  test.each([
    ['another DID', () => aV2Credential('did:web:example.com')],
    ['another organisation\'s DID', () => aV2Credential(otherDid)],
    ['another DID as issuer.id', () => aV2Credential({id: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'})]
  ])('when the issuer is %s, then 400 issuer-mismatch and nothing is signed', async (_what, aCredential) => {
    const response = await issue({credential: aCredential()});

    expect(response.status).toBe(400);
    expectContract(response, 'vcApiIssueCredential');
    expect(response.body.type).toMatch(/\/problems\/issuer-mismatch$/);
    expect(response.body.detail).toContain(schoolDid);
  });

  test.each([
    ['the credential is not an object', 'validation-failed', () => ({credential: 'not a credential'})],
    ['there is no credential', 'validation-failed', () => ({options: {}})],
    ['an option is unknown', 'validation-failed', () => ({credential: aV2Credential(), options: {format: 'jwt'}})],
    ['it has no type', 'non-conforming-document', () => ({credential: aV2Credential(schoolDid, {type: undefined})})],
    ['it has no credentialSubject', 'non-conforming-document',
      () => ({credential: aV2Credential(schoolDid, {credentialSubject: undefined})})],
    ['its first context is not a credentials context', 'non-conforming-document',
      () => ({credential: aV2Credential(schoolDid, {'@context': ['https://www.w3.org/ns/did/v1']})})],
    ['validFrom is not a date', 'non-conforming-document',
      () => ({credential: aV2Credential(schoolDid, {validFrom: 'yesterday'})})],
    ['it has no issuer', 'non-conforming-document', () => ({credential: aV2Credential(schoolDid, {issuer: undefined})})]
  ])('when %s, then 400 %s', async (_what, code, aBody) => {
    const response = await issue(JSON.parse(JSON.stringify(aBody())));

    expect(response.status).toBe(400);
    expectContract(response, 'vcApiIssueCredential');
    expect(response.body.type).toMatch(new RegExp(`/problems/${code}$`));
  });

  test('when a context is unknown, then 422 names it', async () => {
    const credential = aV2Credential(schoolDid, {'@context': ['https://www.w3.org/ns/credentials/v2',
      'https://example.com/contexts/unknown-v1.jsonld']});

    const response = await issue({credential});

    expect(response.status).toBe(422);
    expectContract(response, 'vcApiIssueCredential');
    expect(response.body.detail).toContain('https://example.com/contexts/unknown-v1.jsonld');
  });

  test.each([
    ['it already has a proof', () => ({credential: aV2Credential(schoolDid, {proof: {type: 'DataIntegrityProof'}})})],
    ['a term is defined by no context', () => ({credential: aV2Credential(schoolDid,
      {credentialSubject: {id: 'did:example:x', undefinedTerm: 1}})})],
    ['mandatoryPointers are asked for', () => ({credential: aV2Credential(), options: {mandatoryPointers: ['/issuer']}})]
  ])('when %s, then 422', async (_what, aBody) => {
    const response = await issue(aBody());

    expect(response.status).toBe(422);
    expectContract(response, 'vcApiIssueCredential');
  });

  test('when the key lacks the issue scope, then 403', async () => {
    const created = await request(carecred.app).post('/v1/apikeys').set(school.auth)
      .send({name: 'reader', scopes: ['read']});

    const response = await request(carecred.app).post('/credentials/issue')
      .set('Authorization', `Bearer ${created.body.key}`).send({credential: aV2Credential()});

    expect(response.status).toBe(403);
    expectContract(response, 'vcApiIssueCredential');
  });

  test('when there is no key, then 401', async () => {
    const response = await request(carecred.app).post('/credentials/issue').send({credential: aV2Credential()});

    expect(response.status).toBe(401);
  });

  test('when a did:key organisation rotates its key, then only its new DID is accepted', async () => {
    const rotated = await request(carecred.app).post('/v1/keys/rotate').set(other.auth);
    const newDid = await issuerDidOf(other);

    const withOld = await issue({credential: aV2Credential(otherDid)}, other);
    const withNew = await issue({credential: aV2Credential(newDid)}, other);

    expect(rotated.status).toBe(201);
    expect(newDid).not.toBe(otherDid);
    expect(withOld.status).toBe(400);
    expect(withNew.status).toBe(201);
    expect(withNew.body.verifiableCredential.proof.verificationMethod.startsWith(`${newDid}#`)).toBe(true);
  });
});
