import {request as httpRequest} from 'node:http';
import type {AddressInfo} from 'node:net';

import {Types} from 'mongoose';
import request from 'supertest';

import {expectContract} from '../../test/support/contract.js';
import {startTestApp, type TestApp} from '../../test/support/test-app.js';
import {anOrganisation, aPublishedUnit, type TestOrganisation} from '../../test/support/units.js';

let carecred: TestApp;
let school: TestOrganisation;
let other: TestOrganisation;
let unitId: string;

beforeAll(async () => {
  carecred = await startTestApp({IMPORT_LIMIT_BYTES: '20000'});
  school = await anOrganisation(carecred, {slug: 'import-school'});
  other = await anOrganisation(carecred, {slug: 'import-other'});
  ({unitId} = await aPublishedUnit(carecred, school));
});
afterAll(async () => carecred.stop());

const HEADER = 'externalId,givenName,familyName,email,unit,achievedAt,grade';

function csvRow(n: number, overrides: Partial<Record<'email' | 'unit' | 'achievedAt', string>> = {}): string {
  const {email = `learner${n}@example.nl`, unit = unitId, achievedAt = '2026-06-30T14:00:00Z'} = overrides;
  return `R${n},Sanne,de Vries ${n},${email},${unit},${achievedAt},8`;
}

function postCsv(body: string, query = '?issue=ob3', key?: string) {
  const post = request(carecred.app).post(`/v1/imports${query}`).set(school.auth).type('text/csv');
  return (key ? post.set('Idempotency-Key', key) : post).send(body);
}

async function finished(location: string | undefined, auth = school.auth): Promise<request.Response> {
  for(let attempt = 0; attempt < 300; attempt++) {
    const response = await request(carecred.app).get(location!).set(auth);
    if(response.body.state === 'completed' || response.body.state === 'failed') {
      return response;
    }
    await new Promise(wait => setTimeout(wait, 100));
  }
  throw new Error(`import ${location} did not finish`);
}

async function countLearners(): Promise<number> {
  return carecred.db.collection('learners').countDocuments({});
}

