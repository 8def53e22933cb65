/**
 * Status journey: revoke, suspend and reinstate take effect at once — in carecred's verifier and
 * in the signed status list credential served at its URL — and every change is in the audit trail,
 * also when a process stopped half-way through a change or the database predates transitions.
 */
import {Types} from 'mongoose';
import request from 'supertest';

import {runOnce} from '../../src/platform/migrations.js';
import {decodeStatusList} from '../../src/status/index.js';
import {expectContract} from '../support/contract.js';
import {startTestApp, type TestApp} from '../support/test-app.js';
import {anOrganisation, aPublishedUnit, type TestOrganisation} from '../support/units.js';

type IssuedCredential = {id: string; profile: string; credential: Record<string, unknown> | string};
type StatusEntry = {statusListCredential: string; statusListIndex: string};

let carecred: TestApp;
let school: TestOrganisation;
let unitId: string;
let counter = 0;

beforeAll(async () => {
  carecred = await startTestApp();
  school = await anOrganisation(carecred, {slug: 'umc-leerhuis'});
  ({unitId} = await aPublishedUnit(carecred, school));
});
afterAll(async () => carecred.stop());

async function issueBoth(): Promise<IssuedCredential[]> {
  counter += 1;
  const response = await request(carecred.app).post('/v1/achievements').set(school.auth).send({
    learner: {givenName: 'Lotte', familyName: `Jansen ${counter}`, externalId: `L${counter}`},
    unitId, achievedAt: '2026-05-01T10:00:00Z', issue: ['ob3', 'edc']
  });
  expect(response.status).toBe(201);
  return response.body.credentials;
}

async function verify(credential: IssuedCredential['credential']) {
  const response = await request(carecred.app).post('/v1/verify')
    .send(typeof credential === 'string' ? {jwt: credential} : credential);
  expect(response.status).toBe(200);
  const failing = (response.body.checks as {id: string; passed: boolean; severity?: string}[])
    .filter(check => !check.passed && check.severity !== 'warning').map(check => check.id);
  return {verified: response.body.verified as boolean, failing};
}

async function change(id: string, action: 'revoke' | 'suspend' | 'reinstate', reason = 'test') {
  return request(carecred.app).post(`/v1/credentials/${id}/${action}`).set(school.auth).send({reason});
}

describe.each(['ob3', 'edc'])('status of a %s credential', profile => {
  let issued: IssuedCredential;
  beforeAll(async () => {
    issued = (await issueBoth()).find(credential => credential.profile === profile)!;
  });

  test('when it is suspended, then it verifies false with status.suspension failing', async () => {
    const response = await change(issued.id, 'suspend');

    expect(response.status).toBe(200);
    expectContract(response, 'suspendCredential');
    expect(await verify(issued.credential)).toEqual({verified: false, failing: ['status.suspension']});
  });

  test('when it is reinstated, then it verifies true again', async () => {
    const response = await change(issued.id, 'reinstate');

    expect(response.status).toBe(200);
    expect(await verify(issued.credential)).toEqual({verified: true, failing: []});
  });

  test('when it is revoked, then it verifies false with status.revocation failing, for good', async () => {
    const response = await change(issued.id, 'revoke', 'issued by mistake');

    expect(response.status).toBe(200);
    expect(response.body.status).toBe('revoked');
    expect(await verify(issued.credential)).toEqual({verified: false, failing: ['status.revocation']});
    expect((await change(issued.id, 'reinstate')).status).toBe(409);
    expect((await change(issued.id, 'revoke')).status).toBe(409);
  });
});

