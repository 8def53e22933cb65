import type {RequestListener} from 'node:http';
import {gzipSync} from 'node:zlib';

import {aCredential, aDidKeyIdentity, aDocumentLoader, signDataIntegrity, signJwt, type TestIdentity,
  V2} from '../../test/support/credentials.js';
import {aLocalServer, aTestVerifier, json, TEST_PUBLIC_BASE_URL} from '../../test/support/verifier.js';
import type {CheckOwnStatus, CredentialReport} from './types.js';

type Json = Record<string, unknown>;

let issuer: TestIdentity;
let other: TestIdentity;
let server: Awaited<ReturnType<typeof aLocalServer>>;
const routes: Record<string, RequestListener> = {};

beforeAll(async () => {
  [issuer, other] = await Promise.all([aDidKeyIdentity(), aDidKeyIdentity()]);
  server = await aLocalServer(routes);
});
afterAll(async () => server.close());

function encodedList(setIndexes: number[], bytes = 16_384): string {
  const bits = Buffer.alloc(bytes);
  for(const index of setIndexes) {
    bits[index >> 3] = bits[index >> 3]! | (0x80 >> (index & 7));
  }
  return `u${gzipSync(bits).toString('base64url')}`;
}

function aStatusListCredential({url, issuerDid, purpose = 'revocation', setIndexes = [], bytes}: {
  url: string; issuerDid: string; purpose?: string; setIndexes?: number[]; bytes?: number;
}): Json {
  return {
    '@context': [V2], id: url, type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: issuerDid, validFrom: '2024-01-01T00:00:00Z',
    credentialSubject: {id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: purpose,
      encodedList: encodedList(setIndexes, bytes)}
  };
}

