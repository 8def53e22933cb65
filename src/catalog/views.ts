/**
 * How stored unit versions are shown: to their organisation (`Unit`), in a version list, in the
 * public catalogue (texts in the reader's language) and at their public URL (every language).
 * Pure functions.
 */
import type {components} from '../generated/openapi.js';
import {pickText} from './language.js';
import type {UnitRevisionRecord} from './model.js';

export type Unit = components['schemas']['unit'];
export type UnitVersionSummary = components['schemas']['unit-version-summary'];
export type CatalogueEntry = components['schemas']['catalogue-entry'];
export type CatalogueUnitVersion = components['schemas']['catalogue-unit-version'];

/** What the public views show of the awarding body. */
export interface OrganisationSummary {
  slug: string;
  name: Record<string, string>;
  url?: string;
}

/**
 * A version as it stands now: every version of an archived unit counts as archived.
 *
 * @param record - the newest revision of the version.
 * @param head - the unit's newest revision.
 * @returns the revision, marked archived when the unit is.
 */
export function effectiveRevision(record: UnitRevisionRecord, head: UnitRevisionRecord): UnitRevisionRecord {
  return head.state === 'archived' && record.state !== 'archived' ?
    {...record, state: 'archived', archivedAt: head.archivedAt} : record;
}

/**
 * The version in the public catalogue, from the unit's head: the head when it is published, the
 * version below a draft head (a new version only starts from a published one), none when archived.
 *
 * @param head - the unit's newest revision.
 * @returns the published version number, if any.
 */
export function publishedVersionOf(head: UnitRevisionRecord): number | undefined {
  if(head.state === 'published') {
    return head.version;
  }
  return head.state === 'draft' && head.version > 1 ? head.version - 1 : undefined;
}

/**
 * The stable public URL of a published unit version (issued credentials point at it).
 *
 * @param options.publicBaseUrl - PUBLIC_BASE_URL, without a trailing slash.
 * @returns `<base>/v1/catalog/<orgSlug>/units/<unitId>/versions/<version>`.
 */
export function unitVersionUrl({publicBaseUrl, orgSlug, unitId, version}: {
  publicBaseUrl: string; orgSlug: string; unitId: string; version: number;
}): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/v1/catalog/${encodeURIComponent(orgSlug)}/units/` +
    `${encodeURIComponent(unitId)}/versions/${version}`;
}

function publicUrlOf(record: UnitRevisionRecord, publicBaseUrl: string): string | undefined {
  return record.publishedAt ? unitVersionUrl({
    publicBaseUrl, orgSlug: record.orgSlug, unitId: record.unitId, version: record.version
  }) : undefined;
}

/** Drops undefined members, so optional fields are absent rather than null. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * A version as its organisation sees it.
 *
 * @param options.publishedVersion - the unit's version in the public catalogue, if any.
 */
export function toUnit({record, publishedVersion, publicBaseUrl}: {
  record: UnitRevisionRecord; publishedVersion?: number; publicBaseUrl: string;
}): Unit {
  return compact({
    id: record.unitId, orgSlug: record.orgSlug, version: record.version, state: record.state,
    publishedVersion, content: record.content, publicUrl: publicUrlOf(record, publicBaseUrl),
    createdAt: record.createdAt.toISOString(), updatedAt: record.updatedAt.toISOString(),
    publishedAt: record.publishedAt?.toISOString(), archivedAt: record.archivedAt?.toISOString()
  });
}

/** A line of the version history. */
export function toVersionSummary(record: UnitRevisionRecord, publicBaseUrl: string): UnitVersionSummary {
  return compact({
    version: record.version, state: record.state, title: record.content.title,
    publicUrl: publicUrlOf(record, publicBaseUrl),
    createdAt: record.createdAt.toISOString(), updatedAt: record.updatedAt.toISOString(),
    publishedAt: record.publishedAt?.toISOString(), archivedAt: record.archivedAt?.toISOString()
  });
}

/**
 * A catalogue entry, its texts in the reader's language.
 *
 * @param options.preference - from `languagePreference`.
 */
export function toCatalogueEntry({record, organisation, preference, publicBaseUrl}: {
  record: UnitRevisionRecord; organisation: OrganisationSummary; preference: readonly string[];
  publicBaseUrl: string;
}): CatalogueEntry {
  const {content} = record;
  return compact({
    unitId: record.unitId, version: record.version, url: publicUrlOf(record, publicBaseUrl)!,
    organisation: compact({
      slug: organisation.slug, name: pickText(organisation.name, preference), url: organisation.url
    }),
    title: pickText(content.title, preference),
    description: pickText(content.description, preference),
    workloadHours: content.workloadHours, ectsCredits: content.ectsCredits,
    eqfLevel: content.eqfLevel, nlqfLevel: content.nlqfLevel,
    assessmentType: content.assessmentType, participationForm: content.participationForm,
    country: content.country!, region: content.region, iscedF: content.iscedF, tags: content.tags,
    languages: content.languages, credentialValidityMonths: content.credentialValidityMonths,
    availableLanguages: Object.keys(content.title),
    publishedAt: record.publishedAt!.toISOString()
  });
}

/** A published version at its public URL, with every language. */
export function toCatalogueUnitVersion({record, organisation, publicBaseUrl}: {
  record: UnitRevisionRecord; organisation: OrganisationSummary; publicBaseUrl: string;
}): CatalogueUnitVersion {
  return compact({
    unitId: record.unitId, version: record.version,
    state: record.state === 'archived' ? 'archived' as const : 'published' as const,
    url: publicUrlOf(record, publicBaseUrl)!,
    organisation: compact({slug: organisation.slug, name: organisation.name, url: organisation.url}),
    content: record.content, publishedAt: record.publishedAt!.toISOString(),
    archivedAt: record.archivedAt?.toISOString()
  });
}
