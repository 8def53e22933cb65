/**
 * Secrets stay secret: a full journey — organisations (did:web and did:key), API keys, units,
 * learners, issuing in both profiles and formats, status changes, verification, key rotation and
 * revocation, refused requests and a signing failure — runs with its logs captured. No API key,
 * admin token, issuer private key or key-encryption key may appear in any log line or response
 * (an API key only in the one response that creates it), and the raw database holds no private
 * key unencrypted and no API key in clear.
 */
import {generateKeyPairSync} from 'node:crypto';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Writable} from 'node:stream';
import {setTimeout as sleep} from 'node:timers/promises';

import request from 'supertest';

import {loadConfig} from '../../src/platform/config.js';
import {HOT_READ_TTL_MS} from '../../src/platform/hot-reads.js';
import {createLogger} from '../../src/platform/logger.js';
import {sha256Hex} from '../../src/platform/secrets.js';
import {resolveSecrets} from '../../src/startup-secrets.js';
import {findSecrets, issuerKeySecrets, platformSecrets, rawDatabase, type Secret,
  seedSecret, textNeedles} from '../support/secret-scan.js';
import {startTestApp, TEST_ADMIN_TOKEN, type TestApp} from '../support/test-app.js';
import {anOrganisation, aPublishedUnit, type TestOrganisation} from '../support/units.js';

let carecred: TestApp;
/** Every response of the journey, and the API key each one created (if any). */
const responses: {where: string; text: string; createdKey?: string}[] = [];
const apiKeys: string[] = [];
const ATTEMPTED_KEY = 'cck_Mistyped0rStolenKeyThatMustNotBeLogged0000';

async function call(test: request.Test, createdKey?: (body: Record<string, unknown>) => string | undefined) {
  const response = await test;
  const key = createdKey?.(response.body);
  if(key) {
    apiKeys.push(key);
  }
  const {method, url} = response.request as unknown as {method: string; url: string};
  responses.push({where: `${method} ${url} → ${response.status}`, text: response.text, createdKey: key});
  return response;
}

async function organisation(slug: string, didMethod: 'web' | 'key'): Promise<TestOrganisation> {
  const created = await anOrganisation(carecred, {slug, didMethod});
  apiKeys.push(created.apiKey);
  return created;
}

async function issueEverything(org: TestOrganisation, externalId: string) {
  const {unitId} = await aPublishedUnit(carecred, org);
  const achievement = await call(request(carecred.app).post('/v1/achievements').set(org.auth)
    .set('Idempotency-Key', `journey-${externalId}`).send({unitId, achievedAt: '2026-02-01T09:00:00Z', issue: ['ob3', 'edc'],
      learner: {givenName: 'Sanne', familyName: 'de Vries', email: `${externalId}@example.nl`, externalId}}));
  const jwt = await call(request(carecred.app).post(`/v1/achievements/${achievement.body.id}/credentials`)
    .set(org.auth).send({profile: 'ob3', format: 'jwt'}));
  return [...achievement.body.credentials, jwt.body] as {id: string; credential: unknown}[];
}

async function journey(a: TestOrganisation, c: TestOrganisation) {
  const extra = await call(request(carecred.app).post('/v1/apikeys').set(a.auth)
    .send({name: 'integration', scopes: ['read', 'issue']}), body => body.key as string);
  await call(request(carecred.app).post(`/v1/admin/organisations/${a.id}/apikeys`)
    .set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).send({name: 'replacement', scopes: ['read']}),
  body => body.key as string);
  await call(request(carecred.app).get('/v1/apikeys').set(a.auth));
  const credentials = [...await issueEverything(a, 's1'), ...await issueEverything(c, 's2')];
  for(const {id, credential} of credentials) {
    await call(request(carecred.app).get(`/v1/credentials/${id}`).set(a.auth));
    await call(request(carecred.app).post('/v1/verify').send(typeof credential === 'string' ? {jwt: credential} :
      {credential}));
  }
  await call(request(carecred.app).post('/credentials/verify').send({verifiableCredential: credentials[0]!.credential}));
  await call(request(carecred.app).post(`/v1/credentials/${credentials[0]!.id}/suspend`).set(a.auth).send({}));
  await call(request(carecred.app).post(`/v1/credentials/${credentials[0]!.id}/reinstate`).set(a.auth).send({}));
  await call(request(carecred.app).post(`/v1/credentials/${credentials[1]!.id}/revoke`).set(a.auth)
    .send({reason: 'issued in error'}));
  await call(request(carecred.app).get('/status/zorgcollege-noord/revocation-1'));
  await call(request(carecred.app).get('/v1/audit').set(a.auth));
  const keys = await call(request(carecred.app).get('/v1/keys').set(a.auth));
  await call(request(carecred.app).post('/v1/keys/rotate').set(a.auth));
  await call(request(carecred.app).post(`/v1/keys/${keys.body.items[0].id}/revoke`).set(a.auth));
  await call(request(carecred.app).get('/issuers/zorgcollege-noord/did.json'));
  await call(request(carecred.app).post('/v1/keys/rotate').set(c.auth));
  await issueEverything(a, 's3');
  await call(request(carecred.app).get('/v1/organisation').set({Authorization: `Bearer ${extra.body.key}`}));
  await refusedRequests(a);
}

