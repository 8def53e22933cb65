/**
 * The queries behind the public status paths: verifying a credential carecred issued, serving a
 * status list and changing a status send only `_id` lookups (plus writes) to the database.
 * FerretDB v1's SQLite backend answers any other query by scanning its whole collection, so a
 * query on a growing collection here would make verification slower with every status change
 * an organisation records (it did, through the audit trail: 55 ms per verification at 1,000
 * events). Collections that grow with the number of organisations and keys only are allowed.
 */
import request from 'supertest';

import {startTestApp, type TestApp} from '../support/test-app.js';
import {anOrganisation, aPublishedUnit, type TestOrganisation} from '../support/units.js';

type Command = {name: string; collection: string; filter?: unknown};

let carecred: TestApp;
let school: TestOrganisation;
let unitId: string;
let commands: Command[] = [];

beforeAll(async () => {
  carecred = await startTestApp({}, {monitorCommands: true});
  carecred.db.getClient().on('commandStarted', event => {
    const command = event.command as Record<string, unknown>;
    commands.push({name: event.commandName, collection: String(command[event.commandName]),
      filter: command.filter ?? command.query});
  });
  school = await anOrganisation(carecred, {slug: 'zorgnet-oost'});
  ({unitId} = await aPublishedUnit(carecred, school));
});
afterAll(async () => carecred.stop());

/** Collections whose size follows the number of organisations, keys and lists, not their use. */
const BOUNDED_COLLECTIONS = new Set(['organisations', 'keys', 'statuslists', 'apikeys']);

async function queriesOf(action: () => Promise<request.Response>, expectedStatus: number):
  Promise<Command[]> {
  commands = [];
  const response = await action();
  expect(response.status).toBe(expectedStatus);
  return commands.filter(command => ['find', 'count', 'aggregate', 'distinct'].includes(command.name));
}

/** Whether a query is a lookup of one `_id` (a string or an ObjectId, not an operator). */
function isIdLookup(query: Command): boolean {
  const filter = query.filter as {_id?: {_bsontype?: string} | string} | undefined;
  return query.name === 'find' && typeof filter === 'object' && Object.keys(filter).length === 1 &&
    (typeof filter._id === 'string' || filter._id?._bsontype === 'ObjectId');
}

/** The queries on growing collections that are not a lookup of one `_id`. */
function scans(queries: Command[]): Command[] {
  return queries.filter(query => !BOUNDED_COLLECTIONS.has(query.collection) && !isIdLookup(query));
}

async function issueBoth(externalId: string) {
  const response = await request(carecred.app).post('/v1/achievements').set(school.auth).send({
    learner: {givenName: 'Noor', familyName: 'Bakker', externalId}, unitId,
    achievedAt: '2026-05-01T10:00:00Z', issue: ['ob3', 'edc']
  });
  expect(response.status).toBe(201);
  const [ob3, edc] = response.body.credentials as {id: string; credential: {
    credentialStatus: {statusListCredential: string};
  } & string}[];
  return {ob3: ob3!, edc: edc!};
}

function change(id: string, action: string) {
  return () => request(carecred.app).post(`/v1/credentials/${id}/${action}`).set(school.auth)
    .send({reason: 'a query test'});
}

test('when a credential with a status history is verified, then only its own documents are read, ' +
  'each by _id', async () => {
  const {ob3, edc} = await issueBoth('Q1');
  for(const action of ['suspend', 'reinstate', 'suspend']) {
    expect(scans(await queriesOf(change(ob3.id, action), 200))).toEqual([]);
  }

  const verifications = [
    await queriesOf(() => request(carecred.app).post('/v1/verify').send(ob3.credential), 200),
    await queriesOf(() => request(carecred.app).post('/v1/verify').send({jwt: edc.credential}), 200)
  ];

  for(const queries of verifications) {
    expect(scans(queries)).toEqual([]);
    expect(queries.map(query => query.collection)).toEqual(expect.arrayContaining(
      ['credentiallookups', 'credentials', 'statustransitions']));
    expect(queries.map(query => query.collection)).not.toContain('audit');
  }
});

test('when a status list that did not change is read, then its marker and signed copy are read by _id', async () => {
  const {ob3} = await issueBoth('Q2');
  expect((await change(ob3.id, 'revoke')()).status).toBe(200);
  const path = new URL(ob3.credential.credentialStatus.statusListCredential).pathname;
  expect((await request(carecred.app).get(path)).status).toBe(200);

  const queries = await queriesOf(() => request(carecred.app).get(path), 200);

  expect(scans(queries)).toEqual([]);
  expect(queries.map(query => query.collection)).toEqual(expect.arrayContaining(
    ['statuslistmarkers', 'signedstatuslists']));
});
