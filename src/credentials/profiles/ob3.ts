/**
 * The Open Badges 3.0 profile: an unsigned 1EdTech `OpenBadgeCredential` (VC Data Model 2.0).
 *
 * Languages: OB3 text fields are plain strings, so `name`, `description`, `criteria.narrative`
 * and the issuer's name are written in the credential's primary language (`input.language`, else
 * the unit's first language), which `achievement.inLanguage` states. Every language of the unit
 * is kept, as JSON-LD language maps, in carecred's extension (`achievement.microCredential`), so
 * no translation is lost and each text carries its language tag in RDF.
 *
 * The Annex I elements OB3 has no term for (workload, assessment type, participation form,
 * quality assurance, identity verification, prerequisites, stackability, NLQF level, country and
 * region) are in that extension, defined by carecred's context (see context.ts).
 */
import {CREDENTIALS_V2_CONTEXT, OB3_CONTEXT} from '../../platform/jsonld/contexts.js';
import {microCredentialContextUrl} from './context.js';
import {toDateTime, validUntilOf} from './dates.js';
import {assertCredentialInput, definedOnly} from './input.js';
import {labelsFor} from './labels.js';
import {choosePrimaryLanguage, normaliseLanguageTag, textIn} from './language.js';
import {ob3CredentialStatus} from './status-entries.js';
import type {CredentialInput, JsonObject, UnitContent} from './types.js';
import {countryName, eqfLevelUrl, iscedFLabel} from './vocabularies.js';

/** 1EdTech's context defining `1EdTechJsonSchemaValidator2019` (not in the OB 3.0 context). */
export const OB3_EXTENSIONS_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json';

/** The 1EdTech JSON Schema of an AchievementCredential, as OB 3.0 references it. */
export const OB3_CREDENTIAL_SCHEMA_ID =
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';

/**
 * Builds the unsigned OB3 credential of an achievement.
 *
 * @returns a new credential object (the input is not changed).
 * @throws TypeError if the input is unusable (see `assertCredentialInput`).
 */
export function buildOb3Credential(input: CredentialInput): JsonObject {
  assertCredentialInput(input);
  const {content} = input.unit;
  const language = choosePrimaryLanguage({content, requested: input.language});
  return definedOnly({
    '@context': [CREDENTIALS_V2_CONTEXT, OB3_CONTEXT, OB3_EXTENSIONS_CONTEXT,
      microCredentialContextUrl(input.publicBaseUrl)],
    id: input.credentialId,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: textIn(content.title, language),
    description: content.description && textIn(content.description, language),
    issuer: ob3Issuer(input, language),
    validFrom: toDateTime(input.issuedAt),
    validUntil: validUntilOf({issuedAt: input.issuedAt, validityMonths: content.credentialValidityMonths}),
    awardedDate: toDateTime(input.achievement.achievedAt),
    credentialSubject: ob3Subject(input, language),
    evidence: input.achievement.evidenceUrl === undefined ? undefined :
      [{id: input.achievement.evidenceUrl, type: ['Evidence']}],
    credentialStatus: ob3CredentialStatus(input.status),
    credentialSchema: [{id: OB3_CREDENTIAL_SCHEMA_ID, type: '1EdTechJsonSchemaValidator2019'}]
  });
}

function ob3Issuer({issuer, unit}: CredentialInput, language: string): JsonObject {
  const country = unit.content.country ?? issuer.country;
  const region = unit.content.country === undefined ? unit.content.region ?? issuer.region :
    unit.content.region;
  return definedOnly({
    id: issuer.did,
    type: ['Profile'],
    name: textIn(issuer.name, language),
    url: issuer.url,
    email: issuer.email,
    address: definedOnly({
      type: ['Address'], addressCountry: countryName(country), addressCountryCode: country,
      addressRegion: region
    })
  });
}

/** The learner: by DID if known, else by the salted e-mail hash; the name as an IdentityObject. */
function ob3Subject(input: CredentialInput, language: string): JsonObject {
  const {learner, achievement, unit} = input;
  const identifier: JsonObject[] = [{type: 'IdentityObject', identityType: 'name', hashed: false,
    identityHash: `${learner.givenName} ${learner.familyName}`}];
  if(learner.did === undefined && learner.emailIdentity) {
    identifier.push({type: 'IdentityObject', identityType: 'emailAddress', hashed: true,
      identityHash: learner.emailIdentity.identityHash, salt: learner.emailIdentity.salt});
  }
  if(learner.externalId !== undefined) {
    identifier.push({type: 'IdentityObject', identityType: 'sisSourcedId', hashed: false,
      identityHash: learner.externalId});
  }
  return definedOnly({
    id: learner.did,
    type: ['AchievementSubject'],
    identifier,
    achievement: ob3Achievement(input, language),
    creditsEarned: unit.content.ectsCredits,
    result: [definedOnly({
      type: ['Result'], status: 'Completed', value: achievement.grade,
      resultDescription: achievement.grade === undefined ? undefined : gradeDescriptionId(input),
      assessor: achievement.assessor
    })]
  });
}

