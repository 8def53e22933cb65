import {aCredentialInput, aUnitContent} from '../../test/support/credential-inputs.js';
import {buildEdcCredential, buildOb3Credential} from '../credentials/profiles/index.js';
import {readFacts} from './facts.js';

type Json = Record<string, unknown>;

const BUILDERS: [string, () => Promise<Json>][] = [
  ['ob3', async () => buildOb3Credential(aCredentialInput({language: 'nl'}))],
  ['edc', async () => buildEdcCredential(aCredentialInput({language: 'nl'}))]
];

describe('readFacts', () => {
  describe.each(BUILDERS)('of a carecred %s credential', (profile, build) => {
    let credential: Json;
    beforeAll(async () => {
      credential = await build();
    });

    test.each([
      ['en', 'Video care in practice', 'Conducts a video care consultation safely.'],
      ['nl', 'Beeldzorg in de praktijk', 'Voert een beeldzorgconsult veilig uit.']
    ])('when read in %s, then the texts are in that language and every Annex I fact is there',
      (language, title, firstOutcome) => {
        const facts = readFacts({credential, preference: [language, 'en', 'nl']});

        expect(facts).toMatchObject({
          profile, title: {text: title, lang: language}, ectsCredits: 1, eqfLevel: 4, workloadHours: 28,
          assessment: {type: 'practical'},
          participation: {modes: ['blended', 'workbased']},
          awardedAt: '2025-03-10T14:00:00Z'
        });
        expect(facts.outcomes).toHaveLength(3);
        expect(facts.outcomes[0]).toEqual({text: firstOutcome, lang: language});
      });

    test('when the reader wants a language the credential lacks, then English is the fallback', () => {
      const facts = readFacts({credential, preference: ['de', 'en', 'nl']});

      expect(facts.title).toEqual({text: 'Video care in practice', lang: 'en'});
    });

    test('when it carries a grade, then the grade is a fact', () => {
      const facts = readFacts({credential, preference: ['nl']});

      expect(facts.grade?.text).toBe('8,5');
    });
  });

  test('when an EDC unit has a fractional workload, then its ISO duration is read back in hours', async () => {
    const input = aCredentialInput({content: aUnitContent({workloadHours: 12.5})});
    const credential = await buildEdcCredential(input);

    expect(readFacts({credential, preference: ['en']}).workloadHours).toBe(12.5);
  });

  test('when an OB3 credential has no carecred extension, then the plain OB3 terms are read', () => {
    const credential = {
      type: ['VerifiableCredential', 'OpenBadgeCredential'], awardedDate: '2024-02-01T00:00:00Z',
      credentialSubject: {type: ['AchievementSubject'], achievement: {
        name: 'Wound care informatics', inLanguage: 'en', creditsAvailable: 2.5,
        alignment: [
          {targetFramework: 'European Qualifications Framework', targetCode: '5'},
          {targetType: 'ceasn:Competency', targetName: 'Documents wounds digitally.'}
        ]
      }}
    };

    const facts = readFacts({credential, preference: ['nl', 'en']});

    expect(facts).toEqual({profile: 'ob3', title: {text: 'Wound care informatics', lang: 'en'},
      outcomes: [{text: 'Documents wounds digitally.', lang: 'en'}], ectsCredits: 2.5, eqfLevel: 5,
      awardedAt: '2024-02-01T00:00:00Z'});
  });

  test('when an EDC concept is not one carecred knows, then its label is kept', () => {
    const credential = {type: ['VerifiableCredential', 'EuropeanDigitalCredential'], credentialSubject: {
      hasClaim: [{title: {en: ['X']}, provenBy: [{specifiedBy: {
        dcType: {id: 'http://example.org/assessment/oral-defence', prefLabel: {en: ['oral defence']}},
        mode: [{id: 'http://example.org/mode/x', prefLabel: {en: ['Hybrid']}}]
      }}]}]
    }};

    const facts = readFacts({credential, preference: ['en']});

    expect(facts.assessment).toEqual({label: {text: 'oral defence', lang: 'en'}});
    expect(facts.participation).toEqual({modes: [], labels: [{text: 'Hybrid', lang: 'en'}]});
  });

  test.each([
    ['no credentialSubject', {}],
    ['a string subject', {credentialSubject: 'x'}],
    ['odd member types', {credentialSubject: {achievement: {name: 7, creditsAvailable: 'many',
      microCredential: {eqfLevel: [], learningOutcome: 'x'}}}}]
  ])('when the credential has %s, then it reads what it can without throwing', (_what, credential) => {
    expect(readFacts({credential, preference: ['en']}).outcomes).toEqual([]);
  });
});
