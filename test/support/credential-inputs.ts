/**
 * Builders of profile-builder inputs for tests: realistic healthcare-technology units (Annex I
 * complete), learners and issuers, each overridable (`aUnitContent({...})`), and the unit
 * fixtures of `fixtures/units/*.json` when that folder exists.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

import type {CredentialInput, UnitContent} from '../../src/credentials/profiles/types.js';
import {projectPath} from '../../src/platform/paths.js';

export const TEST_PUBLIC_BASE_URL = 'http://carecred.test';
export const TEST_ISSUER_DID = 'did:web:carecred.test:issuers:zorgcollege-noord';

/**
 * A complete unit (Dutch and English), as a vocational college would publish it.
 *
 * @returns a new content object.
 */
export function aUnitContent(overrides: Partial<UnitContent> = {}): UnitContent {
  return {
    title: {nl: 'Beeldzorg in de praktijk', en: 'Video care in practice'},
    description: {
      nl: 'Je begeleidt cliënten via beeldbellen en kiest passende zorgtechnologie.',
      en: 'You support clients through video calls and choose suitable care technology.'
    },
    learningOutcomes: [
      {text: {nl: 'Voert een beeldzorgconsult veilig uit.', en: 'Conducts a video care consultation safely.'},
        escoSkill: 'http://data.europa.eu/esco/skill/c624c6a3-b0ba-4a31-a296-0d433fe47e41'},
      {text: {nl: 'Legt de werking van de app uit aan de cliënt.', en: 'Explains how the app works to the client.'}},
      {text: {nl: 'Werkt samen met mantelzorgers.', en: 'Works together with informal carers.'},
        escoSkill: 'http://data.europa.eu/esco/skill/60c78287-22eb-4103-9c8c-28deaa460da0'}
    ],
    workloadHours: 28,
    ectsCredits: 1,
    assessmentType: 'practical',
    participationForm: {mode: 'blended', volunteering: false, workExperience: true},
    qualityAssurance: {
      nl: 'Examencommissie van het college; NVAO-geaccrediteerde opleiding.',
      en: 'College examination board; NVAO-accredited programme.'
    },
    eqfLevel: 4,
    nlqfLevel: 4,
    prerequisites: {nl: 'Diploma verzorgende IG of gelijkwaardig.', en: 'Care worker diploma or equivalent.'},
    identityVerification: 'onsite',
    gradingScheme: {nl: 'Cijfer 1–10, 5,5 is voldoende', en: 'Grade 1–10, pass mark 5.5'},
    stackability: {standalone: true, countsTowards: [
      {title: {nl: 'Certificaat Zorgtechnologie', en: 'Certificate in Care Technology'},
        url: 'https://zorgcollege-noord.example.nl/certificaat-zorgtechnologie'}
    ]},
    furtherInformationUrl: 'https://zorgcollege-noord.example.nl/beeldzorg',
    languages: ['nl'],
    iscedF: '0913',
    tags: ['beeldzorg', 'zorgtechnologie'],
    credentialValidityMonths: 36,
    ...overrides
  };
}