describe('transitions', () => {
  test.each([
    ['reinstate an active credential', ['reinstate']],
    ['suspend a suspended credential', ['suspend', 'suspend']]
  ])('when trying to %s, then 409 lifecycle-conflict', async (_what, actions) => {
    const [credential] = await issueBoth();
    let last: request.Response | undefined;
    for(const action of actions as ('suspend' | 'reinstate')[]) {
      last = await change(credential!.id, action);
    }

    expect(last!.status).toBe(409);
    expect(last!.body.type).toMatch(/lifecycle-conflict$/);
  });

  test('when a revocation has no reason, then 400', async () => {
    const [credential] = await issueBoth();

    const response = await request(carecred.app).post(`/v1/credentials/${credential!.id}/revoke`)
      .set(school.auth).send({});

    expect(response.status).toBe(400);
  });

  test('when another organisation tries to revoke, then 404 and nothing changes', async () => {
    const [credential] = await issueBoth();
    const other = await anOrganisation(carecred, {slug: 'ander-ziekenhuis'});

    const response = await request(carecred.app).post(`/v1/credentials/${credential!.id}/revoke`)
      .set(other.auth).send({reason: 'x'});

    expect(response.status).toBe(404);
    expect((await verify(credential!.credential)).verified).toBe(true);
  });
});