describe('createImport', () => {
  test('when a CSV has good and bad rows, then the good rows are issued and each bad row is reported with a pointer and changes nothing', async () => {
    const learnersBefore = await countLearners();
    const csv = [HEADER, csvRow(1), csvRow(2, {email: 'not-an-address'}), csvRow(3),
      csvRow(4, {unit: 'aaaaaaaaaaaaaaaaaaaaaaaa'}), csvRow(5, {achievedAt: '2999-01-01T00:00:00Z'}),
      'R6,Only,Three'].join('\n');

    const accepted = await postCsv(csv);
    const done = await finished(accepted.headers.location);

    expect(accepted.status).toBe(202);
    expectContract(accepted, 'createImport');
    expect(accepted.headers.location).toBe(`/v1/imports/${accepted.body.id}`);
    expect(accepted.body).toMatchObject({state: 'queued', rowsTotal: 6, defaults: {issue: ['ob3']}});
    expectContract(done, 'getImport');
    expect(done.body).toMatchObject({state: 'completed', rowsTotal: 6, rowsDone: 6, rowsIssued: 2, rowsFailed: 4});
    const rows = done.body.rows.items;
    expect(rows.map((row: {status: string}) => row.status)).toEqual(['issued', 'failed', 'issued', 'failed', 'failed', 'failed']);
    expect(rows[0].credentials).toEqual([expect.objectContaining({profile: 'ob3', format: 'di'})]);
    expect(rows[1].problem.errors).toEqual([{pointer: '/email', message: 'must match format "email"'}]);
    expect(rows[3].problem.type).toMatch(/\/problems\/not-found$/);
    expect(rows[4].problem.errors).toEqual([{pointer: '/achievedAt', message: 'must not be in the future'}]);
    expect(rows[5].problem.errors[0].pointer).toBe('/');
    expect(await countLearners()).toBe(learnersBefore + 2);
    expect(await carecred.db.collection('achievements').countDocuments({importId: new Types.ObjectId(accepted.body.id)}))
      .toBe(2);
  });

  test('when a JSON array mixes the CSV shape and the AchievementInput shape, then both are issued and a bad object is reported', async () => {
    const rows = [
      {externalId: 'J1', givenName: 'Eva', familyName: 'Bakker', unit: unitId, achievedAt: '2026-05-01T10:00:00Z', issue: ['ob3']},
      {learner: {givenName: 'Noor', familyName: 'Smit', externalId: 'J2'}, unitId, achievedAt: '2026-05-01T10:00:00Z'},
      {learner: {givenName: 'Bad'}, unitId, achievedAt: '2026-05-01T10:00:00Z'},
      'not an object'
    ];

    const accepted = await request(carecred.app).post('/v1/imports?issue=ob3').set(school.auth).send(rows);
    const done = await finished(accepted.headers.location);

    expect(accepted.status).toBe(202);
    expect(accepted.body.mediaType).toBe('application/json');
    expect(done.body).toMatchObject({state: 'completed', rowsIssued: 2, rowsFailed: 2});
    expectContract(done, 'getImport');
    expect(done.body.rows.items[2].problem.errors).toEqual([{pointer: '/learner/familyName', message: 'is required'}]);
    expect(done.body.rows.items[3].problem.errors).toEqual([{pointer: '/', message: 'must be an object'}]);
  });

  test('when the same upload is retried with its Idempotency-Key, then the first job answers and no second job exists', async () => {
    const csv = [HEADER, csvRow(10), csvRow(11)].join('\n');

    const first = await postCsv(csv, '?issue=ob3', 'import-key-1');
    const retry = await postCsv(csv, '?issue=ob3', 'import-key-1');
    const otherBody = await postCsv([HEADER, csvRow(12)].join('\n'), '?issue=ob3', 'import-key-1');
    await finished(first.headers.location);

    expect(retry.status).toBe(202);
    expectContract(retry, 'createImport');
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
    expect(otherBody.status).toBe(422);
    expectContract(otherBody, 'createImport');
    const jobs = await carecred.db.collection('imports').find({operationId: {$exists: true}}).toArray();
    expect(jobs.filter(job => String(job._id) === first.body.id)).toHaveLength(1);
    expect(await carecred.db.collection('learners').countDocuments({externalId: 'R10'})).toBe(1);
  });

  test('when the declared body exceeds IMPORT_LIMIT_BYTES, then 413 and no job', async () => {
    const big = [HEADER, ...Array.from({length: 400}, (_, n) => csvRow(100 + n))].join('\n');
    const jobsBefore = await carecred.db.collection('imports').countDocuments({});

    const response = await postCsv(big);

    expect(response.status).toBe(413);
    expectContract(response, 'createImport');
    expect(await carecred.db.collection('imports').countDocuments({})).toBe(jobsBefore);
  });

  test('when a chunked body grows past IMPORT_LIMIT_BYTES while streaming, then 413 and the staged rows are discarded', async () => {
    const server = carecred.app.listen(0);
    const {port} = server.address() as AddressInfo;
    const answer = await new Promise<{status: number; body: string}>((resolve, reject) => {
      const upload = httpRequest({port, method: 'POST', path: '/v1/imports', headers: {...school.auth,
        'Content-Type': 'text/csv', 'Transfer-Encoding': 'chunked'}}, response => {
        let body = '';
        response.on('data', chunk => body += chunk);
        response.on('end', () => resolve({status: response.statusCode!, body}));
      });
      upload.on('error', reject);
      upload.write(`${HEADER}\n`);
      for(let n = 0; n < 400; n++) {
        upload.write(`${csvRow(500 + n)}\n`);
      }
      upload.end();
    });
    server.close();
    await new Promise(wait => setTimeout(wait, 300));

    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).type).toMatch(/payload-too-large$/);
    expect(await carecred.db.collection('imports').countDocuments({state: 'receiving'})).toBe(0);
    expect(await carecred.db.collection('importrows').countDocuments({raw: /R500/})).toBe(0);
  });

  test.each([
    ['an unknown CSV column', 400, 'text/csv', `${HEADER},shoeSize\n${csvRow(1)},42`, /validation-failed$/],
    ['a CSV with only its header', 422, 'text/csv', HEADER, /import-empty$/],
    ['a JSON body that is not an array', 400, 'application/json', '{"rows": []}', /malformed-body$/],
    ['a CSV with an unclosed quote', 400, 'text/csv', `${HEADER}\n"R1,Sanne`, /malformed-body$/],
    ['plain text', 415, 'text/plain', 'hello', /unsupported-media-type$/]
  ])('when the upload is %s, then %s and no job', async (_case, status, type, body, problem) => {
    const jobsBefore = (await request(carecred.app).get('/v1/imports?limit=100').set(school.auth)).body.items.length;

    const response = await request(carecred.app).post('/v1/imports').set(school.auth).type(type).send(body);

    expect(response.status).toBe(status);
    expectContract(response, 'createImport');
    expect(response.body.type).toMatch(problem);
    expect((await request(carecred.app).get('/v1/imports?limit=100').set(school.auth)).body.items).toHaveLength(jobsBefore);
  });

  test('when the unit comes from the query, then rows without a unit column use it', async () => {
    const csv = ['externalId,givenName,familyName,achievedAt', 'Q1,Kees,Bakker,2026-03-01T09:00:00Z'].join('\n');

    const accepted = await postCsv(csv, `?issue=ob3&unitId=${unitId}`);
    const done = await finished(accepted.headers.location);

    expect(accepted.body.defaults).toEqual({issue: ['ob3'], unitId});
    expect(done.body).toMatchObject({rowsIssued: 1, rowsFailed: 0});
  });
});

