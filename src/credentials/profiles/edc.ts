/**
 * The Europass Digital Credential profile (ELM 3.2, VC Data Model 2.0), shaped like the official
 * EDC micro-credential example: the learner (`Person`) has one `LearningAchievement` claim,
 * awarded by the issuing organisation, specified by a `LearningAchievementSpecification` that
 * carries the Annex I elements, and proven by a `LearningAssessment`.
 *
 * Choices:
 * - `LearningAchievementSpecification`, not `Qualification`: a micro-credential unit is a
 *   learning achievement, not a formal qualification; the EQF level therefore goes into
 *   `educationLevel` (`eqfLevel` exists only on Qualification) and the NLQF level, which has no
 *   NAL concept carecred can cite, into a note.
 * - `credentialSchema`: the ELM SHACL shape of the example, and the EBSI Trusted Schemas Registry
 *   id that the schema's publisher declares for this schema (`@cef-ebsi/vcdm2.0-europass-edc-schema`
 *   metadata, `0x4d40…a6e0`) rather than the older id in the example.
 * - ELM language maps use two-letter ISO 639-1 keys and arrays; names of persons carry one
 *   language (the primary one), as the schema requires.
 * - `credentialStatus`: the ELM schema's shape, see status-entries.ts.
 */
import {CREDENTIALS_V2_CONTEXT} from '../../platform/jsonld/contexts.js';
import {toDateTime, validUntilOf} from './dates.js';
import {type CredentialImageContent, renderCredentialImage} from './display-image.js';
import {ProfileNotApplicable} from './errors.js';
import {assertCredentialInput, definedOnly} from './input.js';
import {labelsFor} from './labels.js';
import {choosePrimaryLanguage, textIn, toElmLangMap, toIso6391} from './language.js';
import {edcCredentialStatus} from './status-entries.js';
import type {CredentialInput, JsonObject, LangMap, UnitContent} from './types.js';
import {assessmentTypeConcept, base64Encoding, countryConcept, ectsFramework, type ElmConcept,
  eqfLevelConcept, genericCredentialProfile, idVerificationConcept, iscedFConcept, languageConcept,
  learningModeConcepts, nonFormalLearningSetting, pngFileType, qualityAssuranceSubject,
  regionConcept} from './vocabularies.js';

/** The ELM application profile context of EDC credentials. */
export const EDC_CONTEXT = 'http://data.europa.eu/snb/model/context/edc-ap';

/** `credentialSchema` of every EDC credential (see the module note). */
export const EDC_CREDENTIAL_SCHEMAS = [
  {id: 'http://data.europa.eu/snb/model/ap/edc-generic-full', type: 'ShaclValidator2017'},
  {id: 'https://api-pilot.ebsi.eu/trusted-schemas-registry/v3/schemas/' +
    '0x4d40d34533797f62a8a03d7c4a4cd7827d289fadf1bfa582ec0ecfedbe55a6e0', type: 'JsonSchema'}
] as const;

/** The languages of an EDC credential: ISO 639-1 codes, the primary one first. */
interface EdcLanguages {
  primary: string;
  /** The unit language whose texts are the primary ones (a key of the title). */
  primaryTag: string;
  all: string[];
}

/**
 * Builds the unsigned EDC credential of an achievement, with one rendered PNG per language.
 *
 * @returns a new credential object (the input is not changed).
 * @throws TypeError if the input is unusable (see `assertCredentialInput`).
 * @throws ProfileNotApplicable if the unit has no text in a language with an ISO 639-1 code.
 */
