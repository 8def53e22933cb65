import {aCredential, V1, V2} from '../../test/support/credentials.js';
import {checkDataModel, DATA_MODEL_RULES, parseDateTime} from './data-model.js';

type Json = Record<string, unknown>;

const ISSUER = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const PROOF = {type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofPurpose: 'assertionMethod',
  verificationMethod: `${ISSUER}#key`, proofValue: 'z1'};
/** The SHA2-256 of the base context the VC DM 2.0 publishes, as SRI and as a multibase multihash. */
const BASE_SRI = `sha256-${Buffer.from('24a18c90e9856d526111f29376e302d970b2bd10182e33959995b0207d7043b9', 'hex')
  .toString('base64')}`;
const BASE_MULTIBASE = `u${Buffer.concat([Buffer.from([0x12, 0x20]), Buffer.from(
  '24a18c90e9856d526111f29376e302d970b2bd10182e33959995b0207d7043b9', 'hex')]).toString('base64url')}`;

function violationsOf(document: Json, kind: 'credential' | 'presentation' = 'credential'): string[] {
  return checkDataModel({document, kind, embeddedProof: true}).violations.map(violation => violation.rule);
}

function aSecuredCredential(overrides: Json = {}): Json {
  return {...aCredential(ISSUER), proof: PROOF, ...overrides};
}

