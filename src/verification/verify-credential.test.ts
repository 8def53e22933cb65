import {aCredential, aDidKeyIdentity, aDocumentLoader, aV1Credential, envelope, signDataIntegrity,
  signEd25519Signature2020, signJwt, type TestIdentity} from '../../test/support/credentials.js';
import {aTestVerifier} from '../../test/support/verifier.js';
import type {Check, CredentialReport} from './types.js';

type Json = Record<string, unknown>;

let issuer: TestIdentity;
let other: TestIdentity;

beforeAll(async () => {
  [issuer, other] = await Promise.all([aDidKeyIdentity(), aDidKeyIdentity()]);
});

function check(report: CredentialReport, id: string): Check {
  const found = report.checks.find(entry => entry.id === id);
  if(!found) {
    throw new Error(`no check ${id}`);
  }
  return found;
}

async function signed(kind: 'di' | 'ed2020' | 'jwt', credential: Json, identity = issuer): Promise<unknown> {
  const documentLoader = aDocumentLoader([identity]);
  if(kind === 'di') {
    return signDataIntegrity({credential, identity, documentLoader});
  }
  if(kind === 'ed2020') {
    return signEd25519Signature2020({credential, identity, documentLoader});
  }
  return signJwt({payload: credential, identity});
}

const SECURING = [
  ['eddsa-rdfc-2022', 'di', 'vc-di', () => aCredential(issuer.did)],
  ['Ed25519Signature2020 (VC DM 1.1)', 'ed2020', 'vc-di', () => aV1Credential(issuer.did)],
  ['VC-JOSE EdDSA', 'jwt', 'vc-jwt', () => aCredential(issuer.did)]
] as const;

describe('verifyCredential', () => {
  test.each(SECURING)('when a valid %s credential is verified, then it is verified with every check passed',
    async (_name, kind, format, build) => {
      const input = await signed(kind, build());

      const report = await aTestVerifier().verifyCredential({input});

      expect(report).toMatchObject({verified: true, format});
      expect(report.checks.map(entry => entry.id)).toEqual(['format', 'signature', 'issuer',
        'status.revocation', 'status.suspension', 'validity.validFrom', 'validity.validUntil', 'schema']);
      expect(report.checks.filter(entry => !entry.passed).map(entry => entry.code)).toEqual(['issuer-not-registered']);
    });

  test.each(SECURING)('when a field of a %s credential is changed after signing, then signature fails',
    async (_name, kind, _format, build) => {
      const input = await signed(kind, build());
      const tampered = typeof input === 'string' ? tamperJwt(input) :
        {...input as Json, name: 'Brain surgery'};

      const report = await aTestVerifier().verifyCredential({input: tampered});

      expect(report.verified).toBe(false);
      expect(check(report, 'signature')).toMatchObject({passed: false, code: 'signature-invalid'});
      expect(check(report, 'validity.validUntil')).toMatchObject({skipped: true});
    });

  test('when the proof of another credential is swapped in, then signature fails', async () => {
    const first = await signed('di', aCredential(issuer.did)) as Json;
    const second = await signed('di', aCredential(issuer.did, {name: 'Other'})) as Json;

    const report = await aTestVerifier().verifyCredential({input: {...first, proof: second.proof}});

    expect(check(report, 'signature')).toMatchObject({passed: false, code: 'signature-invalid'});
  });

  test('when the credential is signed with a key of another DID than its issuer, then signature fails', async () => {
    const input = await signed('di', aCredential(issuer.did), other);

    const report = await aTestVerifier().verifyCredential({input});

    expect(report.verified).toBe(false);
    expect(check(report, 'signature').passed).toBe(false);
  });

  test('when the issuer is registered, then the summary shows the registered name, not the claimed one', async () => {
    const input = await signed('di', aCredential(issuer.did));

    const report = await aTestVerifier({registered: {[issuer.did]: 'Zorgcollege Noord'}}).verifyCredential({input});

    expect(report.verified).toBe(true);
    expect(check(report, 'issuer')).toMatchObject({passed: true, code: 'issuer-registered'});
    expect(report.summary).toMatchObject({issuerName: 'Zorgcollege Noord', issuerRegistered: true,
      unitTitle: 'Wound care informatics', learnerName: 'Sam Jansen', profile: 'ob3'});
  });

  test('when the credential is wrapped in an EnvelopedVerifiableCredential, then the JWT inside is verified', async () => {
    const jwt = await signed('jwt', aCredential(issuer.did)) as string;

    const report = await aTestVerifier().verifyCredential({input: envelope(jwt)});

    expect(report).toMatchObject({verified: true, format: 'vc-jwt'});
  });
});