/** Realistic units of different shapes, until `fixtures/units` is there (and beside it). */
export const SAMPLE_UNITS: {name: string; content: UnitContent}[] = [
  {name: 'video care (nl, en; everything)', content: aUnitContent()},
  {name: 'wound care informatics (en-GB, nl, de; online, no optional fields)', content: {
    title: {'en-GB': 'Wound care informatics', nl: 'Wondzorg-informatica', de: 'Wundversorgungsinformatik'},
    description: {'en-GB': 'Documenting wounds with photos and structured data.',
      nl: 'Wonden vastleggen met foto\'s en gestructureerde gegevens.',
      de: 'Wunden mit Fotos und strukturierten Daten dokumentieren.'},
    learningOutcomes: [{text: {'en-GB': 'Photographs a wound following the protocol.',
      nl: 'Fotografeert een wond volgens protocol.', de: 'Fotografiert eine Wunde nach Protokoll.'}}],
    workloadHours: 12.5, ectsCredits: 0.5, assessmentType: 'quiz',
    participationForm: {mode: 'online'},
    qualityAssurance: {'en-GB': 'Peer-reviewed by the hospital\'s training board.',
      nl: 'Getoetst door de opleidingsraad van het ziekenhuis.', de: 'Geprüft vom Ausbildungsrat der Klinik.'}
  }},
  {name: 'medication robot (nl only; onsite exam, EQF 5, graded)', content: {
    title: {nl: 'Werken met de medicijnrobot'},
    description: {nl: 'Veilig medicatie uitgeven met een medicijndispenser thuis.'},
    learningOutcomes: [{text: {nl: 'Stelt de medicijnrobot in.'},
      escoSkill: 'http://data.europa.eu/esco/skill/7dd94ad3-13d6-43fe-8b94-51fcbf67ced9'}],
    workloadHours: 56, ectsCredits: 2, assessmentType: 'exam',
    participationForm: {mode: 'onsite', volunteering: true},
    qualityAssurance: {nl: 'Interne kwaliteitszorg volgens het toetsbeleid.'},
    country: 'NL', region: 'NL-DR', eqfLevel: 5, nlqfLevel: 'entry', identityVerification: 'onlineProctored',
    iscedF: '0914', languages: ['nl']
  }}
];

/**
 * The demo units of `fixtures/units/*.json`: each file is `{organisation, unit}` (the unit
 * content as `POST /v1/units` takes it).
 *
 * @returns name and content per file.
 */
export function unitFixtures(): {name: string; content: UnitContent}[] {
  const folder = projectPath('fixtures', 'units');
  return readdirSync(folder).filter(file => file.endsWith('.json')).sort().map(file => {
    const {unit} = JSON.parse(readFileSync(join(folder, file), 'utf8')) as {unit: UnitContent};
    return {name: `fixtures/units/${file}`, content: unit};
  });
}

/**
 * A builder input for one unit, learner and issuer.
 *
 * @returns a new input.
 */
export function aCredentialInput(overrides: Partial<CredentialInput> & {content?: UnitContent} = {}):
  CredentialInput {
  const {content = aUnitContent(), ...rest} = overrides;
  return {
    credentialId: 'urn:uuid:3f1c2a4e-8b7d-4c6e-9a1b-2d3e4f5a6b7c',
    issuedAt: new Date('2025-03-14T10:15:30.123Z'),
    issuer: {did: TEST_ISSUER_DID, name: {nl: 'Zorgcollege Noord', en: 'Northern Care College'},
      url: 'https://zorgcollege-noord.example.nl', email: 'microcredentials@zorgcollege-noord.example.nl',
      country: 'NL', region: 'NL-GR'},
    unit: {unitId: 'beeldzorg', version: 2, content,
      publicUrl: `${TEST_PUBLIC_BASE_URL}/catalog/zorgcollege-noord/units/beeldzorg/versions/2`},
    learner: {givenName: 'Fenna', familyName: 'de Vries', externalId: 'S1234567',
      emailIdentity: {identityHash: 'sha256$0f6b5e0c2f1a3bcd6a8d0c6f6b2c4a1e9d7f3b5a2c8e6d4f1a3b5c7d9e0f2a4c',
        salt: '5c1e0b7a9d3f2e4c'}},
    achievement: {id: '65f0c0ffee0000000000abcd', achievedAt: new Date('2025-03-10T14:00:00Z'),
      grade: '8,5', evidenceUrl: 'https://zorgcollege-noord.example.nl/portfolio/S1234567/beeldzorg',
      assessor: 'M. Jansen'},
    status: {
      revocation: {statusListCredential: `${TEST_PUBLIC_BASE_URL}/status/zorgcollege-noord/r1`,
        statusListIndex: 94567},
      suspension: {statusListCredential: `${TEST_PUBLIC_BASE_URL}/status/zorgcollege-noord/s1`,
        statusListIndex: 1203}
    },
    publicBaseUrl: TEST_PUBLIC_BASE_URL,
    ...rest
  };
}