export async function buildEdcCredential(input: CredentialInput): Promise<JsonObject> {
  assertCredentialInput(input);
  const languages = edcLanguages(input);
  const {content} = input.unit;
  const issuer = edcOrganisation(input, languages);
  return definedOnly({
    '@context': [CREDENTIALS_V2_CONTEXT, EDC_CONTEXT],
    id: input.credentialId,
    type: ['VerifiableCredential', 'VerifiableAttestation', 'EuropeanDigitalCredential'],
    credentialSchema: EDC_CREDENTIAL_SCHEMAS.map(schema => ({...schema})),
    credentialSubject: edcPerson(input, languages, issuer),
    issuer,
    issued: toDateTime(input.issuedAt),
    validFrom: toDateTime(input.issuedAt),
    validUntil: validUntilOf({issuedAt: input.issuedAt, validityMonths: content.credentialValidityMonths}),
    credentialProfiles: [genericCredentialProfile()],
    credentialStatus: edcCredentialStatus(input.status),
    evidence: input.achievement.evidenceUrl === undefined ? undefined :
      [{id: input.achievement.evidenceUrl, type: 'Evidence'}],
    displayParameter: await edcDisplayParameter(input, languages)
  });
}

function edcLanguages(input: CredentialInput): EdcLanguages {
  const {content} = input.unit;
  const title = toElmLangMap(content.title);
  const primaryTag = choosePrimaryLanguage({content, requested: input.language});
  const fromPrimary = toIso6391(primaryTag);
  const primary = fromPrimary && fromPrimary in title ? fromPrimary : Object.keys(title)[0];
  if(!primary) {
    throw new ProfileNotApplicable('edc',
      'A Europass credential needs the unit\'s title in a language with a two-letter ISO 639-1 code.');
  }
  return {primary, primaryTag: fromPrimary === primary ? primaryTag : primary,
    all: [primary, ...Object.keys(title).filter(code => code !== primary)]};
}

/** A language map in ELM form; a map with no usable language falls back to the primary one. */
function elmText(map: LangMap, languages: EdcLanguages): Record<string, string[]> {
  const converted = toElmLangMap(map);
  return Object.keys(converted).length ? converted :
    {[languages.primary]: [textIn(map, languages.primaryTag)]};
}

/** The same text in every language of the credential (fixed labels). */
function labelText(languages: EdcLanguages, pick: (labels: ReturnType<typeof labelsFor>) => string):
  Record<string, string[]> {
  return Object.fromEntries(languages.all.map(code => [code, [pick(labelsFor(code))]]));
}

function note({id, text, subject}: {id: string; text: Record<string, string[]>; subject?: ElmConcept}):
  JsonObject {
  return definedOnly({id, type: 'Note', noteLiteral: text, subject});
}

function edcOrganisation({issuer, unit, credentialId}: CredentialInput, languages: EdcLanguages): JsonObject {
  const country = unit.content.country ?? issuer.country;
  const region = unit.content.country === undefined ? unit.content.region ?? issuer.region :
    unit.content.region;
  return definedOnly({
    id: issuer.did,
    type: 'Organisation',
    legalName: elmText(issuer.name, languages),
    location: [definedOnly({
      id: `${credentialId}#issuer-location`, type: 'Location',
      address: [{id: `${credentialId}#issuer-address`, type: 'Address', countryCode: countryConcept(country)}],
      spatialCode: region === undefined ? undefined : [regionConcept(region)]
    })],
    homepage: issuer.url === undefined ? undefined : [{type: 'WebResource', contentURL: issuer.url}],
    contactPoint: issuer.email === undefined ? undefined : [{type: 'ContactPoint',
      emailAddress: [{id: `mailto:${issuer.email}`, type: 'Mailbox'}]}]
  });
}

function edcPerson(input: CredentialInput, languages: EdcLanguages, issuer: JsonObject): JsonObject {
  const {learner, credentialId} = input;
  const name = (text: string) => ({[languages.primary]: [text]});
  return definedOnly({
    id: learner.did,
    type: 'Person',
    identifier: learner.externalId === undefined ? undefined : [{id: `${credentialId}#learner-identifier`,
      type: 'Identifier', notation: learner.externalId, schemeName: labelsFor(languages.primary).studentNumber}],
    givenName: name(learner.givenName),
    familyName: name(learner.familyName),
    fullName: name(`${learner.givenName} ${learner.familyName}`),
    hasClaim: [edcLearningAchievement(input, languages, issuer)]
  });
}

