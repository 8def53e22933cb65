/**
 * The EU controlled vocabularies (Europass / ELM NALs) carecred's credentials refer to, as ELM
 * `Concept` objects. Sources, as in shared/standards/README.md §4: concept ids marked [E] appear in
 * the official EDC example, [X] in other official EDC examples, [3P] only in third-party EDC
 * tooling (to be checked against the EU Vocabularies before production). Where no id could be
 * confirmed offline (supervision & identity verification, ISO 3166-2 regions) the concept is
 * written without `id`, with its scheme and label: honest, and valid ELM (a Concept needs no id).
 */
import languages from '@cospired/i18n-iso-languages';
import countries from 'i18n-iso-countries';

import type {AssessmentType, IdentityVerification, ParticipationMode} from './types.js';

/** An ELM `Concept`. */
export interface ElmConcept {
  id?: string;
  type: 'Concept';
  inScheme?: {id: string; type: 'ConceptScheme'};
  prefLabel?: Record<string, string[]>;
  notation?: string;
}

const SNB = 'http://data.europa.eu/snb';
const AUTHORITY = 'http://publications.europa.eu/resource/authority';

function concept({id, scheme, label, notation}: {
  id?: string; scheme?: string; label?: string; notation?: string;
}): ElmConcept {
  return {
    ...(id === undefined ? {} : {id}),
    type: 'Concept',
    ...(scheme === undefined ? {} : {inScheme: {id: scheme, type: 'ConceptScheme'}}),
    ...(label === undefined ? {} : {prefLabel: {en: [label]}}),
    ...(notation === undefined ? {} : {notation})
  };
}

/** [E] The credential profile "Generic" (credential-type NAL). */
export function genericCredentialProfile(): ElmConcept {
  return concept({id: `${SNB}/credential/e34929035b`, scheme: `${SNB}/credential/25831c2`,
    label: 'Generic'});
}

/** [E] The European Credit Transfer System (education-credit NAL). */
export function ectsFramework(): ElmConcept {
  return concept({id: `${SNB}/education-credit/6fcec5c5af`, scheme: `${SNB}/education-credit/25831c2`,
    label: 'European Credit Transfer System'});
}

/** [X] An EQF level concept, `http://data.europa.eu/snb/eqf/<1..8>`. */
export function eqfLevelConcept(level: number): ElmConcept {
  return concept({id: `${SNB}/eqf/${level}`, scheme: `${SNB}/eqf/25831c2`, label: `Level ${level}`});
}

/** The EQF level IRI (also used by the OB3 alignment). */
export function eqfLevelUrl(level: number): string {
  return `${SNB}/eqf/${level}`;
}

const LEARNING_MODES: Record<ParticipationMode | 'workbased', {id: string; label: string}> = {
  online: {id: '920fbb3cbe', label: 'Online'},          // [X]
  onsite: {id: '9191af2ed9', label: 'Presential'},      // [3P]
  blended: {id: 'e92d221e4d', label: 'Blended'},        // [3P]
  workbased: {id: '729f3bed4b', label: 'Workbased'}     // [3P]
};

/**
 * The modes of learning and assessment of a unit (learning-assessment NAL): its mode, plus
 * "work-based" when it includes work experience.
 *
 * @returns one or two concepts.
 */
export function learningModeConcepts({mode, workExperience}: {
  mode: ParticipationMode; workExperience?: boolean;
}): ElmConcept[] {
  const modes: (ParticipationMode | 'workbased')[] = workExperience ? [mode, 'workbased'] : [mode];
  return modes.map(key => concept({id: `${SNB}/learning-assessment/${LEARNING_MODES[key].id}`,
    scheme: `${SNB}/learning-assessment/25831c2`, label: LEARNING_MODES[key].label}));
}

/**
 * [3P] "non-formal learning" (learning-setting NAL). A unit has no field for its setting; most
 * micro-credentials are non-formal learning, so carecred states that.
 */
