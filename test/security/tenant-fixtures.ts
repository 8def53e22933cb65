/**
 * Fixtures of the tenant matrix: organisation A's real resources, the path parameters, bodies and
 * queries that address them per operation, and a snapshot of every database document that is
 * A's (its own `orgId`, or mentioning one of A's ids), so that a test can tell that a request
 * changed nothing of A's.
 *
 * Path parameters are found by `<collection segment>.<name>` (`/v1/units/{id}/versions/{n}` →
 * `units.id`, `units.n`); a new route needs an entry here, or its matrix rows fail.
 */
import {Types} from 'mongoose';
import request from 'supertest';

import type {Operation} from '../../src/platform/http/contract.js';
import type {TestApp} from '../support/test-app.js';
import {aPublishedUnit, aUnit, type TestOrganisation} from '../support/units.js';

type Json = Record<string, unknown>;

/** A's resources, created through the API. */
export interface Resources {
  orgId: string;
  unitId: string;
  learnerId: string;
  learnerExternalId: string;
  achievementId: string;
  credentialId: string;
  /** An API key of A that the matrix may revoke (not one it authenticates with). */
  spareApiKeyId: string;
  issuerKeyId: string;
  /** A's DID (the issuer of its credentials). */
  issuerDid: string;
  /** A finished bulk import of A. */
  importId: string;
}

/** Path parameter values by `<segment>.<name>`. */
export const PATH_PARAMETERS: Record<string, (resources: Resources) => string> = {
  'units.id': r => r.unitId,
  'units.n': () => '1',
  'achievements.id': r => r.achievementId,
  'credentials.id': r => r.credentialId,
  'learners.learnerId': r => r.learnerId,
  'apikeys.keyId': r => r.spareApiKeyId,
  'keys.keyId': r => r.issuerKeyId,
  'admin.orgId': r => r.orgId,
  'imports.id': r => r.importId
};

/** Valid bodies by operationId (another organisation's request must reach the handler). */
export const BODIES: Record<string, (resources: Resources) => Json | Json[]> = {
  createApiKey: () => ({name: 'tenant matrix', scopes: ['read']}),
  adminCreateApiKey: () => ({name: 'tenant matrix', scopes: ['read']}),
  createOrganisation: () => ({slug: 'matrix-college', name: {nl: 'Matrix College'}, country: 'NL',
    type: 'vocational-college'}),
  createLearner: r => ({givenName: 'Noor', familyName: 'Bakker', externalId: r.learnerExternalId}),
  updateLearner: () => ({givenName: 'Changed'}),
  createUnit: () => aUnit() as unknown as Json,
  updateUnit: () => ({workloadHours: 30}),
  createAchievement: r => ({learnerId: r.learnerId, unitId: r.unitId, achievedAt: '2026-05-01T10:00:00Z',
    issue: ['ob3']}),
  issueAchievementCredential: () => ({profile: 'ob3', format: 'jwt'}),
  revokeCredential: () => ({reason: 'tenant matrix'}),
  suspendCredential: () => ({reason: 'tenant matrix'}),
  reinstateCredential: () => ({reason: 'tenant matrix'}),
  // A unit of nobody's: the job is accepted (its rows are checked when they run) and names none of A's ids.
  createImport: () => [{givenName: 'Noor', familyName: 'Bakker', unit: new Types.ObjectId().toHexString(),
    achievedAt: '2026-05-01T10:00:00Z'}],
  vcApiIssueCredential: r => ({credential: {'@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiableCredential'], issuer: r.issuerDid, credentialSubject: {id: 'did:example:tenant-matrix'}}})
};

/** Queries that ask a collection for A's resources by their ids. */
export const QUERIES: Record<string, (resources: Resources) => Record<string, string>> = {
  listLearners: r => ({externalId: r.learnerExternalId}),
  listCredentials: r => ({learnerId: r.learnerId}),
  listAuditEvents: r => ({targetId: r.credentialId})
};

/**
 * Organisation B's request on A's resource must find nothing: 404 for an operation on a resource
 * (it has path parameters) and for the ones named here, whose body points at A's resources.
 */
export const NOT_FOUND_FOR_OTHERS = new Set(['createAchievement']);

/**
 * Organisation B's request that names A's DID as the issuer: refused as a bad request (B can sign
 * only in its own name), with nothing stored.
 */
export const REFUSED_FOR_OTHERS = new Set(['vcApiIssueCredential']);

/**
 * The URL of an operation with A's resources.
 *
 * @throws Error when a path parameter has no fixture (a new route needs one).
 */
export function urlOf(operation: Operation, resources: Resources): string {
  const segment = operation.path.split('/')[2];
  return operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const fixture = PATH_PARAMETERS[`${segment}.${name}`];
    if(!fixture) {
      throw new Error(`no fixture for path parameter ${segment}.${name} of ${operation.id}: add it to PATH_PARAMETERS`);
    }
    return encodeURIComponent(fixture(resources));
  });
}

/**
 * The body of an operation, when it takes one.
 *
 * @throws Error when the operation requires a body and has no fixture.
 */
export function bodyOf(operation: Operation, resources: Resources): Json | Json[] | undefined {
  const fixture = BODIES[operation.id];
  if(!fixture && operation.object.requestBody?.required) {
    throw new Error(`no fixture body for ${operation.id}: add it to BODIES`);
  }
  return fixture?.(resources);
}

/** What a request of an operation carries (URL, query, body), to tell echoed ids from leaked ones. */
export function requestText(operation: Operation, resources: Resources): string {
  return [urlOf(operation, resources), JSON.stringify(QUERIES[operation.id]?.(resources) ?? {}),
    JSON.stringify(bodyOf(operation, resources) ?? {})].join(' ');
}

