import type {Check, CredentialReport} from '../verification/index.js';
import {fail, pass, skip, warn} from '../verification/report.js';
import {checkViews, credentialResult, factRows, identityRows, verdictOf} from './views.js';

const ALL_PASSED: Check[] = [
  pass('format', 'conforming', 'ok'), pass('signature', 'signature-valid', 'ok'),
  pass('issuer', 'issuer-registered', 'ok'), pass('status.revocation', 'status-not-revoked', 'ok'),
  pass('status.suspension', 'status-not-suspended', 'ok'), pass('validity.validFrom', 'valid-from', 'ok'),
  pass('validity.validUntil', 'not-expired', 'ok'), pass('schema', 'schema-valid', 'ok')
];

function withChecks(...replacements: Check[]): Check[] {
  return ALL_PASSED.map(check => replacements.find(replacement => replacement.id === check.id) ?? check);
}

describe('verdictOf', () => {
  test.each([
    ['every check passed', withChecks(), true, 'valid'],
    ['the format is broken', withChecks(fail('format', 'data-model-violation', 'x'),
      skip('signature', 'skipped-after-failure', 'x')), false, 'unknown-format'],
    ['the signature fails', withChecks(fail('signature', 'signature-invalid', 'x')), false, 'invalid-signature'],
    ['the key is not found', withChecks(fail('signature', 'key-not-found', 'x')), false, 'invalid-signature'],
    ['it is revoked and expired', withChecks(fail('status.revocation', 'status-revoked', 'x'),
      fail('validity.validUntil', 'expired', 'x')), false, 'revoked'],
    ['it is suspended', withChecks(fail('status.suspension', 'status-suspended', 'x')), false, 'suspended'],
    ['it expired', withChecks(fail('validity.validUntil', 'expired', 'x')), false, 'expired'],
    ['it is not valid yet', withChecks(fail('validity.validFrom', 'not-yet-valid', 'x')), false, 'not-yet-valid'],
    ['the status cannot be read', withChecks(fail('status.revocation', 'status-unknown', 'x')), false,
      'status-unknown'],
    ['only the schema fails', withChecks(fail('schema', 'schema-invalid', 'x')), false, 'invalid']
  ])('when %s, then the verdict is the most telling one', (_what, checks, verified, expected) => {
    expect(verdictOf({checks, verified})).toBe(expected);
  });
});

describe('checkViews', () => {
  test('when checks pass, fail, warn and are skipped, then each says so in the language', () => {
    const checks = [pass('signature', 'signature-valid', 'valid key'), fail('status.revocation', 'status-revoked', 'x'),
      warn('issuer', 'issuer-not-registered', 'x'), skip('schema', 'skipped-after-failure', 'x')];

    const views = checkViews({checks, context: {}, language: 'nl'});

    expect(views.map(view => [view.name, view.stateLabel])).toEqual([['Handtekening', 'In orde'],
      ['Intrekking', 'Niet in orde'], ['Uitgever', 'Let op'], ['Schema', 'Niet gecontroleerd']]);
    expect(views[0]!.technical).toEqual(['valid key']);
  });

  test('when an outcome has no translation, then the engine\'s English message is shown, marked English', () => {
    const [view] = checkViews({checks: [fail('signature', 'something-new', 'It broke.', ['detail'])], context: {},
      language: 'nl'});

    expect(view).toMatchObject({text: 'It broke.', textLang: 'en', technical: ['It broke.', 'detail']});
  });
});

describe('credentialResult', () => {
  test('when the signature fails, then the content is marked as not confirmed', () => {
    const report: CredentialReport = {kind: 'credential', verified: false, format: 'vc-jwt',
      checks: withChecks(fail('signature', 'signature-invalid', 'x')), summary: {issuerRegistered: true},
      credential: {}};

    const result = credentialResult({report, language: 'nl', readFacts: () => ({outcomes: []})});

    expect(result.contentNote).toMatch(/zonder geldige handtekening/);
  });

  test('when the issuer is not registered, then the verdict carries a caution', () => {
    const report: CredentialReport = {kind: 'credential', verified: true, format: 'vc-di',
      checks: withChecks(warn('issuer', 'issuer-not-registered', 'x')),
      summary: {issuerRegistered: false, issuerName: 'Claimed Name'}, credential: {}};

    const result = credentialResult({report, language: 'en', readFacts: () => ({outcomes: []})});

    expect(result.verdict).toMatchObject({kind: 'valid', tone: 'ok', title: 'Valid'});
    expect(result.verdict.note).toMatch(/not registered/);
    expect(result.content).toContainEqual({label: 'Issued by', value: 'Claimed Name (not registered with carecred)'});
  });
});

describe('identityRows and factRows', () => {
  test('when a credential has an end of validity, then it is shown as a date in the language', () => {
    const rows = identityRows({summary: {issuerRegistered: true, learnerName: 'Fenna de Vries',
      issuedAt: '2026-05-01T10:00:00Z', validUntil: '2029-05-01T10:00:00Z'}, issuerName: 'Zorgcollege Noord',
    language: 'nl'});

    expect(rows).toEqual([{label: 'Deelnemer', value: 'Fenna de Vries'},
      {label: 'Uitgegeven door', value: 'Zorgcollege Noord'},
      {label: 'Datum van uitgifte', value: '1 mei 2026', datetime: '2026-05-01T10:00:00Z'},
      {label: 'Geldigheid', value: 'Geldig tot 1 mei 2029', datetime: '2029-05-01T10:00:00Z'}]);
  });

  test('when facts are fractional, then they are written as the language writes numbers', () => {
    const rows = factRows({facts: {outcomes: [], ectsCredits: 1.5, workloadHours: 40.5, eqfLevel: 5},
      language: 'nl'});

    expect(rows).toEqual([{label: 'ECTS-studiepunten', value: '1,5'}, {label: 'EQF-niveau', value: '5'},
      {label: 'Studielast', value: '40,5 uur'}]);
  });
});
