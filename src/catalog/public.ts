/**
 * The public catalogue (no API key): the latest published version of every unit that is not
 * archived, searchable and filterable, and each published version at its stable URL.
 *
 * Free text without a text index: every unit version stores `searchText`, the distinct
 * normalised words of its texts in every language; each word of `q` must occur in it as an
 * unanchored, escaped regular expression (so `zorg` finds `beeldzorg`).
 */
import type {components} from '../generated/openapi.js';
import {NotFound} from '../platform/errors.js';
import {escapeRegex, queryWords} from './content.js';
import {decodeCursor, encodeCursor} from './cursor.js';
import {dropStaleHints} from './hints.js';
import {languagePreference} from './language.js';
import type {UnitRepository} from './model.js';
import type {CatalogOrgs} from './service.js';
import {type CatalogueUnitVersion, effectiveRevision, type OrganisationSummary, toCatalogueEntry,
  toCatalogueUnitVersion} from './views.js';

export type CataloguePage = components['schemas']['catalogue-page'];

/** The catalogue's filters (the contract's query parameters). */
export interface CatalogueFilters {
  q?: string;
  org?: string;
  eqfLevel?: number;
  minEcts?: number;
  maxEcts?: number;
  tag?: string[];
  participationForm?: 'online' | 'onsite' | 'blended';
}

/**
 * Builds the database filter of a catalogue query.
 *
 * @param filters - the reader's filters.
 * @returns a filter on listed versions.
 */
export function catalogueFilter({q, org, eqfLevel, minEcts, maxEcts, tag = [], participationForm}:
  CatalogueFilters): Record<string, unknown> {
  const ects = {
    ...(minEcts === undefined ? {} : {$gte: minEcts}), ...(maxEcts === undefined ? {} : {$lte: maxEcts})
  };
  const conditions = [
    ...tag.map(oneTag => ({'content.tags': oneTag})),
    ...(q === undefined ? [] : queryWords(q)).map(word => ({searchText: {$regex: escapeRegex(word)}}))
  ];
  return {
    listed: true, state: 'published',
    ...(org === undefined ? {} : {orgSlug: org}),
    ...(eqfLevel === undefined ? {} : {'content.eqfLevel': eqfLevel}),
    ...(Object.keys(ects).length === 0 ? {} : {'content.ectsCredits': ects}),
    ...(participationForm === undefined ? {} : {'content.participationForm.mode': participationForm}),
    ...(conditions.length === 0 ? {} : {$and: conditions})
  };
}

/**
 * Creates the public catalogue queries.
 *
 * @param options.repository - the units repository.
 * @param options.orgs - reads the awarding bodies' names.
 * @param options.publicBaseUrl - base of the public version URLs.
 * @returns `listCatalogue` and `getCatalogueUnitVersion`.
 */
export function createCatalogueQueries({repository, orgs, publicBaseUrl}: {
  repository: UnitRepository; orgs: CatalogOrgs; publicBaseUrl: string;
}) {
  async function organisationSummaries(slugs: string[]): Promise<Map<string, OrganisationSummary>> {
    const found = await Promise.all([...new Set(slugs)].map(async slug =>
      [slug, await orgs.findOrganisationBySlug(slug)] as const));
    return new Map(found.map(([slug, organisation]) => [slug, organisation ?
      {slug, name: organisation.name, url: organisation.url} : {slug, name: {en: slug}}]));
  }

  /**
   * One page of the public catalogue, texts in the reader's language.
   *
   * @param options.lang - comma-separated preferred languages (wins over acceptLanguage).
   * @param options.acceptLanguage - the Accept-Language header.
   * @throws {ValidationFailed} for a foreign cursor.
   */
  async function listCatalogue({lang, acceptLanguage, limit = 20, cursor, ...filters}: CatalogueFilters & {
    lang?: string; acceptLanguage?: string; limit?: number; cursor?: string;
  }): Promise<CataloguePage> {
    const preference = languagePreference({lang, acceptLanguage});
    const page = await repository.findPage({
      filter: catalogueFilter(filters), after: cursor === undefined ? undefined : decodeCursor(cursor), limit
    });
    const window = page.slice(0, limit);
    const stubs = window.length === 0 ? [] :
      await repository.revisionStubs({unitIds: window.map(record => record.unitId)});
    const records = await dropStaleHints({repository, records: window, stubs, hint: 'listed'});
    const organisations = await organisationSummaries(records.map(record => record.orgSlug));
    const last = window.at(-1);
    return {
      items: records.map(record => toCatalogueEntry({
        record, organisation: organisations.get(record.orgSlug)!, preference, publicBaseUrl
      })),
      ...(page.length > limit && last ? {nextCursor: encodeCursor(last)} : {}),
      languagePreference: preference
    };
  }

  /**
   * A published (or since archived) version at its public URL.
   *
   * @throws {NotFound} for an unknown version or a draft.
   */
  async function getCatalogueUnitVersion({orgSlug, unitId, version}: {
    orgSlug: string; unitId: string; version: number;
  }): Promise<CatalogueUnitVersion> {
    const found = await repository.findPublicVersion({orgSlug, unitId, version});
    if(!found?.record.publishedAt) {
      throw new NotFound('Published unit version', `${orgSlug}/units/${unitId}/versions/${version}`);
    }
    const organisations = await organisationSummaries([orgSlug]);
    return toCatalogueUnitVersion({record: effectiveRevision(found.record, found.head),
      organisation: organisations.get(orgSlug)!, publicBaseUrl});
  }

  return {listCatalogue, getCatalogueUnitVersion};
}
