import {randomBytes} from 'node:crypto';
import {Writable} from 'node:stream';

import {DataIntegrityProof as LibraryProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import {compactVerify, decodeProtectedHeader, importJWK, jwtVerify} from 'jose';

import {anOb3Credential, variedOb3Credentials} from '../../../test/fixtures/ob3-credential.js';
import {aTestIssuer, type TestIssuer} from '../../../test/fixtures/signing-key.js';
import {createLogger} from '../../platform/logger.js';
import {CredentialNotSignable, SigningKeyUnusable} from './errors.js';
import {createSigner, type Signer} from './signer.js';

function deepFreeze<T>(value: T): T {
  if(value && typeof value === 'object') {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
}

function captureLogs() {
  const lines: string[] = [];
  const destination = new Writable({write(chunk, _encoding, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  }});
  return {lines, logger: createLogger({level: 'trace', destination})};
}

async function verifyDataIntegrity(credential: object, issuer: TestIssuer) {
  return vc.verifyCredential({credential, suite: new LibraryProof({cryptosuite}),
    documentLoader: issuer.documentLoader, checkStatus: async () => ({verified: true})});
}

async function publicKeyOf(issuer: TestIssuer) {
  return importJWK(issuer.key.publicKeyJwk, 'EdDSA');
}

async function plainLibraryIssue(credential: object, issuer: TestIssuer, created: string) {
  const keyPair = await issuer.keyPair();
  const suite = new LibraryProof({signer: keyPair.signer(), date: created, cryptosuite});
  return vc.issue({credential: structuredClone(credential), suite, documentLoader: issuer.documentLoader});
}

describe.each([
  ['on the calling thread', 0],
  ['on two worker threads', 2]
])('createSigner %s', (_mode, workers) => {
  let issuer: TestIssuer;
  let signer: Signer;
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    issuer = await aTestIssuer();
    logs = captureLogs();
    signer = createSigner({documentLoader: issuer.documentLoader, workers,
      keyEncryptionKey: issuer.keyEncryptionKey, logger: logs.logger, crossCheckEvery: 1});
  });

  afterAll(async () => {
    await signer.close();
  });

  test('when an OB 3.0 credential is signed, then the unmodified vc.verifyCredential verifies it', async () => {
    const credential = deepFreeze(anOb3Credential());

    const signed = await signer.signDataIntegrity({credential, key: issuer.key});
    const result = await verifyDataIntegrity(signed, issuer);

    expect(result.verified).toBe(true);
    expect(signed.proof).toMatchObject({type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022',
      proofPurpose: 'assertionMethod', verificationMethod: issuer.key.multikeyId});
  });

  test('when varied credentials are signed with a given created date, then each equals plain vc.issue\'s output', async () => {
    const created = '2026-06-01T08:00:00Z';
    const credentials = variedOb3Credentials(12).map(deepFreeze);

    const signed = await Promise.all(credentials.map(credential =>
      signer.signDataIntegrity({credential, key: issuer.key, created})));
    const plain = await Promise.all(credentials.map(credential =>
      plainLibraryIssue(credential, issuer, created)));

    expect(signed).toEqual(plain);
    expect(signed.map(credential => JSON.stringify(credential)))
      .toEqual(plain.map(credential => JSON.stringify(credential)));
  });

  test('when a VC 1.1 credential without the DI context is signed, then the context is added as vc.issue does', async () => {
    const credential = deepFreeze({'@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiableCredential'], issuer: issuer.did, issuanceDate: '2026-01-01T00:00:00Z',
      credentialSubject: {id: 'did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH'}});
    const created = '2026-01-02T03:04:05Z';

    const signed = await signer.signDataIntegrity({credential, key: issuer.key, created});

    expect(signed).toEqual(await plainLibraryIssue(credential, issuer, created));
    expect(signed['@context']).toEqual(['https://www.w3.org/2018/credentials/v1',
      'https://w3id.org/security/data-integrity/v2']);
    expect((await verifyDataIntegrity(signed, issuer)).verified).toBe(true);
  });

  test('when a signed credential is changed in any one field, then verification fails', async () => {
    const signed = await signer.signDataIntegrity({credential: anOb3Credential(), key: issuer.key});
    const tampered = [
      {...signed, validUntil: '2099-01-01T00:00:00Z'},
      {...signed, issuer: {...(signed.issuer as object), name: 'Other College'}},
      {...signed, proof: {...signed.proof, created: '2020-01-01T00:00:00Z'}}
    ];

    const results = await Promise.all(tampered.map(credential => verifyDataIntegrity(credential, issuer)));

    expect(results.map(result => result.verified)).toEqual([false, false, false]);
  });

  test('when a credential is signed as a JWT, then jose verifies it with the public JWK and the payload is the credential', async () => {
    const credential = deepFreeze(anOb3Credential({serial: 42}));

    const jwt = await signer.signJwt({credential, key: issuer.key});
    const {payload, protectedHeader} = await jwtVerify(jwt, await publicKeyOf(issuer),
      {typ: 'vc+jwt', algorithms: ['EdDSA']});

    expect(protectedHeader).toEqual({alg: 'EdDSA', typ: 'vc+jwt', kid: issuer.key.jwkId});
    expect(payload).toEqual(credential);
  });

  test('when a JWT\'s payload is changed, then compactVerify rejects it', async () => {
    const jwt = await signer.signJwt({credential: anOb3Credential(), key: issuer.key});
    const [header, , signature] = jwt.split('.');
    const otherPayload = Buffer.from(JSON.stringify(anOb3Credential({serial: 2}))).toString('base64url');

    await expect(compactVerify(`${header}.${otherPayload}.${signature}`, await publicKeyOf(issuer)))
      .rejects.toThrow(/signature verification failed/);
    expect(decodeProtectedHeader(jwt).kid).toBe(issuer.key.jwkId);
  });

  test('when a credential is signed, then the caller\'s object is left as it was', async () => {
    const credential = anOb3Credential();
    const before = structuredClone(credential);

    await signer.signDataIntegrity({credential, key: issuer.key});
    await signer.signJwt({credential, key: issuer.key});

    expect(credential).toEqual(before);
    expect('proof' in credential).toBe(false);
  });

  test('when a credential uses a term no context defines, then CredentialNotSignable (422) names it', async () => {
    const credential = {...anOb3Credential(), shoeSize: 42};

    const failure = signer.signDataIntegrity({credential, key: issuer.key});

    await expect(failure).rejects.toBeInstanceOf(CredentialNotSignable);
    await expect(failure).rejects.toMatchObject({status: 422, detail: expect.stringMatching(/shoeSize/)});
  });

  test('when the credential is not a VC (no VerifiableCredential type), then CredentialNotSignable', async () => {
    const credential = {...anOb3Credential(), type: ['OpenBadgeCredential']};

    await expect(signer.signDataIntegrity({credential, key: issuer.key}))
      .rejects.toBeInstanceOf(CredentialNotSignable);
  });

  test('when the key is revoked or does not decrypt with the KEK, then SigningKeyUnusable', async () => {
    const other = await aTestIssuer({keyEncryptionKey: randomBytes(32)});

    await expect(signer.signDataIntegrity({credential: anOb3Credential(), key: {...issuer.key, state: 'revoked'}}))
      .rejects.toBeInstanceOf(SigningKeyUnusable);
    await expect(signer.signJwt({credential: anOb3Credential(), key: other.key}))
      .rejects.toMatchObject({code: 'signing-key-unusable', status: 500});
  });

  test('when it has signed and failed, then no log line holds the seed, the private JWK or the KEK', async () => {
    const secrets = [issuer.seed, issuer.keyEncryptionKey].flatMap(bytes => [Buffer.from(bytes)
      .toString('hex'), Buffer.from(bytes).toString('base64'), Buffer.from(bytes).toString('base64url')]);

    await signer.signDataIntegrity({credential: anOb3Credential(), key: issuer.key});
    await signer.signDataIntegrity({credential: {...anOb3Credential(), shoeSize: 1}, key: issuer.key})
      .catch(() => undefined);

    expect(logs.lines.length).toBeGreaterThan(0);
    expect(logs.lines.filter(line => secrets.some(secret => line.includes(secret)))).toEqual([]);
    expect(logs.lines.filter(line => /"d":|privateKey|secretKey/.test(line))).toEqual([]);
  });
});

