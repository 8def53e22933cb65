import {aCredentialInput, aUnitContent, SAMPLE_UNITS, TEST_ISSUER_DID, TEST_PUBLIC_BASE_URL,
  unitFixtures} from '../../../test/support/credential-inputs.js';
import {buildEdcCredential} from './edc.js';
import {ProfileNotApplicable} from './errors.js';
import {unitLanguages} from './language.js';
import {checkAnnexICompleteness, validateAgainstProfileSchema} from './schema-validation.js';

const UNITS = [...SAMPLE_UNITS, ...unitFixtures()];
const MATRIX = UNITS.flatMap(({name, content}) =>
  unitLanguages(content).map(language => ({name, language, content})));
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function claimOf(credential: Json): Json {
  return credential.credentialSubject.hasClaim[0];
}

/** Every language-map key in the document (objects whose keys are all 2-3 letter codes). */
function languageMapKeys(value: unknown, keys = new Set<string>()): Set<string> {
  if(Array.isArray(value)) {
    value.forEach(item => languageMapKeys(item, keys));
  } else if(value && typeof value === 'object') {
    for(const [key, child] of Object.entries(value)) {
      if(['title', 'description', 'legalName', 'noteLiteral', 'prefLabel', 'fullName'].includes(key)) {
        Object.keys(child as object).forEach(code => keys.add(code));
      }
      languageMapKeys(child, keys);
    }
  }
  return keys;
}

describe('buildEdcCredential: every unit in every language', () => {
  test.each(MATRIX)('when $name is issued in $language, then it is valid against the official EDC schema',
    async ({content, language}) => {
      const credential = await buildEdcCredential(aCredentialInput({content, language}));

      expect(validateAgainstProfileSchema('edc', credential)).toEqual({valid: true, errors: []});
      expect(checkAnnexICompleteness('edc', credential)).toEqual({valid: true, errors: []});
      expect([...languageMapKeys(credential)].every(code => /^[a-z]{2}$/.test(code))).toBe(true);
    });

  test.each(MATRIX)('when $name is issued in $language, then it has a rendered PNG per language, primary first',
    async ({content, language}) => {
      const credential = await buildEdcCredential(aCredentialInput({content, language})) as Json;

      const {displayParameter} = credential;
      const displays = displayParameter.individualDisplay as Json[];
      const languages = new Set(Object.keys(content.title).map(tag => tag.slice(0, 2)));
      expect(displays).toHaveLength(languages.size);
      expect(displayParameter.primaryLanguage).toEqual(displays[0]!.language);
      expect(displays[0]!.language.id).toMatch(/\/language\/[A-Z]{3}$/);
      for(const display of displays) {
        const {image} = display.displayDetail[0];
        const png = Buffer.from(image.content, 'base64');
        expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
        expect(png.length).toBeGreaterThan(10_000);
        expect(image.contentType.id).toBe('http://publications.europa.eu/resource/authority/file-type/PNG');
      }
    });
});