/** Sends an operation's request with A's resources and the given Authorization header. */
export function send({app, operation, resources, authorization}: {
  app: TestApp; operation: Operation; resources: Resources; authorization?: string;
}): Promise<request.Response> {
  const agent = request(app.app)[operation.method as 'get'](urlOf(operation, resources))
    .query(QUERIES[operation.id]?.(resources) ?? {});
  if(authorization) {
    agent.set('Authorization', authorization);
  }
  const body = bodyOf(operation, resources);
  return body ? agent.send(body) : agent;
}

/**
 * Creates an organisation's resources through the API (an issued credential among them).
 *
 * @param options.learner - the learner's given name and learner number.
 */
export async function createResources(app: TestApp, organisation: TestOrganisation,
  {learner}: {learner: {givenName: string; externalId: string}}): Promise<Resources> {
  const {unitId} = await aPublishedUnit(app, organisation);
  const learnerExternalId = learner.externalId;
  const achievement = await request(app.app).post('/v1/achievements').set(organisation.auth).send({
    learner: {...learner, familyName: 'de Vries', email: `${learner.externalId.toLowerCase()}@example.nl`},
    unitId, achievedAt: '2026-04-01T10:00:00Z', issue: ['ob3', 'edc']
  });
  const spare = await request(app.app).post('/v1/apikeys').set(organisation.auth)
    .send({name: 'spare', scopes: ['read']});
  const keys = await request(app.app).get('/v1/keys').set(organisation.auth);
  const profile = await request(app.app).get('/v1/organisation').set(organisation.auth);
  const importId = await finishedImport(app, organisation, {unitId, externalId: learner.externalId});
  if(achievement.status !== 201 || spare.status !== 201 || keys.status !== 200 || profile.status !== 200) {
    throw new Error(`creating A's resources failed: ${achievement.status} ${spare.status} ${keys.status} ` +
      `${profile.status}`);
  }
  return {orgId: organisation.id, unitId, learnerId: achievement.body.learnerId, learnerExternalId,
    achievementId: achievement.body.id,
    credentialId: achievement.body.credentials[0].id, spareApiKeyId: spare.body.apiKey.id,
    issuerKeyId: keys.body.items[0].id, issuerDid: profile.body.issuerDid, importId};
}

/**
 * Waits until what a request started in the background is over (an accepted import job), so that
 * it cannot change documents during a later request's before/after snapshots.
 */
export async function settle(app: TestApp, response: request.Response, authorization: string | undefined):
  Promise<void> {
  if(response.status !== 202 || !response.headers.location?.startsWith('/v1/imports/')) {
    return;
  }
  for(let attempt = 0; attempt < 300; attempt++) {
    const job = await request(app.app).get(response.headers.location).set('Authorization', authorization ?? '');
    if(job.body.state === 'completed' || job.body.state === 'failed') {
      return;
    }
    await new Promise(wait => setTimeout(wait, 100));
  }
  throw new Error(`import ${response.headers.location} did not finish`);
}

/** Imports one achievement of the learner and waits for the job to finish (so it changes nothing later). */
async function finishedImport(app: TestApp, organisation: TestOrganisation,
  {unitId, externalId}: {unitId: string; externalId: string}): Promise<string> {
  const accepted = await request(app.app).post('/v1/imports?issue=ob3').set(organisation.auth)
    .send([{externalId, givenName: 'Sanne', familyName: 'de Vries', unit: unitId, achievedAt: '2026-04-02T10:00:00Z'}]);
  for(let attempt = 0; accepted.status === 202 && attempt < 300; attempt++) {
    const job = await request(app.app).get(accepted.headers.location!).set(organisation.auth);
    if(job.body.state === 'completed') {
      return job.body.id;
    }
    await new Promise(wait => setTimeout(wait, 100));
  }
  throw new Error(`A's import did not complete: ${accepted.status} ${accepted.text}`);
}

function scalars(value: unknown, found: string[] = []): string[] {
  if(value instanceof Types.ObjectId || value instanceof Date) {
    found.push(String(value instanceof Date ? value.toISOString() : value.toHexString()));
  } else if(Array.isArray(value)) {
    value.forEach(item => scalars(item, found));
  } else if(typeof value === 'object' && value !== null) {
    Object.values(value).forEach(item => scalars(item, found));
  } else {
    found.push(String(value));
  }
  return found;
}

/** Every document of the database, by `<collection>/<_id>`, as canonical JSON. */
export async function snapshotDatabase(app: TestApp): Promise<Map<string, {text: string; values: string[]}>> {
  const documents = new Map<string, {text: string; values: string[]}>();
  for(const {name} of await app.db.db!.listCollections().toArray()) {
    for(const document of await app.db.collection(name).find().toArray()) {
      documents.set(`${name}/${String(document._id)}`, {text: JSON.stringify(document), values: scalars(document)});
    }
  }
  return documents;
}

/**
 * A's documents: its own (orgId), and every document that mentions the id of one of them (the
 * credential documents, lookups and status allocations carry no orgId).
 */
export function documentsOf(snapshot: Awaited<ReturnType<typeof snapshotDatabase>>, orgId: string):
  Map<string, string> {
  const ids = new Set([orgId]);
  for(const [key, {text}] of snapshot) {
    if(text.includes(`"orgId":"${orgId}"`)) {
      ids.add(key.split('/')[1]!);
    }
  }
  const owned = new Map<string, string>();
  for(const [key, {text, values}] of snapshot) {
    if(values.some(value => ids.has(value))) {
      owned.set(key, text);
    }
  }
  return owned;
}

/** The keys of documents that differ between two snapshots of A's documents. */
export function differences(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter(key => before.get(key) !== after.get(key)).map(key =>
    `${key} ${!before.has(key) ? 'added' : !after.has(key) ? 'removed' : 'changed'}`);
}