function entry(url: string, index: number, purpose = 'revocation'): Json {
  return {id: `${url}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: purpose,
    statusListIndex: String(index), statusListCredential: url};
}

async function signedCredential(credentialStatus: Json[]): Promise<Json> {
  return signDataIntegrity({credential: aCredential(issuer.did, {credentialStatus}), identity: issuer,
    documentLoader: aDocumentLoader([issuer])});
}

async function serveList(path: string, list: Json, signer = issuer): Promise<string> {
  const signed = await signDataIntegrity({credential: list, identity: signer,
    documentLoader: aDocumentLoader([signer])});
  routes[path] = json(signed);
  return `${server.url}${path}`;
}

function statusChecks(report: CredentialReport) {
  return report.checks.filter(check => check.id.startsWith('status.'));
}

describe('status of carecred\'s own lists', () => {
  const ownList = `${TEST_PUBLIC_BASE_URL}/status/zorgcollege/abc`;

  test.each([
    ['revoked', {revocation: 'set', suspension: 'unset'}, ['status-revoked', 'status-not-suspended']],
    ['suspended', {revocation: 'unset', suspension: 'set'}, ['status-not-revoked', 'status-suspended']],
    ['active', {revocation: 'unset', suspension: 'unset'}, ['status-not-revoked', 'status-not-suspended']],
    ['unknown', {revocation: 'unknown', suspension: 'unset'}, ['status-unknown', 'status-not-suspended']]
  ] as const)('when the own list says %s, then the status checks say so', async (_state, bits, codes) => {
    const calls: unknown[] = [];
    const checkOwnStatus: CheckOwnStatus = async options => {
      calls.push(options);
      return {status: bits[options.statusPurpose as 'revocation' | 'suspension']};
    };
    const input = await signedCredential([entry(ownList, 7), entry(ownList, 9, 'suspension')]);

    const report = await aTestVerifier({checkOwnStatus}).verifyCredential({input});

    expect(statusChecks(report).map(check => check.code)).toEqual(codes);
    expect(report.verified).toBe(codes.every(code => code.startsWith('status-not')));
    expect(calls).toContainEqual({statusListCredential: ownList, statusListIndex: 7,
      statusPurpose: 'revocation', issuer: issuer.did});
  });

  test('when the credential has no credentialStatus, then both status checks pass with "no status information"',
    async () => {
      const input = await signDataIntegrity({credential: aCredential(issuer.did), identity: issuer,
        documentLoader: aDocumentLoader([issuer])});

      const report = await aTestVerifier().verifyCredential({input});

      expect(statusChecks(report)).toEqual([
        expect.objectContaining({passed: true, code: 'status-none'}),
        expect.objectContaining({passed: true, code: 'status-none'})
      ]);
    });
});

describe('status of foreign lists', () => {
  test('when the foreign list has the bit set, then the credential is revoked', async () => {
    const url = await serveList('/lists/revoked', aStatusListCredential({url: `${server.url}/lists/revoked`,
      issuerDid: issuer.did, setIndexes: [42]}));
    const input = await signedCredential([entry(url, 42)]);

    const report = await aTestVerifier().verifyCredential({input});

    expect(statusChecks(report)[0]).toMatchObject({passed: false, code: 'status-revoked'});
  });

  test('when the foreign list has the bit unset, then the credential is not revoked', async () => {
    const url = await serveList('/lists/clear', aStatusListCredential({url: `${server.url}/lists/clear`,
      issuerDid: issuer.did, setIndexes: [41, 43]}));
    const input = await signedCredential([entry(url, 42)]);

    const report = await aTestVerifier().verifyCredential({input});

    expect(statusChecks(report)[0]).toMatchObject({passed: true, code: 'status-not-revoked'});
    expect(report.verified).toBe(true);
  });

  test('when the foreign list is a VC-JOSE credential, then it is verified and read', async () => {
    const url = `${server.url}/lists/jwt`;
    const jwt = await signJwt({payload: aStatusListCredential({url, issuerDid: issuer.did, setIndexes: [3]}),
      identity: issuer});
    routes['/lists/jwt'] = (_req, res) => {
      res.setHeader('content-type', 'application/vc+jwt');
      res.end(jwt);
    };
    const input = await signedCredential([entry(url, 3)]);

    const report = await aTestVerifier().verifyCredential({input});

    expect(statusChecks(report)[0]).toMatchObject({code: 'status-revoked'});
  });

  const UNKNOWN_CASES: [string, () => Promise<string>, RegExp][] = [
    ['is unreachable (404)', async () => `${server.url}/lists/missing`, /fetched/],
    ['is signed by another issuer', () => serveList('/lists/other', aStatusListCredential({
      url: `${server.url}/lists/other`, issuerDid: other.did}), other), /another issuer/],
    ['is a suspension list', () => serveList('/lists/suspension', aStatusListCredential({
      url: `${server.url}/lists/suspension`, issuerDid: issuer.did, purpose: 'suspension'})), /revocation list/],
    ['is shorter than the minimum', () => serveList('/lists/short', aStatusListCredential({
      url: `${server.url}/lists/short`, issuerDid: issuer.did, bytes: 1024})), /minimum/],
    ['has been tampered with', async () => {
      const url = `${server.url}/lists/tampered`;
      const original = await signDataIntegrity({credential: aStatusListCredential({url, issuerDid: issuer.did,
        setIndexes: [42]}), identity: issuer, documentLoader: aDocumentLoader([issuer])});
      routes['/lists/tampered'] = json({...aStatusListCredential({url, issuerDid: issuer.did}),
        proof: original.proof});
      return url;
    }, /not valid/],
    ['never answers', async () => {
      routes['/lists/hang'] = () => undefined;
      return `${server.url}/lists/hang`;
    }, /within/]
  ];

  test.each(UNKNOWN_CASES)('when the list %s, then the status is unknown (fail closed)', async (_what, makeUrl, reason) => {
    const url = await makeUrl();
    const input = await signedCredential([entry(url, 42)]);
    const started = Date.now();

    const report = await aTestVerifier({timeoutMs: 500}).verifyCredential({input});

    expect(report.verified).toBe(false);
    expect(statusChecks(report)[0]).toMatchObject({passed: false, severity: 'error', code: 'status-unknown'});
    expect(statusChecks(report)[0]!.message).toMatch(reason);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