describe('createSigner with workers and the calling thread', () => {
  test('when both sign the same credentials with the same date, then the results are identical', async () => {
    const issuer = await aTestIssuer({didMethod: 'key'});
    const {logger} = captureLogs();
    const options = {documentLoader: issuer.documentLoader, keyEncryptionKey: issuer.keyEncryptionKey,
      logger};
    const local = createSigner({...options, workers: 0});
    const pooled = createSigner({...options, workers: 2});
    const credentials = variedOb3Credentials(6).map(credential => ({...credential, issuer: issuer.did}));
    const created = '2026-02-03T04:05:06Z';

    const signAll = (signer: Signer) => Promise.all(credentials.flatMap(credential => [
      signer.signDataIntegrity({credential, key: issuer.key, created}),
      signer.signJwt({credential, key: issuer.key})]));

    const fromLocal = await signAll(local);
    const fromPool = await signAll(pooled);
    await Promise.all([local.close(), pooled.close()]);

    expect(fromPool).toEqual(fromLocal);
  });

  test('when an EDC image is rendered on a worker thread and on the calling side, then the PNGs are identical', async () => {
    const issuer = await aTestIssuer();
    const options = {documentLoader: issuer.documentLoader, keyEncryptionKey: issuer.keyEncryptionKey,
      logger: captureLogs().logger};
    const local = createSigner({...options, workers: 0});
    const pooled = createSigner({...options, workers: 2});
    const content = {language: 'en', title: 'Video care in practice', learnerName: 'Sanne de Vries',
      issuerName: 'Northern Care College', issuedAt: new Date('2026-01-15T12:00:00Z'), ectsCredits: 1,
      credentialId: 'urn:uuid:3f1c2a4e-8b7d-4c6e-9a1b-2d3e4f5a6b7c'};

    const [fromLocal, fromPool] = await Promise.all([local.renderImage(content),
      pooled.renderImage(content)]);
    await Promise.all([local.close(), pooled.close()]);

    expect(Buffer.isBuffer(fromPool)).toBe(true);
    expect(fromPool.equals(fromLocal)).toBe(true);
    expect(fromPool.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  test('when a credential needs a context that is not pinned, then the workers get it from the loader', async () => {
    const issuer = await aTestIssuer();
    const url = 'https://carecred.test/contexts/test-extension.json';
    const documents = new Map([[url, {'@context': {annexWorkload: 'https://carecred.test/vocab#workload'}}]]);
    const {createDocumentLoader} = await import('../../platform/jsonld/document-loader.js');
    const documentLoader = createDocumentLoader({publicBaseUrl: 'http://carecred.test', documents,
      resolveDid: async did => did === issuer.did ? issuer.didDocument : undefined});
    const signer = createSigner({documentLoader, workers: 2, keyEncryptionKey: issuer.keyEncryptionKey,
      logger: captureLogs().logger});
    const credential = anOb3Credential();
    const extended = {...credential, '@context': [...credential['@context'] as string[], url],
      annexWorkload: '56 hours'};

    const signed = await Promise.all([1, 2, 3, 4].map(() =>
      signer.signDataIntegrity({credential: extended, key: issuer.key})));
    await signer.close();

    const results = await Promise.all(signed.map(one => vc.verifyCredential({credential: one,
      suite: new LibraryProof({cryptosuite}), documentLoader, checkStatus: async () => ({verified: true})})));
    expect(results.map(result => result.verified)).toEqual([true, true, true, true]);
  });

  test('when the signer is closed, then signing is refused', async () => {
    const issuer = await aTestIssuer();
    const signer = createSigner({documentLoader: issuer.documentLoader, workers: 2,
      keyEncryptionKey: issuer.keyEncryptionKey, logger: captureLogs().logger});
    await signer.signJwt({credential: anOb3Credential(), key: issuer.key});

    await signer.close();

    await expect(signer.signJwt({credential: anOb3Credential(), key: issuer.key})).rejects.toThrow(/closed/);
  });
});