async function refusedRequests(a: TestOrganisation) {
  await call(request(carecred.app).get('/v1/units').set('Authorization', `Bearer ${ATTEMPTED_KEY}`));
  await call(request(carecred.app).get('/v1/admin/organisations').set('Authorization', `Bearer ${ATTEMPTED_KEY}`));
  await call(request(carecred.app).post('/v1/units').set(a.auth).set('Content-Type', 'application/json')
    .send('{"title": '));
  await call(request(carecred.app).post('/v1/learners').set(a.auth).send({givenName: '', apiKey: a.apiKey}));
  await signingFailure(a);
}

/** A key that no longer decrypts: issuing fails with a logged 500 that must still hold no secret. */
async function signingFailure(a: TestOrganisation) {
  const keys = carecred.db.collection('keys');
  const active = await keys.findOne({controller: {$regex: 'zorgcollege-noord'}, state: 'active'});
  const tag = (active!.encryptedSeed as {tag: string}).tag;
  await keys.updateOne({_id: active!._id}, {$set: {'encryptedSeed.tag': Buffer.alloc(16).toString('base64')}});
  const {unitId} = await aPublishedUnit(carecred, a);
  // A change written behind the service's back reaches it once its hot reads have expired.
  await sleep(HOT_READ_TTL_MS + 50);
  const failed = await call(request(carecred.app).post('/v1/achievements').set(a.auth).send({unitId,
    achievedAt: '2026-02-01T09:00:00Z', issue: ['ob3'], learner: {givenName: 'Kim', familyName: 'Jansen'}}));
  await keys.updateOne({_id: active!._id}, {$set: {'encryptedSeed.tag': tag}});
  expect(failed.status).toBe(500);
}

beforeAll(async () => {
  carecred = await startTestApp();
  const a = await organisation('zorgcollege-noord', 'web');
  const c = await organisation('thuiszorg-oost', 'key');
  await journey(a, c);
}, 120_000);
afterAll(async () => carecred.stop());

async function allSecrets(): Promise<Secret[]> {
  return [...await issuerKeySecrets(carecred), ...platformSecrets(carecred),
    {what: 'an attempted API key', needles: textNeedles(ATTEMPTED_KEY)}];
}

describe('a journey with every kind of secret', () => {
  test('when the journey ran, then its logs were captured (the scan below is not vacuous)', () => {
    expect(carecred.logLines.length).toBeGreaterThan(50);
    expect(carecred.logLines.some(line => line.includes('"level":50'))).toBe(true);
    expect(responses.length).toBeGreaterThan(30);
  });

  test('when every log line is searched, then no secret is in any', async () => {
    const secrets = [...await allSecrets(), ...apiKeys.map(key => ({what: 'an API key', needles: textNeedles(key)}))];

    const found = findSecrets(carecred.logLines.map((text, index) => ({where: `log line ${index}`, text})), secrets);

    expect(found).toEqual([]);
  });

  test('when every response is searched, then no secret is in any, and an API key only where it was created',
    async () => {
      const secrets = await allSecrets();
      const keyLeaks = responses.flatMap(response => apiKeys
        .filter(key => key !== response.createdKey &&
          textNeedles(key).some(needle => response.text.includes(needle)))
        .map(() => `an API key in ${response.where}`));

      expect([...findSecrets(responses, secrets), ...keyLeaks]).toEqual([]);
    });
});

