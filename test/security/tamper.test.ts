/**
 * The tamper suite: credentials that carecred issued — Open Badges 3.0 as Data Integrity and as
 * VC-JOSE, Europass EDC as VC-JOSE — are changed the ways an attacker would (MUTATION_CLASSES in
 * mutations.ts) and submitted to POST /v1/verify. Every tampered credential must verify `false`,
 * and the first failing check (and its code where the class has one cause) must be the one the
 * table names. The untouched credentials verify `true`, so a failure can only come from the change.
 */
import {Types} from 'mongoose';
import request from 'supertest';

import type {Check} from '../../src/verification/types.js';
import {expectContract} from '../support/contract.js';
import {leakedSecrets} from '../support/secret-scan.js';
import {startTestApp, type TestApp} from '../support/test-app.js';
import {anOrganisation, aPublishedUnit, aUnit, type TestOrganisation} from '../support/units.js';
import {bodyOf, type IssuedSet, type Kind, KINDS, type Mutation, MUTATION_CLASSES,
  type TamperContext} from './mutations.js';
import {stealKey} from './tamper-tools.js';

let carecred: TestApp;
let context: TamperContext;
const mutationsRun = new Map<string, number>();
let organisationKeys: string[] = [];

async function issueSet(organisation: TestOrganisation, unitId: string, externalId: string):
  Promise<IssuedSet> {
  const achievement = await request(carecred.app).post('/v1/achievements').set(organisation.auth).send({
    learner: {givenName: `Learner ${externalId}`, familyName: 'de Vries', email: `${externalId}@example.nl`, externalId},
    unitId, achievedAt: '2026-06-30T14:00:00Z', grade: '8,2', issue: ['ob3', 'edc']
  });
  const jwt = await request(carecred.app).post(`/v1/achievements/${achievement.body.id}/credentials`)
    .set(organisation.auth).send({profile: 'ob3', format: 'jwt'});
  const byProfile = (profile: string) => achievement.body.credentials
    .find((credential: {profile: string}) => credential.profile === profile).credential;
  return {'ob3-di': byProfile('ob3'), 'ob3-jwt': jwt.body.credential, 'edc-jwt': byProfile('edc')};
}

async function storedKey(orgId: string) {
  const record = await carecred.db.collection('keys').findOne({orgId: new Types.ObjectId(orgId), state: 'active'});
  return record as unknown as Parameters<typeof stealKey>[0]['record'];
}

beforeAll(async () => {
  carecred = await startTestApp();
  const a = await anOrganisation(carecred, {slug: 'zorgcollege-noord'});
  const b = await anOrganisation(carecred, {slug: 'ander-college', name: {nl: 'Ander College'}});
  organisationKeys = [a.apiKey, b.apiKey];
  const unitA = await aPublishedUnit(carecred, a, aUnit({credentialValidityMonths: 24}));
  const unitB = await aPublishedUnit(carecred, b, aUnit());
  const sets = {a: await issueSet(a, unitA.unitId, 'S1'), a2: await issueSet(a, unitA.unitId, 'S2'),
    b: await issueSet(b, unitB.unitId, 'S3')};
  const aKey = await storedKey(a.id);
  const bRecord = await storedKey(b.id);
  const rotated = (await request(carecred.app).post('/v1/keys/rotate').set(a.auth)).body;
  const bKey = stealKey({record: bRecord, keyEncryptionKey: carecred.keyEncryptionKey});
  context = {
    ...sets,
    aDid: (await request(carecred.app).get('/v1/organisation').set(a.auth)).body.issuerDid,
    bDid: (await request(carecred.app).get('/v1/organisation').set(b.auth)).body.issuerDid,
    aPublicJwk: aKey.publicKeyJwk as TamperContext['aPublicJwk'],
    aPublicKeyMultibase: (aKey as unknown as {publicKeyMultibase: string}).publicKeyMultibase,
    bPublicJwk: bRecord.publicKeyJwk as TamperContext['bPublicJwk'],
    aRotatedKey: {jwkKid: rotated.jwkKid, multikeyId: rotated.verificationMethod},
    bKey,
    signDiWithB: async credential => carecred.services.signer.signDataIntegrity({
      credential: credential as never, key: await carecred.services.keys.getActiveKey(b.id)})
  };
}, 120_000);
afterAll(async () => {
  const total = [...mutationsRun.values()].reduce((sum, count) => sum + count, 0);
  process.stdout.write(`tamper suite: ${total} tampered credentials verified\n${[...mutationsRun]
    .map(([row, count]) => `  ${count} × ${row}`).join('\n')}\n`);
  await carecred.stop();
});

