import request from 'supertest';

import {expectContract} from '../../test/support/contract.js';
import {startTestApp, TEST_ADMIN_TOKEN, type TestApp} from '../../test/support/test-app.js';

let carecred: TestApp;
let keyA: string;
let keyB: string;
let readOnlyA: string;

function aLearner(overrides: Record<string, unknown> = {}) {
  return {givenName: 'Sanne', familyName: 'de Vries', email: 'Sanne.deVries@example.nl',
    birthDate: '2001-04-17', externalId: `S${Math.floor(Math.random() * 1e9)}`, ...overrides};
}

async function anOrganisationKey(slug: string): Promise<string> {
  const response = await request(carecred.app).post('/v1/admin/organisations')
    .set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`)
    .send({slug, name: {nl: slug}, country: 'NL', type: 'vocational-college'});
  return response.body.apiKey;
}

const as = (key: string) => ({Authorization: `Bearer ${key}`});

async function create(key: string, body: Record<string, unknown>) {
  return request(carecred.app).post('/v1/learners').set(as(key)).send(body);
}

beforeAll(async () => {
  carecred = await startTestApp();
  keyA = await anOrganisationKey('school-a');
  keyB = await anOrganisationKey('school-b');
  const created = await request(carecred.app).post('/v1/apikeys').set(as(keyA))
    .send({name: 'dashboard', scopes: ['read']});
  readOnlyA = created.body.key;
});
afterAll(async () => carecred.stop());

describe('createLearner', () => {
  test('when a learner is recorded, then 201 with the data, the e-mail in lower case', async () => {
    const response = await create(keyA, aLearner({did: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'}));

    expect(response.status).toBe(201);
    expectContract(response, 'createLearner');
    expect(response.body).toMatchObject({givenName: 'Sanne', email: 'sanne.devries@example.nl', birthDate: '2001-04-17'});
    expect(response.body).not.toHaveProperty('identitySalt');
  });

  test.each([
    ['no family name', {familyName: undefined}, '/body/familyName'],
    ['an empty given name', {givenName: ''}, '/body/givenName'],
    ['a bad e-mail address', {email: 'not-an-address'}, '/body/email'],
    ['an impossible date', {birthDate: '2001-02-30'}, '/body/birthDate'],
    ['a birth date in the future', {birthDate: '2999-01-01'}, '/body/birthDate'],
    ['a learner number with outer spaces', {externalId: ' 123 '}, '/body/externalId'],
    ['something that is not a DID', {did: 'https://example.org/me'}, '/body/did'],
    ['an unknown field', {bsn: '123456782'}, '/body/bsn']
  ])('when the body has %s, then 400 names the field and nothing is stored', async (_what, override, pointer) => {
    const before = await carecred.db.collection('learners').countDocuments();

    const response = await create(keyA, aLearner(override));

    expect(response.status).toBe(400);
    expectContract(response, 'createLearner');
    expect(response.body.errors.map((error: {pointer: string}) => error.pointer)).toContain(pointer);
    expect(await carecred.db.collection('learners').countDocuments()).toBe(before);
  });

  test('when the learner number is taken in the organisation, then 409; another organisation may use it', async () => {
    await create(keyA, aLearner({externalId: 'DUP-1'}));

    const duplicate = await create(keyA, aLearner({externalId: 'DUP-1', givenName: 'Other'}));
    const elsewhere = await create(keyB, aLearner({externalId: 'DUP-1'}));

    expect(duplicate.status).toBe(409);
    expectContract(duplicate, 'createLearner');
    expect(elsewhere.status).toBe(201);
  });

  test('when learners have no learner number, then many can exist side by side', async () => {
    const responses = await Promise.all([1, 2, 3].map(() => create(keyA, aLearner({externalId: undefined}))));

    expect(responses.map(response => response.status)).toEqual([201, 201, 201]);
  });

  test('when the key has only the read scope, then 403', async () => {
    const response = await create(readOnlyA, aLearner());

    expect(response.status).toBe(403);
    expectContract(response, 'createLearner');
  });
});

describe('listLearners', () => {
  test('when filtered by learner number or e-mail, then only the matching learner of the organisation is listed', async () => {
    const learner = (await create(keyA, aLearner({externalId: 'LIST-1', email: 'list.one@example.nl'}))).body;
    await create(keyB, aLearner({externalId: 'LIST-1', email: 'list.one@example.nl'}));

    const byNumber = await request(carecred.app).get('/v1/learners?externalId=LIST-1').set(as(readOnlyA));
    const byEmail = await request(carecred.app).get('/v1/learners?email=LIST.ONE@example.nl').set(as(readOnlyA));

    expect(byNumber.status).toBe(200);
    expectContract(byNumber, 'listLearners');
    expect(byNumber.body.items.map((item: {id: string}) => item.id)).toEqual([learner.id]);
    expect(byEmail.body.items.map((item: {id: string}) => item.id)).toEqual([learner.id]);
  });

  test('when paged with a cursor, then every learner of the organisation comes once, oldest first', async () => {
    const all = (await request(carecred.app).get('/v1/learners?limit=200').set(as(keyB))).body.items;
    const seen: string[] = [];

    let cursor: string | undefined;
    do {
      const page = await request(carecred.app).get('/v1/learners').query({limit: 2, ...(cursor ? {cursor} : {})})
        .set(as(keyB));
      expectContract(page, 'listLearners');
      seen.push(...page.body.items.map((item: {id: string}) => item.id));
      cursor = page.body.nextCursor;
    } while(cursor);

    expect(seen).toEqual(all.map((item: {id: string}) => item.id));
    expect(seen.length).toBeGreaterThanOrEqual(2);
  });

  test('when the limit is out of range, then 400', async () => {
    const response = await request(carecred.app).get('/v1/learners?limit=500').set(as(keyA));

    expect(response.status).toBe(400);
    expectContract(response, 'listLearners');
  });
});

describe('getLearner / updateLearner', () => {
  test('when read and changed by its organisation, then the change shows and null removes a member', async () => {
    const learner = (await create(keyA, aLearner())).body;

    const updated = await request(carecred.app).patch(`/v1/learners/${learner.id}`).set(as(keyA))
      .send({familyName: 'Jansen', birthDate: null, email: 'S.Jansen@example.nl'});
    const read = await request(carecred.app).get(`/v1/learners/${learner.id}`).set(as(readOnlyA));

    expect(updated.status).toBe(200);
    expectContract(updated, 'updateLearner');
    expect(read.status).toBe(200);
    expectContract(read, 'getLearner');
    expect(read.body).toMatchObject({familyName: 'Jansen', email: 's.jansen@example.nl'});
    expect(read.body).not.toHaveProperty('birthDate');
  });

  test('when the learner number is changed to a taken one, then 409 and nothing changes', async () => {
    await create(keyA, aLearner({externalId: 'TAKEN-1'}));
    const learner = (await create(keyA, aLearner())).body;

    const response = await request(carecred.app).patch(`/v1/learners/${learner.id}`).set(as(keyA))
      .send({externalId: 'TAKEN-1', givenName: 'Changed'});

    expect(response.status).toBe(409);
    expectContract(response, 'updateLearner');
    const read = await request(carecred.app).get(`/v1/learners/${learner.id}`).set(as(keyA));
    expect(read.body).toMatchObject({externalId: learner.externalId, givenName: 'Sanne'});
  });

  test('when another organisation reads, changes or erases the learner, then 404 and nothing changes', async () => {
    const learner = (await create(keyA, aLearner())).body;

    const read = await request(carecred.app).get(`/v1/learners/${learner.id}`).set(as(keyB));
    const changed = await request(carecred.app).patch(`/v1/learners/${learner.id}`).set(as(keyB))
      .send({givenName: 'Mallory'});
    const erased = await request(carecred.app).delete(`/v1/learners/${learner.id}`).set(as(keyB));

    expect([read.status, changed.status, erased.status]).toEqual([404, 404, 404]);
    expectContract(read, 'getLearner');
    expectContract(changed, 'updateLearner');
    expectContract(erased, 'eraseLearner');
    const stored = await request(carecred.app).get(`/v1/learners/${learner.id}`).set(as(keyA));
    expect(stored.body).toEqual(learner);
  });

  test('when the id is unknown or malformed, then 404 or 400', async () => {
    const unknown = await request(carecred.app).get('/v1/learners/0123456789abcdef01234567').set(as(keyA));
    const malformed = await request(carecred.app).get('/v1/learners/nope').set(as(keyA));

    expect([unknown.status, malformed.status]).toEqual([404, 400]);
    expectContract(malformed, 'getLearner');
  });

  test('when the patch is empty, then 400', async () => {
    const learner = (await create(keyA, aLearner())).body;

    const response = await request(carecred.app).patch(`/v1/learners/${learner.id}`).set(as(keyA)).send({});

    expect(response.status).toBe(400);
    expectContract(response, 'updateLearner');
  });
});

describe('eraseLearner', () => {
  test('when a learner is erased, then the personal data is gone from the database and only a tombstone remains', async () => {
    const personal = {givenName: 'Eefje', familyName: 'Eraseme', email: 'eefje.eraseme@example.nl',
      birthDate: '1999-12-31', externalId: 'ERASE-1', did: 'did:key:z6MkEraseMe'};
    const learner = (await create(keyA, personal)).body;

    const response = await request(carecred.app).delete(`/v1/learners/${learner.id}`).set(as(keyA));

    expect(response.status).toBe(204);
    expectContract(response, 'eraseLearner');
    const raw = JSON.stringify([
      ...await carecred.db.collection('learners').find().toArray(),
      ...await carecred.db.collection('learnererasures').find().toArray()
    ]);
    for(const value of Object.values(personal)) {
      expect(raw).not.toContain(value);
    }
    const tombstones = await carecred.db.collection('learnererasures').find().toArray();
    const tombstone = tombstones.find(candidate => String(candidate._id) === learner.id);
    expect(Object.keys(tombstone ?? {}).sort()).toEqual(['_id', 'erasedAt', 'orgId']);
  });

  test('when an erased learner is read or changed, then 410 learner-erased; erasing again is 204', async () => {
    const learner = (await create(keyA, aLearner())).body;
    await request(carecred.app).delete(`/v1/learners/${learner.id}`).set(as(keyA));

    const read = await request(carecred.app).get(`/v1/learners/${learner.id}`).set(as(keyA));
    const changed = await request(carecred.app).patch(`/v1/learners/${learner.id}`).set(as(keyA))
      .send({givenName: 'Back'});
    const again = await request(carecred.app).delete(`/v1/learners/${learner.id}`).set(as(keyA));

    expect(read.status).toBe(410);
    expectContract(read, 'getLearner');
    expect(read.body.type).toMatch(/\/problems\/learner-erased$/);
    expect(read.body.erasedAt).toEqual(expect.any(String));
    expect(changed.status).toBe(410);
    expectContract(changed, 'updateLearner');
    expect(again.status).toBe(204);
  });

  test('when a learner is erased, then the learner number is free again and the learner is not listed', async () => {
    const learner = (await create(keyA, aLearner({externalId: 'REUSE-1'}))).body;
    await request(carecred.app).delete(`/v1/learners/${learner.id}`).set(as(keyA));

    const reused = await create(keyA, aLearner({externalId: 'REUSE-1'}));
    const listed = await request(carecred.app).get('/v1/learners?limit=200').set(as(keyA));

    expect(reused.status).toBe(201);
    expect(listed.body.items.map((item: {id: string}) => item.id)).not.toContain(learner.id);
  });

  test('when learners are handled, then no personal data reaches the log', async () => {
    await create(keyA, aLearner({givenName: 'Loggable', email: 'loggable@example.nl'}));

    expect(carecred.logLines.join('\n')).not.toMatch(/Loggable|loggable@example\.nl/);
  });
});