function edcLearningAchievement(input: CredentialInput, languages: EdcLanguages, issuer: JsonObject):
  JsonObject {
  const {credentialId, unit, achievement} = input;
  const {content} = unit;
  return definedOnly({
    id: `${credentialId}#achievement`,
    type: 'LearningAchievement',
    title: elmText(content.title, languages),
    description: content.description && elmText(content.description, languages),
    awardedBy: awardingProcess({id: `${credentialId}#awarding`, issuer, date: achievement.achievedAt}),
    creditReceived: content.ectsCredits === undefined ? undefined :
      [creditPoint(`${credentialId}#credit-received`, content.ectsCredits)],
    provenBy: [edcAssessment(input, languages, issuer)],
    specifiedBy: edcSpecification(input, languages)
  });
}

function awardingProcess({id, issuer, date}: {id: string; issuer: JsonObject; date: Date}): JsonObject {
  return {id, type: 'AwardingProcess', awardingBody: [issuer], awardingDate: toDateTime(date)};
}

function creditPoint(id: string, ects: number): JsonObject {
  return {id, type: 'CreditPoint', framework: ectsFramework(), point: String(ects)};
}

function edcAssessment(input: CredentialInput, languages: EdcLanguages, issuer: JsonObject): JsonObject {
  const {credentialId, unit, achievement} = input;
  const {content} = unit;
  const grade = achievement.grade === undefined ? labelText(languages, labels => labels.passed) :
    {[languages.primary]: [achievement.grade]};
  return definedOnly({
    id: `${credentialId}#assessment`,
    type: 'LearningAssessment',
    title: labelText(languages, labels => labels.assessment),
    grade: note({id: `${credentialId}#grade`, text: grade}),
    awardedBy: awardingProcess({id: `${credentialId}#assessment-awarding`, issuer, date: achievement.achievedAt}),
    dateIssued: toDateTime(achievement.achievedAt),
    idVerification: content.identityVerification && idVerificationConcept(content.identityVerification),
    assessedBy: achievement.assessor === undefined ? undefined :
      [{type: 'Person', fullName: {[languages.primary]: [achievement.assessor]}}],
    specifiedBy: definedOnly({
      id: `${unit.publicUrl}#assessment`,
      type: 'LearningAssessmentSpecification',
      title: labelText(languages, labels => labels.assessment),
      dcType: content.assessmentType && assessmentTypeConcept(content.assessmentType),
      mode: content.participationForm && learningModeConcepts(content.participationForm),
      gradingScheme: content.gradingScheme && {id: `${unit.publicUrl}#grading-scheme`, type: 'GradingScheme',
        title: elmText(content.gradingScheme, languages)}
    })
  });
}

function edcSpecification(input: CredentialInput, languages: EdcLanguages): JsonObject {
  const {unit} = input;
  const {content} = unit;
  const notes = specificationNotes(unit.publicUrl, content, languages);
  return definedOnly({
    id: unit.publicUrl,
    type: 'LearningAchievementSpecification',
    title: elmText(content.title, languages),
    description: content.description && elmText(content.description, languages),
    learningOutcome: content.learningOutcomes?.map((outcome, index) => definedOnly({
      id: `${unit.publicUrl}#outcome-${index + 1}`, type: 'LearningOutcome', title: elmText(outcome.text, languages),
      relatedESCOSkill: outcome.escoSkill === undefined ? undefined : [escoSkill(outcome.escoSkill)]
    })),
    creditPoint: content.ectsCredits === undefined ? undefined :
      [creditPoint(`${unit.publicUrl}#credit-point`, content.ectsCredits)],
    volumeOfLearning: content.workloadHours === undefined ? undefined : isoDuration(content.workloadHours),
    educationLevel: content.eqfLevel === undefined ? undefined : [eqfLevelConcept(content.eqfLevel)],
    mode: content.participationForm && learningModeConcepts(content.participationForm),
    learningSetting: nonFormalLearningSetting(),
    thematicArea: content.iscedF === undefined ? undefined : [iscedFConcept(content.iscedF)],
    language: instructionLanguages(content, languages).map(languageConcept),
    entryRequirement: content.prerequisites &&
      note({id: `${unit.publicUrl}#entry-requirement`, text: elmText(content.prerequisites, languages)}),
    additionalNote: notes.length ? notes : undefined,
    homepage: content.furtherInformationUrl === undefined ? undefined :
      [{type: 'WebResource', contentURL: content.furtherInformationUrl}],
    isPartOf: content.stackability?.countsTowards?.map(target => definedOnly({
      id: target.url, type: 'LearningAchievementSpecification', title: elmText(target.title, languages)
    }))
  });
}