describe('buildEdcCredential: content', () => {
  test('when it is built, then it has the EDC types, dates, profile and schema of the example', async () => {
    const credential = await buildEdcCredential(aCredentialInput()) as Json;

    expect(credential.type).toEqual(['VerifiableCredential', 'VerifiableAttestation', 'EuropeanDigitalCredential']);
    expect(credential.issued).toBe('2025-03-14T10:15:30Z');
    expect(credential.validFrom).toBe('2025-03-14T10:15:30Z');
    expect(credential.validUntil).toBe('2028-03-14T10:15:30Z');
    expect(credential.credentialSchema.map((schema: Json) => schema.type)).toEqual(['ShaclValidator2017', 'JsonSchema']);
    expect(credential.credentialProfiles[0].id).toBe('http://data.europa.eu/snb/credential/e34929035b');
    expect(credential.issuer.id).toBe(TEST_ISSUER_DID);
    expect(credential.issuer.location[0].address[0].countryCode.id)
      .toBe('http://publications.europa.eu/resource/authority/country/NLD');
  });

  test('when it is built, then the specification carries the Annex I elements with EU concepts', async () => {
    const spec = claimOf(await buildEdcCredential(aCredentialInput()) as Json).specifiedBy;

    expect(spec.type).toBe('LearningAchievementSpecification');
    expect(spec.creditPoint[0]).toMatchObject({point: '1',
      framework: {id: 'http://data.europa.eu/snb/education-credit/6fcec5c5af'}});
    expect(spec.volumeOfLearning).toBe('PT28H');
    expect(spec.educationLevel[0].id).toBe('http://data.europa.eu/snb/eqf/4');
    expect(spec.mode.map((mode: Json) => mode.id)).toEqual(['http://data.europa.eu/snb/learning-assessment/e92d221e4d',
      'http://data.europa.eu/snb/learning-assessment/729f3bed4b']);
    expect(spec.thematicArea[0].id).toBe('http://data.europa.eu/snb/isced-f/0913');
    expect(spec.learningOutcome[0].relatedESCOSkill[0].id)
      .toBe('http://data.europa.eu/esco/skill/c624c6a3-b0ba-4a31-a296-0d433fe47e41');
    expect(spec.entryRequirement.noteLiteral.en).toEqual(['Care worker diploma or equivalent.']);
    expect(spec.additionalNote[0].subject.notation).toBe('carecred:quality-assurance');
  });

  test('when workload has a fraction of an hour, then the duration has whole minutes', async () => {
    const input = aCredentialInput({content: aUnitContent({workloadHours: 12.5})});

    const credential = await buildEdcCredential(input);

    expect(claimOf(credential).specifiedBy.volumeOfLearning).toBe('PT12H30M');
  });

  test('when it is built, then the assessment has the grade, type and identity verification', async () => {
    const assessment = claimOf(await buildEdcCredential(aCredentialInput()) as Json).provenBy[0];

    expect(assessment.grade.noteLiteral).toEqual({nl: ['8,5']});
    expect(assessment.specifiedBy.dcType.id).toBe('http://data.europa.eu/snb/assessment/6a4db9f11d');
    expect(assessment.idVerification.inScheme.id)
      .toBe('http://data.europa.eu/snb/supervision-verification/25831c2');
    expect(assessment.assessedBy).toEqual([{type: 'Person', fullName: {nl: ['M. Jansen']}}]);
  });

  test('when it is built, then both status positions are ELM status entries', async () => {
    const credential = await buildEdcCredential(aCredentialInput()) as Json;

    expect(credential.credentialStatus).toEqual([
      {id: `${TEST_PUBLIC_BASE_URL}/status/zorgcollege-noord/r1#94567`, type: 'CredentialStatus'},
      {id: `${TEST_PUBLIC_BASE_URL}/status/zorgcollege-noord/s1#1203`, type: 'CredentialStatus'}
    ]);
  });

  test('when the learner is named, then the names carry one language, as the schema demands', async () => {
    const credential = await buildEdcCredential(aCredentialInput({language: 'en'})) as Json;

    expect(credential.credentialSubject.fullName).toEqual({en: ['Fenna de Vries']});
    expect(credential.credentialSubject).not.toHaveProperty('id');
  });

  test('when optional fields are missing, then they are absent, never null', async () => {
    const input = aCredentialInput({content: SAMPLE_UNITS[1]!.content});
    delete input.achievement.grade;
    delete input.achievement.evidenceUrl;
    delete input.achievement.assessor;
    delete input.learner.externalId;

    const credential = await buildEdcCredential(input) as Json;

    expect(JSON.stringify(credential)).not.toContain('null');
    expect(credential).not.toHaveProperty('validUntil');
    expect(credential).not.toHaveProperty('evidence');
    expect(credential.credentialSubject).not.toHaveProperty('identifier');
    expect(claimOf(credential).provenBy[0].grade.noteLiteral.en).toEqual(['Passed']);
  });

  test('when a credential is built, then the input is not changed', async () => {
    const input = aCredentialInput();
    const before = structuredClone(input);

    const credential = await buildEdcCredential(input) as Json;
    claimOf(credential).title.nl.push('changed');

    expect(input).toEqual(before);
  });

  test('when the unit has no language with an ISO 639-1 code, then the profile is not applicable', async () => {
    const input = aCredentialInput({content: aUnitContent({title: {fil: 'Pangangalaga sa video'}})});

    await expect(buildEdcCredential(input)).rejects.toBeInstanceOf(ProfileNotApplicable);
  });
});
