import request from 'supertest';

import {expectContract} from '../../test/support/contract.js';
import {startTestApp, type TestApp} from '../../test/support/test-app.js';
import {anOrganisation, aUnit, type TestOrganisation} from '../../test/support/units.js';

let carecred: TestApp;
let schoolA: TestOrganisation;
let schoolB: TestOrganisation;
beforeAll(async () => {
  carecred = await startTestApp();
  schoolA = await anOrganisation(carecred, {slug: 'school-a'});
  schoolB = await anOrganisation(carecred, {slug: 'school-b', region: 'NL-DR'});
});
afterAll(async () => carecred.stop());

async function createUnit(org: TestOrganisation = schoolA, overrides = {}): Promise<string> {
  const response = await request(carecred.app).post('/v1/units').set(org.auth).send(aUnit(overrides));
  expect(response.status).toBe(201);
  return response.body.id;
}

async function publishedUnit(org: TestOrganisation = schoolA, overrides = {}): Promise<string> {
  const id = await createUnit(org, overrides);
  expect((await request(carecred.app).post(`/v1/units/${id}/publish`).set(org.auth)).status).toBe(200);
  return id;
}

async function keyWithScopes(scopes: string[]): Promise<{Authorization: string}> {
  const response = await request(carecred.app).post('/v1/apikeys').set(schoolA.auth)
    .send({name: scopes.join('+'), scopes});
  return {Authorization: `Bearer ${response.body.key}`};
}

describe('createUnit', () => {
  test('when a school creates a unit, then it is draft version 1 with the organisation\'s country and region', async () => {
    const {country: _country, region: _region, ...input} = aUnit();

    const response = await request(carecred.app).post('/v1/units').set(schoolB.auth).send(input);

    expect(response.status).toBe(201);
    expectContract(response, 'createUnit');
    expect(response.headers.location).toBe(`/v1/units/${response.body.id}`);
    expect(response.body).toMatchObject({version: 1, state: 'draft', orgSlug: 'school-b',
      content: {country: 'NL', region: 'NL-DR'}});
    expect(response.body.publicUrl).toBeUndefined();
  });

  test.each([
    ['a missing mandatory element', {learningOutcomes: undefined}, '/body/learningOutcomes'],
    ['more than 60 ECTS', {ectsCredits: 61}, '/body/ectsCredits'],
    ['an EQF level of 9', {eqfLevel: 9}, '/body/eqfLevel'],
    ['an empty title', {title: {}}, '/body/title'],
    ['a made-up ESCO URI', {learningOutcomes: [{text: {en: 'x'}, escoSkill: 'https://esco.example/skill/1'}]},
      '/body/learningOutcomes/0/escoSkill'],
    ['an unknown member', {colour: 'blue'}, '/body/colour']
  ])('when the body has %s, then 400 problem+json names the field', async (_what, override, pointer) => {
    const response = await request(carecred.app).post('/v1/units').set(schoolA.auth)
      .send({...aUnit(), ...override});

    expect(response.status).toBe(400);
    expectContract(response, 'createUnit');
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors.map((error: {pointer: string}) => error.pointer)).toContain(pointer);
  });

  test('when the body is not JSON, then 400 malformed-body; with another content type, 415', async () => {
    const malformed = await request(carecred.app).post('/v1/units').set(schoolA.auth)
      .set('Content-Type', 'application/json').send('{"title": ');
    const wrongType = await request(carecred.app).post('/v1/units').set(schoolA.auth)
      .set('Content-Type', 'text/plain').send('title');

    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toMatch(/\/problems\/malformed-body$/);
    expect(wrongType.status).toBe(415);
    expectContract(wrongType, 'createUnit');
  });

  test('when there is no key, then 401; with a read-only key, then 403 and nothing is stored', async () => {
    const before = await carecred.db.collection('units').countDocuments();

    const anonymous = await request(carecred.app).post('/v1/units').send(aUnit());
    const readOnly = await request(carecred.app).post('/v1/units').set(await keyWithScopes(['read']))
      .send(aUnit());

    expect(anonymous.status).toBe(401);
    expect(readOnly.status).toBe(403);
    expectContract(readOnly, 'createUnit');
    expect(await carecred.db.collection('units').countDocuments()).toBe(before);
  });
});

describe('getUnit', () => {
  test('when the unit exists, then its latest version is returned', async () => {
    const id = await createUnit();

    const response = await request(carecred.app).get(`/v1/units/${id}`).set(schoolA.auth);

    expect(response.status).toBe(200);
    expectContract(response, 'getUnit');
    expect(response.body).toMatchObject({id, version: 1, state: 'draft'});
  });

  test('when the id is unknown, then 404; when it is malformed, then 400', async () => {
    const unknown = await request(carecred.app).get('/v1/units/0123456789abcdef01234567').set(schoolA.auth);
    const malformed = await request(carecred.app).get('/v1/units/not-an-id').set(schoolA.auth);

    expect(unknown.status).toBe(404);
    expectContract(unknown, 'getUnit');
    expect(malformed.status).toBe(400);
    expectContract(malformed, 'getUnit');
  });
});

