/**
 * The short summary a person reads first: who issued the credential (carecred's registered name
 * for a registered issuer, not the name the credential claims), which unit, which learner, and
 * the dates. Texts come in the requested language when the credential carries it.
 */
import {issuerIdOf} from './issuer.js';
import {detectProfile} from './schema.js';
import type {CredentialSummary, RegisteredIssuer} from './types.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Picks a text in a language: a plain string, a language map (`{en: 'x'}` or `{en: ['x']}`), or
 * language value objects (`{'@value', '@language'}`); requested language, then English, then any.
 */
export function pickText(value: unknown, language: string): string | undefined {
  if(typeof value === 'string') {
    return value;
  }
  if(Array.isArray(value)) {
    const objects = value.filter(isObject);
    const match = objects.find(entry => String(entry['@language'] ?? '').split('-')[0] === language) ??
      objects.find(entry => String(entry['@language'] ?? '').startsWith('en')) ?? objects[0];
    return typeof match?.['@value'] === 'string' ? match['@value'] : pickText(value[0], language);
  }
  if(!isObject(value)) {
    return undefined;
  }
  if(typeof value['@value'] === 'string') {
    return value['@value'];
  }
  const key = [language, 'en', ...Object.keys(value)].find(candidate => value[candidate] !== undefined);
  const text = key === undefined ? undefined : first(value[key]);
  return typeof text === 'string' ? text : undefined;
}

function learnerNameOf(subject: Json, language: string): string | undefined {
  const named = pickText(subject.name, language) ?? pickText(subject.fullName, language);
  if(named) {
    return named;
  }
  const parts = [pickText(subject.givenName, language), pickText(subject.familyName, language)]
    .filter(Boolean);
  if(parts.length > 0) {
    return parts.join(' ');
  }
  const identity = (Array.isArray(subject.identifier) ? subject.identifier : []).find(entry =>
    isObject(entry) && entry.identityType === 'name' && entry.hashed === false) as Json | undefined;
  return typeof identity?.identityHash === 'string' ? identity.identityHash : undefined;
}

function unitTitleOf(credential: Json, subject: Json, language: string): string | undefined {
  const achievement = isObject(subject.achievement) ? subject.achievement : undefined;
  const claim = first(subject.hasClaim);
  const edcTitle = isObject(claim) ? pickText(claim.title, language) : undefined;
  const display = isObject(credential.displayParameter) ?
    pickText(credential.displayParameter.title, language) : undefined;
  return pickText(achievement?.name, language) ?? edcTitle ?? display ?? pickText(credential.name, language);
}

function claimedIssuerName(credential: Json, language: string): string | undefined {
  const {issuer} = credential;
  return isObject(issuer) ? pickText(issuer.name, language) ?? pickText(issuer.legalName, language) :
    undefined;
}

/**
 * Builds the summary.
 *
 * @param options.credential - the credential.
 * @param options.registered - carecred's record of the issuer, when registered.
 * @param options.language - two-letter language code for texts.
 */
export function summarise({credential, registered, language}: {
  credential: Json; registered?: RegisteredIssuer; language: string;
}): CredentialSummary {
  const subject = (first(credential.credentialSubject) ?? {}) as Json;
  const text = (value: unknown) => typeof value === 'string' ? value : undefined;
  const summary: CredentialSummary = {
    issuerName: registered ? pickText(registered.name, language) : claimedIssuerName(credential, language),
    issuerDid: issuerIdOf(credential),
    issuerRegistered: Boolean(registered),
    unitTitle: isObject(subject) ? unitTitleOf(credential, subject, language) : undefined,
    learnerName: isObject(subject) ? learnerNameOf(subject, language) : undefined,
    issuedAt: text(credential.issued) ?? text(credential.validFrom) ?? text(credential.issuanceDate),
    validFrom: text(credential.validFrom) ?? text(credential.issuanceDate),
    validUntil: text(credential.validUntil) ?? text(credential.expirationDate),
    profile: detectProfile(credential)
  };
  return Object.fromEntries(Object.entries(summary).filter(([, value]) => value !== undefined)) as
    unknown as CredentialSummary;
}