describe('checkDataModel rules table', () => {
  test('when the rule table is read, then every rule cites the section of the specification it applies', () => {
    expect(DATA_MODEL_RULES.length).toBeGreaterThan(15);
    expect(DATA_MODEL_RULES.every(rule => /VC DM (2\.0|1\.1) §\d/.test(rule.section))).toBe(true);
  });

  test('when a conforming 2.0 credential is checked, then there is no violation', () => {
    expect(violationsOf(aSecuredCredential())).toEqual([]);
  });

  test.each([
    ['no @context', {'@context': undefined}, 'credential-context'],
    ['a first context that is not the credentials context', {'@context': ['https://example.org/ctx', V2]},
      'credential-context'],
    ['a context item that is a number', {'@context': [V2, 42]}, 'credential-context'],
    ['an id that is not a URL', {id: 'credential 7'}, 'credential-id'],
    ['no type', {type: undefined}, 'credential-type'],
    ['no VerifiableCredential type', {type: ['OpenBadgeCredential']}, 'credential-type'],
    ['a name that is a number', {name: 7}, 'credential-names'],
    ['a name language object with an extra key', {name: {'@value': 'x', '@language': 'en', colour: 1}},
      'credential-names'],
    ['no issuer', {issuer: undefined}, 'credential-issuer'],
    ['an issuer object without id', {issuer: {name: 'X'}}, 'credential-issuer'],
    ['no credentialSubject', {credentialSubject: undefined}, 'credential-subject'],
    ['an empty credentialSubject', {credentialSubject: {}}, 'credential-subject'],
    ['a subject id that is not a URL', {credentialSubject: {id: 'Sam', name: 'Sam'}}, 'credential-subject'],
    ['a validFrom that is only a date', {validFrom: '2024-01-01'}, 'credential-validity-period'],
    ['an untyped credentialStatus', {credentialStatus: {id: 'https://example.org/s#1'}}, 'credential-status'],
    ['a credentialSchema without id', {credentialSchema: {type: 'JsonSchema'}}, 'credential-schema'],
    ['an untyped termsOfUse', {termsOfUse: [{id: 'https://example.org/tou'}]}, 'credential-terms-of-use'],
    ['an evidence that is a string', {evidence: 'https://example.org/e'}, 'credential-evidence'],
    ['an untyped renderMethod', {renderMethod: {id: 'https://example.org/r'}}, 'credential-reserved-typed'],
    ['duplicate relatedResource ids', {relatedResource: [{id: 'https://example.org/a', digestSRI: BASE_SRI},
      {id: 'https://example.org/a', digestSRI: BASE_SRI}]}, 'credential-related-resource'],
    ['a malformed digestMultibase', {relatedResource: [{id: 'https://example.org/a', digestMultibase: 'uAAAA'}]},
      'credential-related-resource'],
    ['a wrong digest of the base context', {relatedResource: [{id: V2, digestSRI: `sha256-${'A'.repeat(43)}=`}]},
      'credential-related-resource'],
    ['no proof', {proof: undefined}, 'credential-proof'],
    ['an untyped proof', {proof: {proofValue: 'z1'}}, 'credential-proof'],
    ['a proof without proofPurpose', {proof: {...PROOF, proofPurpose: undefined}}, 'credential-proof'],
    ['a proof without verificationMethod', {proof: {...PROOF, verificationMethod: undefined}}, 'credential-proof'],
    ['a proof without proofValue', {proof: {...PROOF, proofValue: undefined}}, 'credential-proof'],
    ['a DataIntegrityProof without cryptosuite', {proof: {...PROOF, cryptosuite: undefined}}, 'credential-proof']
  ])('when a 2.0 credential has %s, then the rule is broken', (_what, overrides, rule) => {
    const document = Object.fromEntries(Object.entries(aSecuredCredential(overrides as Json))
      .filter(([, value]) => value !== undefined));

    expect(violationsOf(document)).toContain(rule);
  });

  test.each([
    ['the SRI', {digestSRI: BASE_SRI}],
    ['the multibase', {digestMultibase: BASE_MULTIBASE}]
  ])('when the base context is listed as related resource with its published digest (%s), then it holds',
    (_what, digest) => {
      expect(violationsOf(aSecuredCredential({relatedResource: [{id: V2, ...digest}]}))).toEqual([]);
    });

  test.each([
    ['no issuanceDate', {issuanceDate: undefined}, 'credential-issuance-date'],
    ['a status without id', {credentialStatus: {type: 'StatusList2021Entry'}}, 'credential-status-v1'],
    ['a refreshService without id', {refreshService: {type: 'ManualRefreshService2018'}},
      'credential-refresh-service-v1']
  ])('when a 1.1 credential has %s, then the 1.1 rule is broken', (_what, overrides, rule) => {
    const {validFrom: _validFrom, ...base} = aSecuredCredential({'@context': [V1],
      issuanceDate: '2024-01-01T00:00:00Z', ...overrides});
    const document = Object.fromEntries(Object.entries(base).filter(([, value]) => value !== undefined));

    expect(violationsOf(document)).toEqual([rule]);
  });

  test.each([
    ['no VerifiablePresentation type', {type: ['Presentation']}, 'presentation-type'],
    ['a holder that is not a URL', {holder: 'Sam'}, 'presentation-holder'],
    ['a credential given as a string', {verifiableCredential: ['eyJhbGciOi']}, 'presentation-credentials'],
    ['an enveloped credential without data: URL', {verifiableCredential: [{'@context': [V2],
      type: 'EnvelopedVerifiableCredential', id: 'https://example.org/vc'}]}, 'presentation-credentials']
  ])('when a presentation has %s, then the rule is broken', (_what, overrides, rule) => {
    const presentation = {'@context': [V2], type: ['VerifiablePresentation'], proof: PROOF, ...overrides};

    expect(violationsOf(presentation, 'presentation')).toEqual([rule]);
  });
});

describe('parseDateTime', () => {
  test.each([
    ['2024-05-01T12:00:00Z', '2024-05-01T12:00:00.000Z'],
    ['2024-05-01T14:00:00+02:00', '2024-05-01T12:00:00.000Z'],
    ['2024-05-01T12:00:00', '2024-05-01T12:00:00.000Z'],
    ['2024-05-01', undefined],
    [20240501, undefined]
  ])('when %s is read, then it is %s (no offset = UTC, VC DM 2.0 §5.8)', (value, expected) => {
    expect(parseDateTime(value)?.toISOString()).toBe(expected);
  });
});