describe('updateUnit', () => {
  test('when a draft is edited, then it changes in place and null removes an optional member', async () => {
    const id = await createUnit();

    const response = await request(carecred.app).patch(`/v1/units/${id}`).set(schoolA.auth)
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ectsCredits: 1.5, nlqfLevel: null}));

    expect(response.status).toBe(200);
    expectContract(response, 'updateUnit');
    expect(response.body).toMatchObject({version: 1, state: 'draft', content: {ectsCredits: 1.5}});
    expect(response.body.content).not.toHaveProperty('nlqfLevel');
  });

  test('when a published unit is edited, then version 2 is a new draft and version 1 is unchanged', async () => {
    const id = await publishedUnit();

    const response = await request(carecred.app).patch(`/v1/units/${id}`).set(schoolA.auth)
      .send({workloadHours: 56, ectsCredits: 2});

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({version: 2, state: 'draft', publishedVersion: 1,
      content: {workloadHours: 56}});
    const first = await request(carecred.app).get(`/v1/units/${id}/versions/1`).set(schoolA.auth);
    expect(first.body).toMatchObject({state: 'published', content: {workloadHours: 28, ectsCredits: 1}});
  });

  test.each([
    ['removes a mandatory element', {title: null}],
    ['is empty', {}],
    ['has a wrong type', {workloadHours: 'many'}]
  ])('when the patch %s, then 400 and nothing changes', async (_what, patch) => {
    const id = await createUnit();

    const response = await request(carecred.app).patch(`/v1/units/${id}`).set(schoolA.auth).send(patch);

    expect(response.status).toBe(400);
    expectContract(response, 'updateUnit');
    const unit = await request(carecred.app).get(`/v1/units/${id}`).set(schoolA.auth);
    expect(unit.body.content).toEqual(expect.objectContaining({title: aUnit().title, workloadHours: 28}));
  });

  test('when an archived unit is edited, then 409 lifecycle-conflict', async () => {
    const id = await publishedUnit();
    await request(carecred.app).post(`/v1/units/${id}/archive`).set(schoolA.auth);

    const response = await request(carecred.app).patch(`/v1/units/${id}`).set(schoolA.auth)
      .send({ectsCredits: 2});

    expect(response.status).toBe(409);
    expectContract(response, 'updateUnit');
    expect(response.body.type).toMatch(/\/problems\/lifecycle-conflict$/);
  });
});

describe('publishUnit', () => {
  test('when a draft is published, then it gets a public URL; publishing again is 409', async () => {
    const id = await createUnit();

    const published = await request(carecred.app).post(`/v1/units/${id}/publish`).set(schoolA.auth);
    const again = await request(carecred.app).post(`/v1/units/${id}/publish`).set(schoolA.auth);

    expect(published.status).toBe(200);
    expectContract(published, 'publishUnit');
    expect(published.body).toMatchObject({state: 'published', publishedVersion: 1,
      publicUrl: `http://carecred.test/v1/catalog/school-a/units/${id}/versions/1`});
    expect(again.status).toBe(409);
    expectContract(again, 'publishUnit');
    expect(again.body.type).toMatch(/\/problems\/lifecycle-conflict$/);
  });

  test('when the unit is unknown, then 404', async () => {
    const response = await request(carecred.app).post('/v1/units/0123456789abcdef01234567/publish')
      .set(schoolA.auth);

    expect(response.status).toBe(404);
    expectContract(response, 'publishUnit');
  });
});

describe('archiveUnit', () => {
  test('when a published unit is archived, then it cannot be published, edited or archived again', async () => {
    const id = await publishedUnit();

    const archived = await request(carecred.app).post(`/v1/units/${id}/archive`).set(schoolA.auth);
    const again = await request(carecred.app).post(`/v1/units/${id}/archive`).set(schoolA.auth);
    const publish = await request(carecred.app).post(`/v1/units/${id}/publish`).set(schoolA.auth);

    expect(archived.status).toBe(200);
    expectContract(archived, 'archiveUnit');
    expect(archived.body).toMatchObject({state: 'archived', version: 1});
    expect(archived.body.publishedVersion).toBeUndefined();
    expect([again.status, publish.status]).toEqual([409, 409]);
    expectContract(again, 'archiveUnit');
  });

  test('when a unit was never published, then archiving it is 409', async () => {
    const id = await createUnit();

    const response = await request(carecred.app).post(`/v1/units/${id}/archive`).set(schoolA.auth);

    expect(response.status).toBe(409);
    expect(response.body.type).toMatch(/\/problems\/lifecycle-conflict$/);
  });

  test('when a published unit has a pending draft, then archiving discards the draft too', async () => {
    const id = await publishedUnit();
    await request(carecred.app).patch(`/v1/units/${id}`).set(schoolA.auth).send({ectsCredits: 2});

    const response = await request(carecred.app).post(`/v1/units/${id}/archive`).set(schoolA.auth);

    expect(response.status).toBe(200);
    const versions = await request(carecred.app).get(`/v1/units/${id}/versions`).set(schoolA.auth);
    expect(versions.body.items.map((v: {state: string}) => v.state)).toEqual(['archived', 'archived']);
  });
});

