/**
 * What the profile builders take: one achievement of one unit version by one learner, with the
 * issuer and the status list positions already decided. Everything is plain data; the builders
 * never read a database, the clock or a random source, so the same input always gives the same
 * credential.
 */
import type {components} from '../../generated/openapi.js';
import type {CredentialImageContent} from './display-image.js';

/** Text in one or more languages, keyed by BCP 47 tag (the contract's `LangMap`). */
export type LangMap = components['schemas']['lang-map'];
/** ISO 3166-1 alpha-2 country code (the contract's `CountryCode`). */
export type CountryCode = components['schemas']['country-code'];

/** An assessment type of `schemas/catalog/unit-content.json`. */
export type AssessmentType = 'exam' | 'oralExam' | 'practical' | 'portfolio' | 'observation' |
  'project' | 'assignment' | 'quiz' | 'peerAssessment' | 'selfAssessment' | 'continuousEvaluation';
/** Supervision and identity verification during assessment (unit-content.json). */
export type IdentityVerification = 'none' | 'supervised' | 'onsite' | 'onlineProctored';
/** Mode of participation (unit-content.json). */
export type ParticipationMode = 'online' | 'onsite' | 'blended';
/** NLQF level (unit-content.json). */
export type NlqfLevel = 'entry' | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/**
 * A unit version's content, the shape of `schemas/catalog/unit-content.json` (declared once here
 * because the contract does not expose that schema as a component yet; replace it by the
 * component alias when the catalog routes add one).
 */
export interface UnitContent {
  title: LangMap;
  description?: LangMap;
  learningOutcomes?: {text: LangMap; escoSkill?: string}[];
  workloadHours?: number;
  ectsCredits?: number;
  assessmentType?: AssessmentType;
  participationForm?: {mode: ParticipationMode; volunteering?: boolean; workExperience?: boolean};
  qualityAssurance?: LangMap;
  country?: CountryCode;
  region?: string;
  eqfLevel?: number;
  nlqfLevel?: NlqfLevel;
  prerequisites?: LangMap;
  identityVerification?: IdentityVerification;
  gradingScheme?: LangMap;
  stackability?: {standalone?: boolean; countsTowards?: {title: LangMap; url?: string}[]};
  furtherInformationUrl?: string;
  languages?: string[];
  iscedF?: string;
  tags?: string[];
  credentialValidityMonths?: number;
  image?: string;
}

/** The awarding organisation as the credential names it. */
export interface CredentialIssuer {
  /** The issuer DID (did:web or did:key). */
  did: string;
  name: LangMap;
  url?: string;
  email?: string;
  country: CountryCode;
  /** ISO 3166-2 subdivision, e.g. `NL-GR`. */
  region?: string;
}

/** The unit version that was achieved. */
export interface CredentialUnit {
  unitId: string;
  version: number | string;
  /** Public URL of this unit version (the OB3 achievement id, the ELM specification id). */
  publicUrl: string;
  content: UnitContent;
}

/**
 * A salted identity hash as Open Badges 3.0 `IdentityObject` defines it: `sha256$` + the
 * hexadecimal SHA-256 of the identity followed by the salt (see `hashIdentity`).
 */
export interface SaltedIdentityHash {
  identityHash: string;
  salt: string;
}

/** The learner, with as little personal data as the credential needs. */
export interface CredentialLearner {
  /** The learner's own DID (from a wallet); identifies the subject when present. */
  did?: string;
  /** The salted hash of the learner's e-mail address; used when there is no DID. */
  emailIdentity?: SaltedIdentityHash;
  givenName: string;
  familyName: string;
  /** Student number or other organisation-internal id. */
  externalId?: string;
}

/** The recorded achievement. */
export interface CredentialAchievement {
  /** carecred's achievement id (for traceability; not a URL). */
  id: string;
  achievedAt: Date;
  grade?: string;
  evidenceUrl?: string;
  /** Name of the person who assessed the learner. */
  assessor?: string;
}

/** A position in a Bitstring Status List. */
export interface StatusListPosition {
  /** URL of the BitstringStatusListCredential. */
  statusListCredential: string;
  statusListIndex: number;
}

/** The positions allocated for this credential, one per purpose. */
export interface CredentialStatusPositions {
  revocation: StatusListPosition;
  suspension: StatusListPosition;
}

/** Everything a profile builder needs. */
export interface CredentialInput {
  /** `urn:uuid:...` */
  credentialId: string;
  issuedAt: Date;
  issuer: CredentialIssuer;
  unit: CredentialUnit;
  learner: CredentialLearner;
  achievement: CredentialAchievement;
  status: CredentialStatusPositions;
  /** PUBLIC_BASE_URL (carecred's own JSON-LD context is served under it). */
  publicBaseUrl: string;
  /** BCP 47 tag of the credential's primary language; default: the unit's first language. */
  language?: string;
  /** Renders a credential image (EDC); default: `renderCredentialImage` (libuv's thread pool). */
  renderImage?: (content: CredentialImageContent) => Promise<Buffer>;
}

/** The credential profiles carecred issues. */
export type CredentialProfile = 'ob3' | 'edc';

/** A JSON object (an unsigned credential). */
export type JsonObject = Record<string, unknown>;