describe('verifyCredential validity', () => {
  test.each([
    ['expired (validUntil)', 'di', {validUntil: '2025-01-01T00:00:00Z'}, 'validity.validUntil', 'expired'],
    ['not yet valid (validFrom)', 'di', {validFrom: '2026-01-01T00:00:00Z'}, 'validity.validFrom', 'not-yet-valid'],
    ['expired (JWT exp)', 'jwt', {exp: Date.parse('2025-01-01') / 1000}, 'validity.validUntil', 'expired'],
    ['not yet valid (JWT nbf)', 'jwt', {nbf: Date.parse('2026-01-01') / 1000}, 'validity.validFrom', 'not-yet-valid']
  ] as const)('when the credential is %s, then that check fails but the signature passes',
    async (_what, kind, overrides, id, code) => {
      const input = await signed(kind, aCredential(issuer.did, overrides));

      const report = await aTestVerifier().verifyCredential({input});

      expect(report.verified).toBe(false);
      expect(check(report, 'signature').passed).toBe(true);
      expect(check(report, id)).toMatchObject({passed: false, severity: 'error', code});
    });

  test('when a VC DM 1.1 credential has expired (expirationDate), then validity.validUntil fails', async () => {
    const input = await signed('ed2020', aV1Credential(issuer.did, {expirationDate: '2025-02-01T00:00:00Z'}));

    const report = await aTestVerifier().verifyCredential({input});

    expect(check(report, 'validity.validUntil')).toMatchObject({passed: false, code: 'expired'});
  });
});

describe('verifyCredential data model', () => {
  test.each([
    ['a v1.1 credential without issuanceDate', 'ed2020', () => {
      const {issuanceDate: _omit, ...rest} = aV1Credential(issuer.did);
      return rest;
    }, /issuanceDate/],
    ['an untyped credentialSchema', 'di', () => aCredential(issuer.did, {
      credentialSchema: {id: 'https://example.org/schema.json'}}), /credentialSchema/],
    ['an untyped refreshService', 'di', () => aCredential(issuer.did, {
      refreshService: {id: 'https://example.org/refresh'}}), /refreshService/],
    ['a relatedResource without digest', 'di', () => aCredential(issuer.did, {
      relatedResource: [{id: 'https://example.org/a.png'}]}), /digest/],
    ['validFrom after validUntil', 'di', () => aCredential(issuer.did, {
      validFrom: '2025-03-01T00:00:00Z', validUntil: '2025-02-01T00:00:00Z'}), /validFrom/],
    ['an issuer that is not a URL', 'jwt', () => aCredential(issuer.did, {issuer: 'Zorgcollege'}), /issuer/]
  ] as const)('when the credential has %s, then format fails and the rest is skipped', async (_what, kind, build, pattern) => {
    const input = await signed(kind, build());

    const report = await aTestVerifier().verifyCredential({input});

    expect(report.verified).toBe(false);
    expect(check(report, 'format')).toMatchObject({passed: false, code: 'data-model-violation'});
    expect(check(report, 'format').details!.join(' ')).toMatch(pattern);
    expect(report.checks.slice(1).every(entry => entry.skipped)).toBe(true);
  });
});

function tamperJwt(jwt: string): string {
  const [header, payload, signature] = jwt.split('.');
  const document = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  document.name = 'Brain surgery';
  return [header, Buffer.from(JSON.stringify(document)).toString('base64url'), signature].join('.');
}
