import {readFileSync} from 'node:fs';
import {join} from 'node:path';

import {aCredentialInput} from '../../../test/support/credential-inputs.js';
import {standardsDir} from '../../../test/support/standards.js';
import {projectPath} from '../../platform/paths.js';
import {buildOb3Credential} from './ob3.js';
import {checkAnnexICompleteness, validateAgainstProfileSchema} from './schema-validation.js';

const COPIES = [
  {copy: 'europass-edc-schema.json', original: join('edc', 'europass-edc-schema.json')},
  {copy: 'ebsi-attestation-schema.json', original: join('edc', 'ebsi-attestation-schema.json')},
  {copy: 'ob3-achievementcredential-schema.json', original: join('ob3', 'ob3-achievementcredential-schema.json')},
  {copy: 'LICENSE-EUPL-1.2', original: join('edc', 'LICENSE')}
];

function standardsJson(...segments: string[]): Record<string, unknown> {
  return JSON.parse(readFileSync(join(standardsDir(), ...segments), 'utf8')) as Record<string, unknown>;
}

describe('official schema copies', () => {
  test.each(COPIES)('when $copy is compared with shared/standards, then it is byte-identical', ({copy, original}) => {
    const ours = readFileSync(projectPath('schemas', 'official', copy));
    const theirs = readFileSync(join(standardsDir(), original));

    expect(ours.equals(theirs)).toBe(true);
  });
});

describe('validateAgainstProfileSchema', () => {
  test('when the official examples are validated, then both pass', () => {
    const edc = standardsJson('edc', 'example-microcredential.json');
    const ob3 = standardsJson('ob3', 'example-complete-openbadgecredential.json');

    expect(validateAgainstProfileSchema('edc', edc)).toEqual({valid: true, errors: []});
    expect(validateAgainstProfileSchema('ob3', ob3)).toEqual({valid: true, errors: []});
  });

  test.each([
    {change: 'a VCDM 1.1 context', edit: (doc: Record<string, unknown>) => {
      doc['@context'] = ['https://www.w3.org/2018/credentials/v1'];
    }, pointer: '/@context'},
    {change: 'a bare date as validFrom', edit: (doc: Record<string, unknown>) => {
      doc.validFrom = '2024-03-26';
    }, pointer: '/validFrom'},
    {change: 'BitstringStatusListEntry status entries', edit: (doc: Record<string, unknown>) => {
      doc.credentialStatus = [{id: 'https://x.test/s/1#5', type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation', statusListIndex: '5', statusListCredential: 'https://x.test/s/1'}];
    }, pointer: '/credentialStatus'}
  ])('when the EDC example has $change, then it is invalid at $pointer', ({edit, pointer}) => {
    const edc = standardsJson('edc', 'example-microcredential.json');
    edit(edc);

    const result = validateAgainstProfileSchema('edc', edc);

    expect(result.valid).toBe(false);
    expect(result.errors.map(error => error.pointer)).toEqual(expect.arrayContaining([expect.stringMatching(
      new RegExp(`^${pointer}`))]));
  });

  test('when an OB3 credential has two status entries or a single proof object, then OB3 rejects it', () => {
    const credential = buildOb3Credential(aCredentialInput());

    const twoEntries = validateAgainstProfileSchema('ob3', {...credential,
      credentialStatus: [credential.credentialStatus, credential.credentialStatus]});
    const proofObject = validateAgainstProfileSchema('ob3', {...credential,
      proof: {type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022'}});

    expect(twoEntries.errors).toContainEqual({pointer: '/credentialStatus', message: 'must be object'});
    expect(proofObject.errors).toContainEqual({pointer: '/proof', message: 'must be array'});
  });

  test('when the profile is unknown, then a TypeError names it', () => {
    expect(() => validateAgainstProfileSchema('pdf' as 'ob3', {})).toThrow(/profile/);
  });
});

describe('checkAnnexICompleteness', () => {
  test('when an OB3 credential lacks quality assurance and learning outcomes, then both are reported', () => {
    const input = aCredentialInput();
    delete input.unit.content.qualityAssurance;
    delete input.unit.content.learningOutcomes;

    const result = checkAnnexICompleteness('ob3', buildOb3Credential(input));

    expect(result.valid).toBe(false);
    expect(result.errors).toEqual(expect.arrayContaining([
      {pointer: '/credentialSubject/achievement/microCredential', message: 'must have required property \'learningOutcome\''},
      {pointer: '/credentialSubject/achievement/microCredential', message: 'must have required property \'qualityAssurance\''}
    ]));
  });

  test('when the official EDC example is checked, then the missing Annex I elements are reported', () => {
    const result = checkAnnexICompleteness('edc', standardsJson('edc', 'example-microcredential.json'));

    expect(result.valid).toBe(false);
  });
});
