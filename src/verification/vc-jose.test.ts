import {SignJWT} from 'jose';

import {aCredential, aDidKeyIdentity, aDidWebIdentity, signJwt,
  type TestIdentity} from '../../test/support/credentials.js';
import {aLocalServer, aTestVerifier, json} from '../../test/support/verifier.js';
import type {CredentialReport} from './types.js';

type Json = Record<string, unknown>;

let issuer: TestIdentity;
let other: TestIdentity;
let p256: TestIdentity;
let server: Awaited<ReturnType<typeof aLocalServer>>;

beforeAll(async () => {
  [issuer, other] = await Promise.all([aDidKeyIdentity(), aDidKeyIdentity()]);
  const routes: Record<string, ReturnType<typeof json>> = {};
  server = await aLocalServer(routes);
  p256 = await aDidWebIdentity({host: server.host, path: ['issuers', 'p256'], curve: 'P-256'});
  routes['/issuers/p256/did.json'] = json(p256.didDocument);
});
afterAll(async () => server.close());

function part(value: Json): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function signatureCheck(report: CredentialReport) {
  return report.checks.find(check => check.id === 'signature')!;
}

/** Builds the JWT of each attack from the issuer's valid credential. */
const ATTACKS: [string, () => Promise<string>, string][] = [
  ['alg none', async () => `${part({alg: 'none', typ: 'vc+jwt', kid: issuer.vmId})}.` +
    `${part(aCredential(issuer.did))}.`, 'alg-not-allowed'],
  ['HS256 with the public key as HMAC secret', () => new SignJWT(aCredential(issuer.did))
    .setProtectedHeader({alg: 'HS256', typ: 'vc+jwt', kid: issuer.vmId})
    .sign(Buffer.from(issuer.publicJwk.x!, 'base64url')), 'alg-not-allowed'],
  ['a kid of another DID', () => signJwt({payload: aCredential(issuer.did), identity: other}), 'kid-not-signer'],
  ['no kid', () => signJwt({payload: aCredential(issuer.did), identity: issuer, header: {kid: undefined}}),
    'kid-missing'],
  ['a kid that is not in the DID document', () => signJwt({payload: aCredential(issuer.did), identity: issuer,
    kid: `${issuer.did}#unknown`}), 'key-not-found'],
  ['ES256 claimed over an Ed25519 key', async () => {
    const valid = await signJwt({payload: aCredential(issuer.did), identity: issuer});
    const [, payload, signature] = valid.split('.');
    return `${part({alg: 'ES256', typ: 'vc+jwt', kid: issuer.vmId})}.${payload}.${signature}`;
  }, 'alg-key-mismatch']
];

describe('VC-JOSE credentials', () => {
  test.each(ATTACKS)('when the JWT has %s, then signature fails', async (_attack, build, code) => {
    const input = await build();

    const report = await aTestVerifier().verifyCredential({input});

    expect(report.verified).toBe(false);
    expect(signatureCheck(report)).toMatchObject({passed: false, code});
  });

  test('when an ES256 credential of a foreign did:web issuer is verified, then it is verified', async () => {
    const input = await signJwt({payload: aCredential(p256.did), identity: p256, alg: 'ES256'});

    const report = await aTestVerifier().verifyCredential({input});

    expect(report).toMatchObject({verified: true, format: 'vc-jwt'});
    expect(report.checks.find(check => check.id === 'issuer')).toMatchObject({code: 'issuer-not-registered',
      severity: 'warning'});
  });

  test.each([
    ['a presentation typ', {typ: 'vp+jwt'}, {}, /typ/],
    ['an iss claim other than the issuer', {}, {iss: 'did:key:z6MkOther'}, /iss/],
    ['a VC DM 1.1 "vc" claim', {typ: 'JWT'}, {vc: {type: ['VerifiableCredential']}, '@context': undefined}, /1\.1/]
  ])('when the JWT has %s, then format fails', async (_what, header, claims, pattern) => {
    const payload = Object.fromEntries(Object.entries({...aCredential(issuer.did), ...claims})
      .filter(([, value]) => value !== undefined));
    const input = await signJwt({payload, identity: issuer, header});

    const report = await aTestVerifier().verifyCredential({input});

    expect(report.checks[0]).toMatchObject({id: 'format', passed: false});
    expect(report.checks[0]!.details!.join(' ')).toMatch(pattern);
  });
});