function gradeDescriptionId({unit}: CredentialInput): string {
  return `${unit.publicUrl}#grade`;
}

function ob3Achievement(input: CredentialInput, language: string): JsonObject {
  const {unit, achievement} = input;
  const {content} = unit;
  const alignment = ob3Alignments(content, language);
  return definedOnly({
    id: unit.publicUrl,
    type: ['Achievement'],
    achievementType: 'MicroCredential',
    name: textIn(content.title, language),
    description: textIn(content.description ?? content.title, language),
    criteria: {narrative: criteriaNarrative(content, language)},
    creditsAvailable: content.ectsCredits,
    fieldOfStudy: content.iscedF === undefined ? undefined :
      `${iscedFLabel(content.iscedF) ?? 'ISCED-F'} (ISCED-F ${content.iscedF})`,
    inLanguage: normaliseLanguageTag(language),
    humanCode: unit.unitId,
    version: String(unit.version),
    tag: content.tags?.length ? [...content.tags] : undefined,
    image: content.image === undefined ? undefined :
      {id: content.image, type: 'Image', caption: textIn(content.title, language)},
    alignment: alignment.length ? alignment : undefined,
    resultDescription: achievement.grade === undefined ? undefined : [{
      id: gradeDescriptionId(input), type: ['ResultDescription'],
      name: content.gradingScheme ? textIn(content.gradingScheme, language) : labelsFor(language).grade,
      resultType: 'Result'
    }],
    microCredential: microCredentialElements(content)
  });
}

/** Learning outcomes as a Markdown list, and the prerequisites, in the primary language. */
function criteriaNarrative(content: UnitContent, language: string): string {
  const labels = labelsFor(language);
  const outcomes = (content.learningOutcomes ?? []).map(outcome => `- ${textIn(outcome.text, language)}`);
  const sections = outcomes.length ? [`${labels.learningOutcomes}:\n\n${outcomes.join('\n')}`] : [];
  if(content.prerequisites) {
    sections.push(`${labels.prerequisites}: ${textIn(content.prerequisites, language)}`);
  }
  return sections.length ? sections.join('\n\n') : textIn(content.description ?? content.title, language);
}

/** Alignments: ESCO skills of the outcomes, the EQF level, credentials this unit counts towards. */
function ob3Alignments(content: UnitContent, language: string): JsonObject[] {
  const skills = (content.learningOutcomes ?? []).filter(outcome => outcome.escoSkill).map(outcome => ({
    type: ['Alignment'], targetName: textIn(outcome.text, language), targetUrl: outcome.escoSkill,
    targetFramework: 'ESCO', targetCode: outcome.escoSkill!.split('/').pop(), targetType: 'ceasn:Competency'
  }));
  const level = content.eqfLevel === undefined ? [] : [{
    type: ['Alignment'], targetName: `EQF level ${content.eqfLevel}`, targetUrl: eqfLevelUrl(content.eqfLevel),
    targetFramework: 'European Qualifications Framework', targetCode: String(content.eqfLevel)
  }];
  const stacks = (content.stackability?.countsTowards ?? []).filter(target => target.url).map(target => ({
    type: ['Alignment'], targetName: textIn(target.title, language), targetUrl: target.url,
    targetType: 'ceterms:Credential'
  }));
  return [...skills, ...level, ...stacks];
}

/** carecred's extension: every Annex I element OB3 has no term for, with all translations. */
function microCredentialElements(content: UnitContent): JsonObject {
  const form = content.participationForm;
  return definedOnly({
    type: 'MicroCredentialElements',
    title: {...content.title},
    summary: content.description && {...content.description},
    learningOutcome: content.learningOutcomes?.map(outcome =>
      definedOnly({type: 'LearningOutcome', text: {...outcome.text}, escoSkill: outcome.escoSkill})),
    workloadHours: content.workloadHours,
    assessmentType: content.assessmentType,
    participationMode: form?.mode,
    volunteering: form?.volunteering,
    workExperience: form?.workExperience,
    qualityAssurance: content.qualityAssurance && {...content.qualityAssurance},
    country: content.country,
    region: content.region,
    eqfLevel: content.eqfLevel,
    nlqfLevel: content.nlqfLevel === undefined ? undefined : String(content.nlqfLevel),
    prerequisites: content.prerequisites && {...content.prerequisites},
    identityVerification: content.identityVerification,
    gradingScheme: content.gradingScheme && {...content.gradingScheme},
    standalone: content.stackability?.standalone,
    countsTowards: content.stackability?.countsTowards?.map(target =>
      definedOnly({id: target.url, title: {...target.title}})),
    furtherInformation: content.furtherInformationUrl,
    instructionLanguage: content.languages?.length ? [...content.languages] : undefined,
    iscedF: content.iscedF
  });
}
