/**
 * What a person reads about a credential, taken from the credential itself (not from carecred's
 * catalogue), so the pages show what was signed and work for credentials of other issuers too:
 * the unit's title and description, learning outcomes, ECTS credits, EQF level, workload,
 * assessment, form of participation, grade and dates.
 *
 * Two shapes are read, one strategy per profile: Open Badges 3.0 (the achievement, with
 * carecred's micro-credential extension when present, else the plain OB 3.0 terms) and Europass
 * EDC (the learning achievement and its specification, with EU vocabulary concepts). Texts are
 * picked in the reader's language from whatever language form the credential uses (a plain
 * string, a language map, an ELM map of arrays, or JSON-LD value objects) and keep their
 * language, so the page can mark text in another language with `lang`.
 */
import {type LocalizedText, pickText} from '../catalog/index.js';

type Json = Record<string, unknown>;

/** The facts of one credential; every member is optional but `outcomes`. */
export interface CredentialFacts {
  profile?: 'ob3' | 'edc';
  title?: LocalizedText;
  description?: LocalizedText;
  outcomes: LocalizedText[];
  ectsCredits?: number;
  eqfLevel?: number;
  workloadHours?: number;
  /** carecred's assessment type code (unit-content.json) when known, else the credential's label. */
  assessment?: {type?: string; label?: LocalizedText};
  /** Participation modes (`online`, `onsite`, `blended`, `workbased`) when known, else labels. */
  participation?: {modes: string[]; labels: LocalizedText[]};
  grade?: LocalizedText;
  awardedAt?: string;
}

// EU vocabulary concepts (data.europa.eu/snb) carecred's Europass credentials use.
const SNB = 'http://data.europa.eu/snb';
const ASSESSMENT_CONCEPTS: Record<string, string> = {
  '6e6cb2cc78': 'exam', 'd30284d7df': 'oralExam', '6a4db9f11d': 'practical', '4f03b91c0e': 'portfolio',
  '795dac4096': 'project', '2939dae15f': 'assignment', 'b1b68f6735': 'quiz', '19a2e5e671': 'peerAssessment',
  'c_2b3bd410': 'selfAssessment', '3484bd7e51': 'continuousEvaluation'
};
const MODE_CONCEPTS: Record<string, string> = {
  '920fbb3cbe': 'online', '9191af2ed9': 'onsite', 'e92d221e4d': 'blended', '729f3bed4b': 'workbased'
};
const EQF_LEVEL = /\/snb\/eqf\/([1-8])$/;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function asNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/** Any language form as a plain map `{tag: text}`; a bare string gets `fallbackLang`. */
function toLanguageMap(value: unknown, fallbackLang: string): Record<string, string> | undefined {
  if(typeof value === 'string') {
    return {[fallbackLang]: value};
  }
  if(Array.isArray(value)) {
    const entries = value.filter(isObject).filter(entry => typeof entry['@value'] === 'string')
      .map(entry => [String(entry['@language'] ?? fallbackLang), entry['@value'] as string]);
    return entries.length ? Object.fromEntries(entries) :
      typeof value[0] === 'string' ? {[fallbackLang]: value[0]} : undefined;
  }
  if(!isObject(value)) {
    return undefined;
  }
  if(typeof value['@value'] === 'string') {
    return {[String(value['@language'] ?? fallbackLang)]: value['@value']};
  }
  const entries = Object.entries(value).map(([tag, text]) => [tag, first(text)])
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '');
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** Picks the reader's text from the first of `values` that has any. */
function textOf(preference: readonly string[], fallbackLang: string, ...values: unknown[]):
  LocalizedText | undefined {
  for(const value of values) {
    const map = toLanguageMap(value, fallbackLang);
    if(map) {
      return pickText(map, preference);
    }
  }
  return undefined;
}

function hoursOfDuration(duration: unknown): number | undefined {
  const match = typeof duration === 'string' ?
    /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration) :
    null;
  if(!match || duration === 'P' || duration === 'PT') {
    return undefined;
  }
  const [days, hours, minutes, seconds] = match.slice(1).map(part => Number(part ?? 0)) as number[];
  return Math.round((days! * 24 + hours! + minutes! / 60 + seconds! / 3600) * 100) / 100;
}

function conceptKey(concept: unknown, table: Record<string, string>, scheme: string): string | undefined {
  const id = isObject(concept) && typeof concept.id === 'string' ? concept.id : '';
  return id.startsWith(`${SNB}/${scheme}/`) ? table[id.slice(id.lastIndexOf('/') + 1)] : undefined;
}

function defined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