describe('the raw database', () => {
  test('when every document is read, then no private key, API key, admin token or KEK is in clear', async () => {
    const {documents, privateKeyMembers} = await rawDatabase(carecred);
    const secrets = [...await allSecrets(), ...apiKeys.map(key => ({what: 'an API key', needles: textNeedles(key)}))];

    expect(privateKeyMembers).toEqual([]);
    expect(findSecrets(documents, secrets)).toEqual([]);
  });

  test('when the API keys are read, then each is stored as the SHA-256 of the key only', async () => {
    const stored = await carecred.db.collection('apikeys').find().toArray();

    expect(stored.map(record => record.hash).sort()).toEqual(apiKeys.map(key => sha256Hex(key)).sort());
    expect(stored.every(record => Object.keys(record).every(member =>
      ['_id', 'orgId', 'orgSlug', 'name', 'prefix', 'hash', 'scopes', 'createdAt', 'lastUsedAt', 'revokedAt']
        .includes(member)))).toBe(true);
  });

  test('when the issuer keys are read, then each seed is AES-256-GCM ciphertext bound to its key id', async () => {
    const stored = await carecred.db.collection('keys').find().toArray();

    expect(stored.length).toBeGreaterThanOrEqual(4);
    for(const record of stored) {
      expect(record.encryptedSeed).toEqual({alg: 'A256GCM', iv: expect.any(String), tag: expect.any(String),
        data: expect.any(String)});
      expect(Buffer.from(record.encryptedSeed.data, 'base64')).toHaveLength(32);
    }
  });
});

describe('the secret scanner', () => {
  const {privateKey} = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({format: 'jwk'});
  const seed = Buffer.from(jwk.d!, 'base64url');
  const secret = seedSecret({what: 'a test seed', seed, publicKey: Buffer.from(jwk.x!, 'base64url')});

  test.each([
    ['a JWK', JSON.stringify(jwk)],
    ['a PKCS#8 PEM', privateKey.export({format: 'pem', type: 'pkcs8'}).toString()],
    ['hex in a sentence', `the seed is ${seed.toString('hex')}.`],
    ['base64 after one byte', Buffer.concat([Buffer.from([7]), seed]).toString('base64')],
    ['base64url after two bytes', Buffer.concat([Buffer.from([7, 8]), seed]).toString('base64url')],
    ['a Multikey secretKeyMultibase', JSON.stringify(secret.needles.find(needle => needle.startsWith('z')))]
  ])('when a seed is written as %s, then the scanner finds it', (_form, text) => {
    expect(findSecrets([{where: 'text', text}], [secret])).toEqual(['a test seed in text']);
  });

  test('when a document holds a private JWK or a secretKeyMultibase, then the database scan reports both',
    async () => {
      const probe = carecred.db.collection('leakprobes');
      await probe.insertOne({key: jwk, keyPair: {secretKeyMultibase: 'z3u2'}, note: {d: 'not a JWK'}});

      const {privateKeyMembers} = await rawDatabase(carecred);
      await probe.drop();

      expect(privateKeyMembers.filter(member => member.startsWith('leakprobes/')).map(member =>
        member.split('/').slice(2).join('/'))).toEqual(['key/d', 'keyPair/secretKeyMultibase']);
    });
});

describe('start-up secrets of the embedded mode', () => {
  test('when ADMIN_TOKEN and KEY_ENCRYPTION_KEY are generated, then the log names the files, never the values', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'carecred-secrets-'));
    const lines: string[] = [];
    const logger = createLogger({level: 'debug', destination: new Writable({write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    }})});

    const {adminToken, kek} = resolveSecrets(loadConfig({DATA_DIR: dataDir, PUBLIC_BASE_URL: 'http://carecred.test'}),
      logger);
    rmSync(dataDir, {recursive: true, force: true});

    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(findSecrets(lines.map(text => ({where: 'start-up log', text})), [
      {what: 'the admin token', needles: textNeedles(adminToken!)},
      {what: 'the key-encryption key', needles: [Buffer.from(kek).toString('base64url'), Buffer.from(kek).toString('hex')]}
    ])).toEqual([]);
  });
});
