import {aCredential, aDidKeyIdentity, signJwt, type TestIdentity} from '../../test/support/credentials.js';
import {aTestVerifier} from '../../test/support/verifier.js';
import type {SchemaValidation, ValidateSchema} from './types.js';

let issuer: TestIdentity;

beforeAll(async () => {
  issuer = await aDidKeyIdentity();
});

const EDC_TYPES = ['VerifiableCredential', 'VerifiableAttestation', 'EuropeanDigitalCredential'];

describe('schema check', () => {
  test.each([
    ['an OB3 credential the validator accepts', {}, {valid: true}, 'ob3',
      {passed: true, code: 'schema-valid'}, true],
    ['an EDC credential the validator rejects', {type: EDC_TYPES}, {valid: false, errors: [{path: '/issued',
      message: 'is required'}]}, 'edc', {passed: false, severity: 'error', code: 'schema-invalid',
      details: ['/issued: is required']}, false],
    ['a credential of no known profile', {type: ['VerifiableCredential']}, {valid: true}, undefined,
      {skipped: true, code: 'schema-not-applicable'}, true],
    ['a validator that is not configured', {}, {valid: false, skipped: 'schema validation not configured'}, 'ob3',
      {skipped: true, code: 'schema-skipped', message: 'Not checked: schema validation not configured.'}, true]
  ] as const)('when the credential is %s, then the schema check says so', async (_what, overrides, result, profile,
    expected, verified) => {
    const calls: unknown[] = [];
    const validateSchema: ValidateSchema = async options => {
      calls.push(options.profile);
      return result as SchemaValidation;
    };
    const input = await signJwt({payload: aCredential(issuer.did, overrides), identity: issuer});

    const report = await aTestVerifier({validateSchema}).verifyCredential({input});

    expect(report.checks.find(check => check.id === 'schema')).toMatchObject(expected);
    expect(report.verified).toBe(verified);
    expect(calls).toEqual(profile ? [profile] : []);
  });

  test('when the summary is asked in Dutch, then language maps give the Dutch text', async () => {
    const input = await signJwt({identity: issuer, payload: aCredential(issuer.did, {type: EDC_TYPES,
      credentialSubject: {id: 'did:example:sam', fullName: {nl: 'Sam Jansen'},
        hasClaim: [{title: {en: ['Wound care informatics'], nl: ['Wondzorg-informatica']}}]}})});

    const report = await aTestVerifier().verifyCredential({input, language: 'nl'});

    expect(report.summary).toMatchObject({unitTitle: 'Wondzorg-informatica', learnerName: 'Sam Jansen',
      profile: 'edc'});
  });
});