export function nonFormalLearningSetting(): ElmConcept {
  return concept({id: `${SNB}/learning-setting/e207a81fc7`, scheme: `${SNB}/learning-setting/25831c2`,
    label: 'non-formal learning'});
}

const ASSESSMENT_TYPES: Record<AssessmentType, {id: string; label: string}> = {
  exam: {id: '6e6cb2cc78', label: 'written examination'},
  oralExam: {id: 'd30284d7df', label: 'oral examination'},
  practical: {id: '6a4db9f11d', label: 'practical assessment'},
  // Observation in practice is a practical assessment; the NAL has no narrower concept.
  observation: {id: '6a4db9f11d', label: 'practical assessment'},
  portfolio: {id: '4f03b91c0e', label: 'portfolio'},
  project: {id: '795dac4096', label: 'project work'},
  assignment: {id: '2939dae15f', label: 'marked assignment'},
  quiz: {id: 'b1b68f6735', label: 'quiz'},
  peerAssessment: {id: '19a2e5e671', label: 'peer assessment'},
  selfAssessment: {id: 'c_2b3bd410', label: 'Self-assessment'},
  continuousEvaluation: {id: '3484bd7e51', label: 'continuous evaluation'}
};

/** [3P] The assessment-type concept of a unit's assessment type. */
export function assessmentTypeConcept(type: AssessmentType): ElmConcept {
  const {id, label} = ASSESSMENT_TYPES[type];
  return concept({id: `${SNB}/assessment/${id}`, scheme: `${SNB}/assessment/25831c2`, label});
}

const ID_VERIFICATION_LABELS: Record<IdentityVerification, string> = {
  none: 'Unsupervised with no identity verification',
  supervised: 'Supervised with no identity verification',
  onsite: 'Supervised on site with identity verification',
  onlineProctored: 'Supervised online with identity verification'
};

/** Supervision & identity verification (scheme and Annex I wording; NAL ids not confirmed). */
export function idVerificationConcept(verification: IdentityVerification): ElmConcept {
  return concept({scheme: `${SNB}/supervision-verification/25831c2`,
    label: ID_VERIFICATION_LABELS[verification], notation: verification});
}

// ISCED-F 2013 (UNESCO): every broad and narrow field, and the detailed fields of ICT and of
// health and welfare, the fields carecred's units are in. Other detailed codes take the label
// of their narrow field.
const ISCED_F_LABELS: Record<string, string> = {
  '00': 'Generic programmes and qualifications', '001': 'Basic programmes and qualifications',
  '002': 'Literacy and numeracy', '003': 'Personal skills and development',
  '01': 'Education', '011': 'Education',
  '02': 'Arts and humanities', '021': 'Arts', '022': 'Humanities (except languages)',
  '023': 'Languages',
  '03': 'Social sciences, journalism and information', '031': 'Social and behavioural sciences',
  '032': 'Journalism and information',
  '04': 'Business, administration and law', '041': 'Business and administration', '042': 'Law',
  '05': 'Natural sciences, mathematics and statistics', '051': 'Biological and related sciences',
  '052': 'Environment', '053': 'Physical sciences', '054': 'Mathematics and statistics',
  '06': 'Information and Communication Technologies (ICTs)',
  '061': 'Information and Communication Technologies (ICTs)', '0611': 'Computer use',
  '0612': 'Database and network design and administration',
  '0613': 'Software and applications development and analysis',
  '0619': 'Information and Communication Technologies (ICTs) not elsewhere classified',
  '0688': 'Inter-disciplinary programmes and qualifications involving ICTs',
  '07': 'Engineering, manufacturing and construction', '071': 'Engineering and engineering trades',
  '072': 'Manufacturing and processing', '073': 'Architecture and construction',
  '08': 'Agriculture, forestry, fisheries and veterinary', '081': 'Agriculture', '082': 'Forestry',
  '083': 'Fisheries', '084': 'Veterinary',
  '09': 'Health and welfare', '091': 'Health', '0911': 'Dental studies', '0912': 'Medicine',
  '0913': 'Nursing and midwifery', '0914': 'Medical diagnostic and treatment technology',
  '0915': 'Therapy and rehabilitation', '0916': 'Pharmacy',
  '0917': 'Traditional and complementary medicine and therapy',
  '0919': 'Health not elsewhere classified', '092': 'Welfare',
  '0921': 'Care of the elderly and of disabled adults', '0922': 'Child care and youth services',
  '0923': 'Social work and counselling', '0929': 'Welfare not elsewhere classified',
  '0988': 'Inter-disciplinary programmes and qualifications involving health and welfare',
  '10': 'Services', '101': 'Personal services', '102': 'Hygiene and occupational health services',
  '103': 'Security services', '104': 'Transport services'
};

