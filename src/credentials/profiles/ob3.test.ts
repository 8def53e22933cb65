import jsonld from 'jsonld';

import {aCredentialInput, aUnitContent, SAMPLE_UNITS, TEST_PUBLIC_BASE_URL,
  unitFixtures} from '../../../test/support/credential-inputs.js';
import {createDocumentLoader} from '../../platform/jsonld/document-loader.js';
import {unitLanguages} from './language.js';
import {buildOb3Credential} from './ob3.js';
import {checkAnnexICompleteness, validateAgainstProfileSchema} from './schema-validation.js';

const UNITS = [...SAMPLE_UNITS, ...unitFixtures()];
const MATRIX = UNITS.flatMap(({name, content}) =>
  unitLanguages(content).map(language => ({name, language, content})));
const VOCAB = `${TEST_PUBLIC_BASE_URL}/vocab/microcredential#`;

const documentLoader = createDocumentLoader({publicBaseUrl: TEST_PUBLIC_BASE_URL});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function achievementOf(credential: Json): Json {
  return credential.credentialSubject.achievement;
}

describe('buildOb3Credential: every unit in every language', () => {
  test.each(MATRIX)('when $name is issued in $language, then it is valid against the official OB3 schema',
    ({content, language}) => {
      const credential = buildOb3Credential(aCredentialInput({content, language}));

      expect(validateAgainstProfileSchema('ob3', credential)).toEqual({valid: true, errors: []});
      expect(checkAnnexICompleteness('ob3', credential)).toEqual({valid: true, errors: []});
    });

  test.each(MATRIX)('when $name in $language is expanded in safe mode, then no term is dropped',
    async ({content, language}) => {
      const credential = buildOb3Credential(aCredentialInput({content, language}));

      const expanded = await jsonld.expand(credential, {documentLoader, safe: true});

      const text = JSON.stringify(expanded);
      expect(text).toContain(`${VOCAB}microCredential`);
      expect(text).toContain(`${VOCAB}workloadHours`);
      expect(text).toContain(`${VOCAB}assessment-${content.assessmentType}`);
      expect(text).toContain('"@language"');
    });

  test.each(MATRIX)('when $name is issued in $language, then its texts are in that language',
    ({content, language}) => {
      const credential = buildOb3Credential(aCredentialInput({content, language}));

      expect(credential.name).toBe(content.title[language]);
      expect(achievementOf(credential).inLanguage).toMatch(new RegExp(`^${language}$`, 'i'));
      expect(achievementOf(credential).microCredential.title).toEqual(content.title);
    });
});

describe('buildOb3Credential: content', () => {
  test('when the learner has a DID, then it is the subject id and the e-mail hash is left out', () => {
    const input = aCredentialInput();
    input.learner.did = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

    const subject = buildOb3Credential(input).credentialSubject as Json;

    expect(subject.id).toBe(input.learner.did);
    expect(subject.identifier.map((identity: Json) => identity.identityType)).toEqual(['name', 'sisSourcedId']);
  });

  test('when the learner has no DID, then the salted e-mail hash identifies them', () => {
    const input = aCredentialInput();

    const subject = buildOb3Credential(input).credentialSubject as Json;

    expect(subject.id).toBeUndefined();
    const {identityHash, salt} = input.learner.emailIdentity!;
    expect(subject.identifier).toContainEqual({type: 'IdentityObject', identityType: 'emailAddress',
      hashed: true, identityHash, salt});
    expect(subject.identifier).toContainEqual({type: 'IdentityObject', identityType: 'name', hashed: false,
      identityHash: 'Fenna de Vries'});
  });

  test('when the unit has a validity period, then validUntil is that many months after issue', () => {
    const input = aCredentialInput({content: aUnitContent({credentialValidityMonths: 24})});

    const credential = buildOb3Credential(input);

    expect(credential.validFrom).toBe('2025-03-14T10:15:30Z');
    expect(credential.validUntil).toBe('2027-03-14T10:15:30Z');
  });

  test('when it is built, then the revocation entry is the one status entry, with the index as a string', () => {
    const credential = buildOb3Credential(aCredentialInput());

    expect(credential.credentialStatus).toEqual({
      id: `${TEST_PUBLIC_BASE_URL}/status/zorgcollege-noord/r1#94567`, type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation', statusListIndex: '94567',
      statusListCredential: `${TEST_PUBLIC_BASE_URL}/status/zorgcollege-noord/r1`
    });
    expect(credential.credentialSchema).toEqual([{type: '1EdTechJsonSchemaValidator2019',
      id: 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json'}]);
  });

  test('when the achievement is graded and has evidence, then result, result description and evidence say so', () => {
    const credential = buildOb3Credential(aCredentialInput()) as Json;

    const [result] = credential.credentialSubject.result;
    expect(result).toEqual({type: ['Result'], status: 'Completed', value: '8,5', assessor: 'M. Jansen',
      resultDescription: achievementOf(credential).resultDescription[0].id});
    expect(credential.evidence).toEqual([{id: 'https://zorgcollege-noord.example.nl/portfolio/S1234567/beeldzorg',
      type: ['Evidence']}]);
    expect(achievementOf(credential).alignment.map((a: Json) => a.targetUrl)).toContain('http://data.europa.eu/snb/eqf/4');
  });

  test('when optional fields are missing, then they are absent, never null or undefined', () => {
    const input = aCredentialInput({content: SAMPLE_UNITS[1]!.content});
    delete input.achievement.grade;
    delete input.achievement.evidenceUrl;
    delete input.achievement.assessor;
    delete input.issuer.url;
    delete input.issuer.email;

    const credential = buildOb3Credential(input) as Json;

    const serialised = JSON.stringify(credential);
    expect(serialised).not.toContain('null');
    expect(JSON.parse(serialised)).toEqual(credential);
    expect(credential).not.toHaveProperty('validUntil');
    expect(credential).not.toHaveProperty('evidence');
    expect(achievementOf(credential)).not.toHaveProperty('resultDescription');
    expect(credential.issuer).not.toHaveProperty('url');
    expect(credential.credentialSubject.result).toEqual([{type: ['Result'], status: 'Completed'}]);
  });

  test('when a credential is built, then the input is not changed', () => {
    const input = aCredentialInput();
    const before = structuredClone(input);

    const credential = buildOb3Credential(input) as Json;
    achievementOf(credential).microCredential.title.nl = 'changed';

    expect(input).toEqual(before);
  });

  test('when the input is unusable, then a TypeError names the field', () => {
    expect(() => buildOb3Credential(aCredentialInput({credentialId: 'not-a-urn'}))).toThrow(/credentialId/);
    expect(() => buildOb3Credential(aCredentialInput({issuedAt: new Date('x')}))).toThrow(TypeError);
  });
});