describe('listUnitVersions and getUnitVersion', () => {
  test('when a unit has been published twice, then every version stays readable, newest first', async () => {
    const id = await publishedUnit();
    await request(carecred.app).patch(`/v1/units/${id}`).set(schoolA.auth).send({ectsCredits: 2});
    await request(carecred.app).post(`/v1/units/${id}/publish`).set(schoolA.auth);

    const list = await request(carecred.app).get(`/v1/units/${id}/versions`).set(schoolA.auth);
    const first = await request(carecred.app).get(`/v1/units/${id}/versions/1`).set(schoolA.auth);

    expect(list.status).toBe(200);
    expectContract(list, 'listUnitVersions');
    expect(list.body.items.map((v: {version: number; state: string}) => [v.version, v.state]))
      .toEqual([[2, 'published'], [1, 'published']]);
    expect(first.status).toBe(200);
    expectContract(first, 'getUnitVersion');
    expect(first.body).toMatchObject({version: 1, publishedVersion: 2, content: {ectsCredits: 1}});
  });

  test('when the version does not exist, then 404', async () => {
    const id = await createUnit();

    const version = await request(carecred.app).get(`/v1/units/${id}/versions/7`).set(schoolA.auth);
    const versions = await request(carecred.app).get('/v1/units/0123456789abcdef01234567/versions')
      .set(schoolA.auth);

    expect([version.status, versions.status]).toEqual([404, 404]);
    expectContract(version, 'getUnitVersion');
    expectContract(versions, 'listUnitVersions');
  });
});

describe('listUnits', () => {
  test('when units are listed by state and page, then every own unit comes once and no other school\'s', async () => {
    const own = await anOrganisation(carecred, {slug: 'school-list'});
    const drafts = [await createUnit(own), await createUnit(own)];
    const published = [await publishedUnit(own), await publishedUnit(own), await publishedUnit(own)];
    await createUnit(schoolB);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await request(carecred.app).get('/v1/units').set(own.auth)
        .query({limit: 2, ...(cursor ? {cursor} : {})});
      expect(page.status).toBe(200);
      expectContract(page, 'listUnits');
      seen.push(...page.body.items.map((unit: {id: string}) => unit.id));
      cursor = page.body.nextCursor;
    } while(cursor);
    const onlyDrafts = await request(carecred.app).get('/v1/units').set(own.auth).query({state: 'draft'});

    expect(seen.sort()).toEqual([...drafts, ...published].sort());
    expect(onlyDrafts.body.items.map((unit: {id: string}) => unit.id).sort()).toEqual(drafts.sort());
  });

  test.each([
    ['a foreign cursor', {cursor: 'bm90LWEtY3Vyc29y'}],
    ['an unknown state', {state: 'deleted'}],
    ['a limit above 100', {limit: 101}],
    ['an unknown parameter', {colour: 'blue'}]
  ])('when the query has %s, then 400', async (_what, query) => {
    const response = await request(carecred.app).get('/v1/units').set(schoolA.auth).query(query);

    expect(response.status).toBe(400);
    expectContract(response, 'listUnits');
  });
});

describe('tenant isolation', () => {
  test('when school B uses its key on school A\'s draft, then every route is 404 and nothing changes', async () => {
    const id = await createUnit(schoolA);
    const before = await carecred.db.collection('units').find({unitId: id}).toArray();

    const responses = await Promise.all([
      request(carecred.app).get(`/v1/units/${id}`).set(schoolB.auth),
      request(carecred.app).patch(`/v1/units/${id}`).set(schoolB.auth).send({ectsCredits: 5}),
      request(carecred.app).post(`/v1/units/${id}/publish`).set(schoolB.auth),
      request(carecred.app).post(`/v1/units/${id}/archive`).set(schoolB.auth),
      request(carecred.app).get(`/v1/units/${id}/versions`).set(schoolB.auth),
      request(carecred.app).get(`/v1/units/${id}/versions/1`).set(schoolB.auth)
    ]);
    const listed = await request(carecred.app).get('/v1/units').set(schoolB.auth).query({limit: 100});

    expect(responses.map(response => response.status)).toEqual([404, 404, 404, 404, 404, 404]);
    expect(await carecred.db.collection('units').find({unitId: id}).toArray()).toEqual(before);
    expect(listed.body.items.map((unit: {id: string}) => unit.id)).not.toContain(id);
  });
});