describe('getImport and listImports', () => {
  let jobId: string;
  beforeAll(async () => {
    const accepted = await postCsv([HEADER, csvRow(30), csvRow(31), csvRow(32)].join('\n'), '');
    jobId = accepted.body.id;
    await finished(accepted.headers.location);
  });

  test('when the report is paged, then rows come in order with a cursor until the last row', async () => {
    const first = await request(carecred.app).get(`/v1/imports/${jobId}?limit=2`).set(school.auth);
    const second = await request(carecred.app).get(`/v1/imports/${jobId}?limit=2&cursor=${first.body.rows.nextCursor}`)
      .set(school.auth);

    expectContract(first, 'getImport');
    expect(first.body.rows.items.map((row: {row: number}) => row.row)).toEqual([1, 2]);
    expect(first.body.rows.nextCursor).toBe(2);
    expect(second.body.rows.items.map((row: {row: number}) => row.row)).toEqual([3]);
    expect(second.body.rows.nextCursor).toBeUndefined();
    expect(first.body.rows.items[0]).toEqual({row: 1, status: 'issued', achievementId: expect.any(String),
      learnerId: expect.any(String), credentials: []});
  });

  test('when another organisation asks for the job, then 404, and its list does not show it', async () => {
    const read = await request(carecred.app).get(`/v1/imports/${jobId}`).set(other.auth);
    const list = await request(carecred.app).get('/v1/imports').set(other.auth);
    const own = await request(carecred.app).get('/v1/imports?limit=2').set(school.auth);

    expect(read.status).toBe(404);
    expectContract(read, 'getImport');
    expect(list.status).toBe(200);
    expectContract(list, 'listImports');
    expect(list.body.items).toEqual([]);
    expectContract(own, 'listImports');
    expect(own.body.items[0].id).toBe(jobId);
    expect(own.body.nextCursor).toEqual(expect.any(String));
  });

  test('when a key without the issue scope uploads, then 403', async () => {
    const readOnly = await request(carecred.app).post('/v1/apikeys').set(school.auth)
      .send({name: 'reader', scopes: ['read']});

    const response = await request(carecred.app).post('/v1/imports').set('Authorization', `Bearer ${readOnly.body.key}`)
      .type('text/csv').send([HEADER, csvRow(40)].join('\n'));

    expect(response.status).toBe(403);
    expectContract(response, 'createImport');
  });
});