describe('getStatusList', () => {
  test('when a credential is revoked, then the served list is signed and has its bit set', async () => {
    const ob3 = (await issueBoth()).find(credential => credential.profile === 'ob3')!;
    const entry = (ob3.credential as {credentialStatus: StatusEntry}).credentialStatus;
    const path = new URL(entry.statusListCredential).pathname;
    const before = await request(carecred.app).get(path);

    await change(ob3.id, 'revoke', 'fraud');
    const after = await request(carecred.app).get(path).set('Accept', 'application/json');
    const cached = await request(carecred.app).get(path).set('If-None-Match', after.headers.etag!);

    expect(after.status).toBe(200);
    expectContract(after, 'getStatusList');
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(cached.status).toBe(304);
    const list = JSON.parse(after.text);
    expect(list.proof).toMatchObject({type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022'});
    const bits = decodeStatusList(list.credentialSubject.encodedList);
    expect(bits.isSet(Number(entry.statusListIndex))).toBe(true);
    const verified = await request(carecred.app).post('/v1/verify').send(list);
    expect(verified.body.checks.find((check: {id: string}) => check.id === 'signature').passed).toBe(true);
  });

  test('when a list is read many times without change, then it is signed once', async () => {
    const count = async () => carecred.db.collection('signedstatuslists').countDocuments();
    const [credential] = await issueBoth();
    const entry = (credential!.credential as {credentialStatus: StatusEntry}).credentialStatus;
    const path = new URL(entry.statusListCredential).pathname;
    await request(carecred.app).get(path);
    const signedBefore = await count();

    await Promise.all(Array.from({length: 20}, () => request(carecred.app).get(path)));

    expect(await count()).toBe(signedBefore);
  });

  test('when the list does not exist, then 404', async () => {
    expect((await request(carecred.app).get('/status/umc-leerhuis/revocation-99')).status).toBe(404);
    expect((await request(carecred.app).get('/status/nobody/revocation-1')).status).toBe(404);
  });
});

describe('listAuditEvents', () => {
  test('when credentials changed status, then the audit trail says who, when, what and why', async () => {
    const [credential] = await issueBoth();
    await change(credential!.id, 'suspend', 'inquiry');

    const response = await request(carecred.app).get(`/v1/audit?targetId=${credential!.id}`).set(school.auth);

    expect(response.status).toBe(200);
    expectContract(response, 'listAuditEvents');
    expect(response.body.items[0]).toMatchObject({action: 'credential.suspended', reason: 'inquiry',
      fromStatus: 'active', toStatus: 'suspended', target: {type: 'credential', id: credential!.id}});
    expect(response.body.items[0].actor).toMatch(/^[0-9a-f]{24}$/);
  });
});

describe('status changes that a crash or an older database left unfinished', () => {
  async function credentialDocument(id: string) {
    return (await carecred.db.collection('credentials').findOne({_id: new Types.ObjectId(id)}))!;
  }

  async function auditOf(id: string) {
    const response = await request(carecred.app).get(`/v1/audit?targetId=${id}`).set(school.auth);
    expect(response.status).toBe(200);
    return response.body.items as {action: string; reason?: string}[];
  }

  async function servedBit(credential: IssuedCredential): Promise<boolean> {
    const entry = (credential.credential as {credentialStatus: StatusEntry}).credentialStatus;
    const list = JSON.parse((await request(carecred.app).get(new URL(entry.statusListCredential).pathname)
      .set('Accept', 'application/json')).text);
    return decodeStatusList(list.credentialSubject.encodedList).isSet(Number(entry.statusListIndex));
  }

  test('when a process stopped right after taking a revocation, then it holds at once and the next ' +
    'read writes the rest: the credential, the audit trail and the served list', async () => {
    const ob3 = (await issueBoth()).find(credential => credential.profile === 'ob3')!;
    expect(await servedBit(ob3)).toBe(false);
    const record = await credentialDocument(ob3.id);
    // What the process had written when it stopped: the transition, nothing after it.
    await carecred.db.collection('statustransitions').insertOne({
      _id: `${ob3.id}:1` as never, orgId: record.orgId, credentialId: ob3.id, seq: 1, fromStatus: 'active',
      toStatus: 'revoked', at: new Date(), actor: 'admin', reason: 'stopped mid-way',
      revocationListId: record.revocationListId, revocationIndex: record.revocationIndex,
      suspensionListId: record.suspensionListId, suspensionIndex: record.suspensionIndex
    });

    expect(await verify(ob3.credential)).toEqual({verified: false, failing: ['status.revocation']});
    const read = await request(carecred.app).get(`/v1/credentials/${ob3.id}`).set(school.auth);
    await request(carecred.app).get(`/v1/credentials/${ob3.id}`).set(school.auth);

    expect(read.body).toMatchObject({status: 'revoked'});
    expect((await auditOf(ob3.id)).filter(event => event.action === 'credential.revoked'))
      .toEqual([expect.objectContaining({reason: 'stopped mid-way'})]);
    expect(await servedBit(ob3)).toBe(true);
    expect((await change(ob3.id, 'reinstate')).status).toBe(409);
  });

  test('when the database holds status changes only in the audit trail (written before transitions ' +
    'had their own collection), then adopting them keeps every status, once', async () => {
    const [credential] = await issueBoth();
    expect((await change(credential!.id, 'suspend', 'inquiry')).status).toBe(200);
    // The older layout: no transition documents, and a cached status that never caught up.
    await carecred.db.collection('statustransitions').deleteMany({credentialId: credential!.id});
    await carecred.db.collection('credentials').updateOne({_id: new Types.ObjectId(credential!.id)},
      {$set: {status: 'active', statusSeq: 0}});
    expect(await verify(credential!.credential)).toEqual({verified: true, failing: []});

    const migrations = [await runOnce(carecred.db, 'test-adopt', async () => {
      expect(await carecred.services.status.adoptAuditTransitions()).toBeGreaterThanOrEqual(1);
    }), await runOnce(carecred.db, 'test-adopt', async () => {
      throw new Error('a migration that completed must not run again');
    })];

    expect(migrations).toEqual([true, false]);
    expect(await carecred.services.status.adoptAuditTransitions()).toBe(0);
    expect(await verify(credential!.credential)).toEqual({verified: false, failing: ['status.suspension']});
    expect((await change(credential!.id, 'reinstate')).status).toBe(200);
    expect((await auditOf(credential!.id)).map(event => event.action))
      .toEqual(['credential.reinstated', 'credential.suspended']);
  });

  test('when a list changes again and again, then only its current signed copy is kept', async () => {
    const issued = await Promise.all([issueBoth(), issueBoth(), issueBoth()]);
    const ob3 = issued.map(both => both.find(credential => credential.profile === 'ob3')!);
    const signedCopies = async () => carecred.db.collection('signedstatuslists').countDocuments({
      purpose: 'revocation', listId: Number(new URL((ob3[0]!.credential as {credentialStatus: StatusEntry})
        .credentialStatus.statusListCredential).pathname.split('-').at(-1))});

    for(const credential of ob3) {
      expect((await change(credential.id, 'revoke', 'again')).status).toBe(200);
      expect(await servedBit(credential)).toBe(true);
    }

    expect(await signedCopies()).toBe(1);
    for(const credential of ob3) {
      expect(await servedBit(credential)).toBe(true);
    }
  });
});