async function verify(body: Record<string, unknown>) {
  const response = await request(carecred.app).post('/v1/verify').send(body);
  expectContract(response, 'verify');
  return response;
}

/** The first failing check in report order; warnings (an unregistered issuer) do not count. */
function firstFailure(checks: Check[]): Check | undefined {
  return checks.find(check => !check.passed && !check.skipped && check.severity !== 'warning');
}

/** What went differently than the table says, one line per mutation (empty when all is right). */
async function unexpectedOutcomes(row: string, mutations: Mutation[]): Promise<string[]> {
  const problems: string[] = [];
  for(const mutation of mutations) {
    const response = await verify(mutation.body);
    mutationsRun.set(row, (mutationsRun.get(row) ?? 0) + 1);
    const failed = response.status === 200 ? firstFailure(response.body.checks) : undefined;
    const outcome = response.status !== 200 ? `HTTP ${response.status} ${response.body.detail}` :
      response.body.verified ? 'VERIFIED' : `${failed?.id}/${failed?.code}`;
    const expected = `${mutation.expect.check}/${mutation.expect.code ?? failed?.code}`;
    if(response.status !== 200 || response.body.verified || outcome !== expected) {
      problems.push(`${mutation.label}: expected ${expected}, got ${outcome}`);
    }
  }
  return problems;
}

describe('the credentials before tampering', () => {
  test.each(KINDS)('when the untouched %s credential is verified, then it is valid', async kind => {
    const response = await verify(bodyOf(kind, context.a[kind]));

    expect(firstFailure(response.body.checks)).toBeUndefined();
    expect(response.body.verified).toBe(true);
  });
});

describe.each(MUTATION_CLASSES.map(row => [row.name, row] as const))('%s', (_name, row) => {
  test.each(row.kinds)('when a %s credential is tampered with, then every variant verifies false ' +
    'with the expected failing check', async (kind: Kind) => {
    const mutations = (await row.mutate({context, kind}))
      .map(mutation => ({...mutation, expect: mutation.expect ?? row.expect!}));

    const problems = await unexpectedOutcomes(`${row.name} (${kind})`, mutations);

    expect(mutations.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('changes that leave the signed graph identical', () => {
  // eddsa-rdfc-2022 signs the canonical RDF graph, not the JSON text: a change that yields the
  // same graph is no change of any claim, so the signature holds. Contexts are still pinned by
  // the Open Badges schema, and nothing a relying party reads differs from what was signed.
  const credential = () => structuredClone(context.a['ob3-di'] as Record<string, unknown>);

  test('when the profile contexts are reordered, then the signature holds and the OB 3.0 schema fails', async () => {
    const reordered = credential();
    const [base, ...profile] = reordered['@context'] as unknown[];
    reordered['@context'] = [base, ...profile.reverse()];

    const response = await verify({credential: reordered});

    expect(response.body.verified).toBe(false);
    expect(firstFailure(response.body.checks)).toMatchObject({id: 'schema', code: 'schema-invalid'});
  });

  test('when an unused term definition is appended to @context, then every claim read is the signed one', async () => {
    const extended = credential();
    extended['@context'] = [...extended['@context'] as unknown[], {unusedTerm: 'https://attacker.example/unused'}];

    const response = await verify({credential: extended});

    const {'@context': _context, ...claims} = response.body.credential;
    const {'@context': _original, ...signedClaims} = credential();
    expect(claims).toEqual(signedClaims);
    expect(response.body.checks.find((check: Check) => check.id === 'signature').passed).toBe(true);
  });
});

describe('a forgery by another organisation under its own name', () => {
  test('when B re-issues A\'s credential as itself with A\'s name, then it verifies as B\'s, named B', async () => {
    const {proof: _proof, ...unsigned} = context.a['ob3-di'] as Record<string, unknown>;
    const forged = await context.signDiWithB({...unsigned,
      issuer: {...unsigned.issuer as object, id: context.bDid}});

    const response = await verify({credential: forged});

    expect(response.body.summary.issuerDid).toBe(context.bDid);
    expect(response.body.summary.issuerName).toBe('Ander College');
  });
});

test('when every tampered credential has been verified, then no key or token is in the logs or database', async () => {
  expect(await leakedSecrets(carecred, {apiKeys: organisationKeys})).toEqual([]);
});
