/**
 * Pure functions on unit content: defaults from the organisation, JSON merge patch, and the
 * normalised search text that stands in for a text index (FerretDB has none).
 */
import type {components} from '../generated/openapi.js';
import {ValidationFailed} from '../platform/errors.js';
import type {UnitContent} from './model.js';

export type UnitPatch = components['schemas']['unit-patch'];

/** Members a patch may not remove (the mandatory Annex I elements). */
const REQUIRED_MEMBERS = ['title', 'description', 'learningOutcomes', 'workloadHours', 'ectsCredits',
  'assessmentType', 'participationForm', 'qualityAssurance'] as const;

/** At most this many words of `q` are matched (each is one regex condition). */
export const MAX_QUERY_WORDS = 8;

/** What the defaults come from. */
export interface OrganisationDefaults {
  country: string;
  region?: string;
}

/**
 * Fills in what a unit takes from its organisation and the schema's defaults.
 *
 * @param content - the unit content (not modified).
 * @param organisation - country and region of the awarding body.
 * @returns a new content object with `country`, `region` and the participation flags set.
 */
export function applyDefaults(content: UnitContent, organisation: OrganisationDefaults): UnitContent {
  const region = content.region ?? organisation.region;
  return {
    ...structuredClone(content),
    country: content.country ?? organisation.country as UnitContent['country'],
    ...(region === undefined ? {} : {region}),
    // Typed as required (the contract's defaults), but absent in input that skipped validation.
    participationForm: {
      ...content.participationForm,
      volunteering: content.participationForm.volunteering ?? false,
      workExperience: content.participationForm.workExperience ?? false
    }
  };
}

/**
 * Applies a JSON merge patch to the top-level members of unit content: present members replace
 * the current value, `null` removes the member.
 *
 * @param content - the current content (not modified).
 * @param patch - the patch.
 * @returns the new content.
 * @throws {ValidationFailed} when the patch removes a mandatory member.
 */
export function mergePatch(content: UnitContent, patch: UnitPatch): UnitContent {
  const removed = REQUIRED_MEMBERS.filter(member => (patch as Record<string, unknown>)[member] === null);
  if(removed.length > 0) {
    throw new ValidationFailed(removed.map(member => ({
      pointer: `/body/${member}`, message: 'is mandatory and cannot be removed'
    })));
  }
  const merged: Record<string, unknown> = structuredClone(content);
  for(const [member, value] of Object.entries(patch)) {
    if(value === null) {
      delete merged[member];
    } else if(value !== undefined) {
      merged[member] = structuredClone(value);
    }
  }
  return merged as UnitContent;
}

/**
 * Normalises text for matching: accents stripped, lower case, anything but letters and digits
 * turned into single spaces.
 *
 * @param text - any text.
 * @returns the normalised text (`Beeldzorg: één` → `beeldzorg een`).
 */
export function normaliseText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * The search text of a unit: the distinct normalised words of its title, description, learning
 * outcomes and tags in every language.
 *
 * @param content - the unit content.
 * @returns the words separated by single spaces.
 */
export function searchTextOf(content: UnitContent): string {
  const texts = [
    ...Object.values(content.title), ...Object.values(content.description),
    ...content.learningOutcomes.flatMap(outcome => Object.values(outcome.text)),
    ...(content.tags ?? [])
  ];
  const words = new Set(texts.flatMap(text => normaliseText(text).split(' ')).filter(Boolean));
  return [...words].join(' ');
}

/**
 * The words of a free-text query, each to be matched anywhere in the search text.
 *
 * @param q - the query as typed.
 * @returns up to MAX_QUERY_WORDS distinct normalised words.
 */
export function queryWords(q: string): string[] {
  return [...new Set(normaliseText(q).split(' ').filter(Boolean))].slice(0, MAX_QUERY_WORDS);
}

/**
 * Escapes a string for use as a literal in a regular expression.
 *
 * @param text - the literal.
 * @returns the escaped pattern.
 */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