/**
 * The English label of an ISCED-F 2013 code (the longest known prefix).
 *
 * @returns the label, or undefined for an unknown code.
 */
export function iscedFLabel(code: string): string | undefined {
  for(let length = code.length; length >= 2; length--) {
    const label = ISCED_F_LABELS[code.slice(0, length)];
    if(label) {
      return label;
    }
  }
  return undefined;
}

/** [3P] pattern: the ISCED-F concept of a field code. */
export function iscedFConcept(code: string): ElmConcept {
  return concept({id: `${SNB}/isced-f/${code}`, scheme: `${SNB}/isced-f/25831c2`,
    label: iscedFLabel(code)});
}

/**
 * [E] The country NAL concept of an ISO 3166-1 alpha-2 code (the NAL uses alpha-3).
 *
 * @throws Error if the code is not an ISO 3166-1 country (the contract prevents that).
 */
export function countryConcept(alpha2: string): ElmConcept {
  const alpha3 = countries.alpha2ToAlpha3(alpha2);
  if(!alpha3) {
    throw new Error(`not an ISO 3166-1 alpha-2 code: ${alpha2}`);
  }
  return concept({id: `${AUTHORITY}/country/${alpha3}`, scheme: `${AUTHORITY}/country`,
    label: countries.getName(alpha2, 'en'), notation: 'country'});
}

/** The English name of a country (for OB3 `addressCountry`). */
export function countryName(alpha2: string): string | undefined {
  return countries.getName(alpha2, 'en');
}

/**
 * An ISO 3166-2 region as a concept: the code as notation (no ATU NAL id is known for it).
 *
 * @returns the concept.
 */
export function regionConcept(code: string): ElmConcept {
  return concept({notation: code});
}

/**
 * [E] The language NAL concept of an ISO 639-1 code (the NAL uses ISO 639-2/T codes: `nl` → NLD).
 *
 * @throws Error if the code has no ISO 639-2/T equivalent.
 */
export function languageConcept(iso6391: string): ElmConcept {
  const alpha3 = languages.alpha2ToAlpha3T(iso6391);
  if(!alpha3) {
    throw new Error(`not an ISO 639-1 code: ${iso6391}`);
  }
  return concept({id: `${AUTHORITY}/language/${alpha3.toUpperCase()}`, scheme: `${AUTHORITY}/language`,
    label: languages.getName(iso6391, 'en'), notation: 'language'});
}

/** [E] The "base64" content encoding (encoding NAL). */
export function base64Encoding(): ElmConcept {
  return concept({id: `${SNB}/encoding/6146cde7dd`, scheme: `${SNB}/encoding/25831c2`, label: 'base64'});
}

/** [X] The PNG file type (file-type NAL). */
export function pngFileType(): ElmConcept {
  return concept({id: `${AUTHORITY}/file-type/PNG`, scheme: `${AUTHORITY}/file-type`, label: 'PNG',
    notation: 'file-type'});
}

/**
 * The subject of the quality-assurance note (no ELM NAL names Annex I's "type of quality
 * assurance", so carecred marks the note with its own notation; the profile check finds it by it).
 */
export function qualityAssuranceSubject(): ElmConcept {
  return concept({label: 'Quality assurance', notation: 'carecred:quality-assurance'});
}