function escoSkill(uri: string): ElmConcept {
  return {id: uri, type: 'Concept', inScheme: {id: 'http://data.europa.eu/esco/concept-scheme/skills',
    type: 'ConceptScheme'}, notation: 'Skill'};
}

/** Hours as an ISO 8601 duration with integer fields (`12.5` → `PT12H30M`). */
function isoDuration(hours: number): string {
  const seconds = Math.round(hours * 3600);
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor(seconds % 3600 / 60), seconds % 60];
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}

/** Languages of instruction with an ISO 639-1 code; else the credential's languages. */
function instructionLanguages(content: UnitContent, languages: EdcLanguages): string[] {
  const codes = (content.languages ?? []).map(toIso6391).filter((code): code is string => !!code);
  return [...new Set(codes.length ? codes : languages.all)];
}

/** Quality assurance, NLQF level, volunteering and stand-alone status: Annex I without an ELM field. */
function specificationNotes(specId: string, content: UnitContent, languages: EdcLanguages): JsonObject[] {
  const notes: JsonObject[] = [];
  if(content.qualityAssurance) {
    notes.push(note({id: `${specId}#quality-assurance`, text: elmText(content.qualityAssurance, languages),
      subject: qualityAssuranceSubject()}));
  }
  const facts = [
    content.nlqfLevel === undefined ? undefined : `NLQF level ${content.nlqfLevel}`,
    content.participationForm?.volunteering ? 'Includes volunteering' : undefined,
    content.stackability?.standalone === undefined ? undefined :
      (content.stackability.standalone ? 'Stand-alone micro-credential' : 'Not a stand-alone micro-credential')
  ].filter((fact): fact is string => !!fact);
  if(facts.length) {
    notes.push(note({id: `${specId}#further-information`, text: {en: [facts.join('. ') + '.']}}));
  }
  return notes;
}

async function edcDisplayParameter(input: CredentialInput, languages: EdcLanguages): Promise<JsonObject> {
  const {credentialId, unit} = input;
  const {content} = unit;
  const individualDisplay = await Promise.all(languages.all.map(async code => ({
    id: `${credentialId}#display-${code}`,
    type: 'IndividualDisplay',
    language: languageConcept(code),
    displayDetail: [{
      id: `${credentialId}#display-${code}-page-1`, type: 'DisplayDetail', page: 1,
      image: {id: `${credentialId}#display-${code}-image`, type: 'MediaObject',
        content: (await (input.renderImage ?? renderCredentialImage)(imageContent(input, code)))
          .toString('base64'),
        contentEncoding: base64Encoding(), contentType: pngFileType()}
    }]
  })));
  return definedOnly({
    id: `${credentialId}#display`,
    type: 'DisplayParameter',
    title: elmText(content.title, languages),
    description: content.description && elmText(content.description, languages),
    language: languages.all.map(languageConcept),
    primaryLanguage: languageConcept(languages.primary),
    individualDisplay
  });
}

function imageContent(input: CredentialInput, code: string): CredentialImageContent {
  const {content} = input.unit;
  const validUntil = validUntilOf({issuedAt: input.issuedAt,
    validityMonths: content.credentialValidityMonths});
  return {
    language: code, title: textIn(content.title, code), issuerName: textIn(input.issuer.name, code),
    learnerName: `${input.learner.givenName} ${input.learner.familyName}`, issuedAt: input.issuedAt,
    validUntil: validUntil === undefined ? undefined : new Date(validUntil),
    ectsCredits: content.ectsCredits, eqfLevel: content.eqfLevel, workloadHours: content.workloadHours,
    credentialId: input.credentialId
  };
}