/** Open Badges 3.0: the achievement, with carecred's micro-credential extension when present. */
function ob3Facts(credential: Json, subject: Json, preference: readonly string[]): CredentialFacts {
  const achievement = isObject(subject.achievement) ? subject.achievement : {};
  const extension = isObject(achievement.microCredential) ? achievement.microCredential : {};
  const lang = typeof achievement.inLanguage === 'string' ? achievement.inLanguage : 'und';
  const alignments = list(achievement.alignment).filter(isObject);
  const competencies = alignments.filter(alignment => alignment.targetType === 'ceasn:Competency');
  const eqfAlignment = alignments.find(alignment => String(alignment.targetFramework ?? '')
    .includes('European Qualifications Framework'));
  const outcomes = list(extension.learningOutcome).filter(isObject).map(outcome => outcome.text);
  const mode = typeof extension.participationMode === 'string' ? extension.participationMode : undefined;
  const result = list(subject.result).find(isObject);
  return defined({
    profile: 'ob3' as const,
    title: textOf(preference, lang, extension.title, achievement.name, credential.name),
    description: textOf(preference, lang, extension.summary, achievement.description, credential.description),
    outcomes: (outcomes.length ? outcomes : competencies.map(alignment => alignment.targetName))
      .map(text => textOf(preference, lang, text)).filter((text): text is LocalizedText => !!text),
    ectsCredits: asNumber(achievement.creditsAvailable) ?? asNumber(subject.creditsEarned),
    eqfLevel: asNumber(extension.eqfLevel) ?? asNumber(eqfAlignment?.targetCode),
    workloadHours: asNumber(extension.workloadHours),
    assessment: typeof extension.assessmentType === 'string' ? {type: extension.assessmentType} : undefined,
    participation: mode ? {modes: extension.workExperience === true ? [mode, 'workbased'] : [mode],
      labels: []} : undefined,
    grade: textOf(preference, lang, result?.value),
    awardedAt: typeof credential.awardedDate === 'string' ? credential.awardedDate : undefined
  });
}

/** Europass EDC: the learning achievement, its specification and its assessment. */
function edcFacts(subject: Json, preference: readonly string[]): CredentialFacts {
  const claim = list(subject.hasClaim).find(isObject) ?? {};
  const spec = isObject(claim.specifiedBy) ? claim.specifiedBy : {};
  const assessment = list(claim.provenBy).find(isObject);
  const assessmentSpec = isObject(assessment?.specifiedBy) ? assessment.specifiedBy : {};
  const modes = list(spec.mode ?? assessmentSpec.mode);
  const credit = list(claim.creditReceived ?? spec.creditPoint).find(isObject);
  const dcType = assessmentSpec.dcType;
  const awardedBy = isObject(claim.awardedBy) ? claim.awardedBy : {};
  const grade = isObject(assessment?.grade) ? assessment.grade.noteLiteral : undefined;
  return defined({
    profile: 'edc' as const,
    title: textOf(preference, 'und', claim.title, spec.title),
    description: textOf(preference, 'und', claim.description, spec.description),
    outcomes: list(spec.learningOutcome).filter(isObject)
      .map(outcome => textOf(preference, 'und', outcome.title))
      .filter((text): text is LocalizedText => !!text),
    ectsCredits: asNumber(credit?.point),
    eqfLevel: list(spec.educationLevel).filter(isObject)
      .map(level => EQF_LEVEL.exec(String(level.id ?? ''))?.[1]).map(asNumber).find(level => level),
    workloadHours: hoursOfDuration(spec.volumeOfLearning),
    assessment: dcType ? {type: conceptKey(dcType, ASSESSMENT_CONCEPTS, 'assessment'),
      label: textOf(preference, 'und', isObject(dcType) ? dcType.prefLabel : undefined)} : undefined,
    participation: modes.length ? {
      modes: modes.map(mode => conceptKey(mode, MODE_CONCEPTS, 'learning-assessment'))
        .filter((mode): mode is string => !!mode),
      labels: modes.map(mode => textOf(preference, 'und', isObject(mode) ? mode.prefLabel : undefined))
        .filter((label): label is LocalizedText => !!label)} : undefined,
    grade: textOf(preference, 'und', grade),
    awardedAt: typeof awardedBy.awardingDate === 'string' ? awardedBy.awardingDate : undefined
  });
}

function isEdc(credential: Json, subject: Json): boolean {
  return list(credential.type).includes('EuropeanDigitalCredential') || subject.hasClaim !== undefined;
}

/**
 * Reads the facts of a credential for a reader.
 *
 * @param options.credential - the credential (the JWT payload for VC-JOSE).
 * @param options.preference - language tags, most wanted first (see `textPreference`).
 * @returns the facts; `outcomes` is empty when the credential lists none.
 */
export function readFacts({credential, preference}: {
  credential: Json; preference: readonly string[];
}): CredentialFacts {
  const subject = first(credential.credentialSubject);
  if(!isObject(subject)) {
    return {outcomes: []};
  }
  return isEdc(credential, subject) ? edcFacts(subject, preference) :
    ob3Facts(credential, subject, preference);
}
