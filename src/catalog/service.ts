/**
 * Learning units: their lifecycle, versions and the public catalogue.
 *
 * Design note — versions without transactions.
 * Problem: a unit is edited, published and archived by concurrent requests from several
 * processes, and the database offers only single-document atomic updates and unique indexes.
 *
 * Storage: one document per version. Versions 1..n-1 are always released (published or
 * archived); only the highest version n can be a draft, because a draft is created only on top of
 * a published version and a draft is edited in place.
 *
 * Transitions, each committed by one conditional single-document write:
 * - create: insert version 1 (draft).
 * - edit a draft: compare-and-set on (state = draft, revision) — a lost race re-reads and retries.
 * - edit a published version n: insert version n+1 (draft). Two edits at once both try to insert
 *   n+1; the unique index (orgId, unitId, version) lets one win, and the other retries and is
 *   applied to the winner's draft, so both edits land in one draft and none is lost.
 * - publish: compare-and-set draft → published.
 * - archive: compare-and-set of the highest version → archived (a pending draft is discarded
 *   with it). That write is the commit point: a unit is archived when its highest version is.
 *   Older published versions are then archived too (cleanup, idempotent).
 *
 * Races between archive and edit: each writes, then looks at the other's document (the edit
 * checks that version n was not archived after inserting n+1; the archive checks for a version
 * above the one it archived and archives that too), so at least one of them sees the other and
 * the unit ends archived. A crash between the two steps can leave a draft above an archived
 * version; publishing such a draft is refused, and it is not issuable.
 *
 * The `latest` / `listed` flags are hints for the two lists. They are set with the commit and
 * cleared on the older versions afterwards; a crash in between leaves two versions flagged. Every
 * list read checks the versions of the units on its page, drops a flagged version that has a
 * newer (released) sibling and clears its flag, so lists are exact and heal themselves.
 */
import {Types} from 'mongoose';

import type {OrgService} from '../orgs/index.js';
import {Conflict, NotFound} from '../platform/errors.js';
import {applyDefaults, mergePatch, type OrganisationDefaults, searchTextOf,
  type UnitPatch} from './content.js';
import {decodeCursor, encodeCursor} from './cursor.js';
import {LifecycleConflict, UnitNotIssuable} from './errors.js';
import {dropStaleHints} from './hints.js';
import {type CatalogModels, createUnitRepository, isDuplicateKey, type UnitContent,
  type UnitState, type UnitVersionRecord, type VersionStub} from './model.js';
import {createCatalogueQueries} from './public.js';
import {toUnit, toVersionSummary, type Unit, type UnitVersionSummary,unitVersionUrl} from './views.js';

/** How often a request re-reads and retries after losing a race before answering 409. */
const MAX_ATTEMPTS = 10;

/** What the catalogue needs from the organisations module. */
export type CatalogOrgs = Pick<OrgService, 'getOrganisation' | 'findOrganisationBySlug'>;

/** A published unit version ready for issuing (see `getIssuableVersion`). */
export interface IssuableUnitVersion {
  unitId: string;
  version: number;
  orgId: string;
  orgSlug: string;
  /** The Annex I content, with the organisation's and the schema's defaults applied. */
  content: UnitContent;
  /** The version's stable public URL (the achievement id in issued credentials). */
  publicUrl: string;
  /** When the version was published (ISO 8601). */
  publishedAt: string;
}

/** A page of the organisation's units. */
export interface UnitPage {
  items: Unit[];
  nextCursor?: string;
}

/** The unit is archived when its highest version is (or, after a crash, the one below a draft). */
function isArchived(latest: UnitVersionRecord, previous?: Pick<UnitVersionRecord, 'state'>): boolean {
  return latest.state === 'archived' || (latest.state === 'draft' && previous?.state === 'archived');
}

/** The version in the public catalogue, given the unit's two highest versions. */
function publishedVersionOf(latest: UnitVersionRecord, previous?: VersionStub): number | undefined {
  if(latest.state === 'published') {
    return latest.version;
  }
  return latest.state === 'draft' && previous?.state === 'published' ? previous.version : undefined;
}

/** @throws {LifecycleConflict} unless the unit has a published version and is not archived. */
function checkArchivable({latest, previous}: {latest: UnitVersionRecord; previous?: UnitVersionRecord}) {
  if(isArchived(latest, previous)) {
    throw new LifecycleConflict(`Unit '${latest.unitId}' is archived already.`);
  }
  if(latest.state === 'draft' && latest.version === 1) {
    throw new LifecycleConflict(`Unit '${latest.unitId}' was never published; only a published ` +
      'unit can be archived.');
  }
}

/**
 * Creates the catalogue service.
 *
 * @param options.models - the catalogue's models.
 * @param options.orgs - reads organisations (defaults, public names).
 * @param options.publicBaseUrl - base of the public version URLs.
 * @returns the service functions.
 */
export function createCatalogService({models, orgs, publicBaseUrl}: {
  models: CatalogModels; orgs: CatalogOrgs; publicBaseUrl: string;
}) {
  const repository = createUnitRepository(models);
  const view = (record: UnitVersionRecord, publishedVersion?: number) =>
    toUnit({record, publishedVersion, publicBaseUrl});

  /** @throws {NotFound} for an unknown unit or another organisation's unit. */
  async function loadLatest({orgId, unitId}: {orgId: string; unitId: string}):
    Promise<{latest: UnitVersionRecord; previous?: UnitVersionRecord}> {
    const [latest, previous] = await repository.latestVersions({orgId, unitId, count: 2});
    if(!latest) {
      throw new NotFound('Unit', unitId);
    }
    return {latest, previous};
  }

  function withDefaults(content: UnitContent, organisation: OrganisationDefaults) {
    const completed = applyDefaults(content, organisation);
    return {content: completed, searchText: searchTextOf(completed)};
  }

  /**
   * Creates a unit as version 1, a draft.
   *
   * @throws {NotFound} when the organisation does not exist.
   */
  async function createUnit({orgId, input}: {orgId: string; input: UnitContent}): Promise<Unit> {
    const organisation = await orgs.getOrganisation(orgId);
    const {content, searchText} = withDefaults(input, organisation);
    const record = await repository.insertVersion({
      orgId: new Types.ObjectId(orgId), orgSlug: organisation.slug,
      unitId: new Types.ObjectId().toHexString(), version: 1, state: 'draft', content, searchText,
      revision: 0, latest: true, listed: false
    });
    return view(record);
  }

  /** The latest version of a unit. @throws {NotFound} */
  async function getUnit({orgId, unitId}: {orgId: string; unitId: string}): Promise<Unit> {
    const {latest, previous} = await loadLatest({orgId, unitId});
    return view(latest, publishedVersionOf(latest, previous));
  }

  /** Creates version n+1 as a draft on top of published version n; undefined when n+1 exists. */
  async function insertNextDraft({published, content, searchText}: {
    published: UnitVersionRecord; content: UnitContent; searchText: string;
  }): Promise<UnitVersionRecord | undefined> {
    const {_id: _previousId, createdAt: _c, updatedAt: _u, publishedAt: _p, archivedAt: _a,
      ...carried} = published;
    try {
      return await repository.insertVersion({
        ...carried, version: published.version + 1, state: 'draft', content, searchText,
        revision: 0, latest: true, listed: false
      });
    } catch(error) {
      if(isDuplicateKey(error)) {
        return undefined;
      }
      throw error;
    }
  }

  /** Finishes a new draft: hints, and the check against an archive that raced with it. */
  async function settleNextDraft({orgId, published, draft}: {
    orgId: string; published: UnitVersionRecord; draft: UnitVersionRecord;
  }): Promise<Unit> {
    const {unitId} = published;
    await repository.clearHintBelow({orgId, unitId, version: draft.version, hint: 'latest'});
    const below = await repository.findVersion({orgId, unitId, version: published.version});
    if(below?.state === 'archived') {
      await repository.updateVersionIf({orgId, id: draft._id, expected: {state: 'draft'},
        set: {state: 'archived', archivedAt: new Date()}});
      throw new LifecycleConflict(`Unit '${unitId}' was archived; it cannot be edited.`);
    }
    return view(draft, published.version);
  }

  /**
   * Edits a unit: a draft in place; a published version by creating the next version as a draft.
   *
   * @throws {NotFound} for an unknown unit.
   * @throws {LifecycleConflict} when the unit is archived.
   * @throws {ValidationFailed} when the patch removes a mandatory member.
   */
  async function updateUnit({orgId, unitId, patch}: {
    orgId: string; unitId: string; patch: UnitPatch;
  }): Promise<Unit> {
    const organisation = await orgs.getOrganisation(orgId);
    for(let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const {latest, previous} = await loadLatest({orgId, unitId});
      if(isArchived(latest, previous)) {
        throw new LifecycleConflict(`Unit '${unitId}' is archived; it cannot be edited.`);
      }
      const {content, searchText} = withDefaults(mergePatch(latest.content, patch), organisation);
      if(latest.state === 'draft') {
        const updated = await repository.updateVersionIf({
          orgId, id: latest._id, expected: {state: 'draft', revision: latest.revision},
          set: {content, searchText}, incrementRevision: true
        });
        if(updated) {
          return view(updated, publishedVersionOf(updated, previous));
        }
        continue;
      }
      const draft = await insertNextDraft({published: latest, content, searchText});
      if(draft) {
        return settleNextDraft({orgId, published: latest, draft});
      }
    }
    throw new Conflict(`Unit '${unitId}' is being changed by other requests; retry.`);
  }

  /**
   * Publishes the unit's draft.
   *
   * @throws {NotFound} for an unknown unit.
   * @throws {LifecycleConflict} when the latest version is not a draft, or the unit is archived.
   */
  async function publishUnit({orgId, unitId}: {orgId: string; unitId: string}): Promise<Unit> {
    for(let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const {latest, previous} = await loadLatest({orgId, unitId});
      if(isArchived(latest, previous)) {
        throw new LifecycleConflict(`Unit '${unitId}' is archived; it cannot be published.`);
      }
      if(latest.state !== 'draft') {
        throw new LifecycleConflict(`Version ${latest.version} of unit '${unitId}' is already ` +
          'published; edit the unit to create a new draft version.');
      }
      const published = await repository.updateVersionIf({
        orgId, id: latest._id, expected: {state: 'draft'},
        set: {state: 'published', publishedAt: new Date(), listed: true}
      });
      if(published) {
        await repository.clearHintBelow({orgId, unitId, version: published.version, hint: 'listed'});
        return view(published, published.version);
      }
    }
    throw new Conflict(`Unit '${unitId}' is being changed by other requests; retry.`);
  }

  /**
   * Archives a unit that has been published (final); a pending draft is discarded with it.
   *
   * @throws {NotFound} for an unknown unit.
   * @throws {LifecycleConflict} when it was never published or is archived already.
   */
  async function archiveUnit({orgId, unitId}: {orgId: string; unitId: string}): Promise<Unit> {
    let archived: UnitVersionRecord | undefined;
    for(let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const {latest, previous} = await loadLatest({orgId, unitId});
      if(latest.state === 'archived' && archived) {
        break;
      }
      if(!archived) {
        checkArchivable({latest, previous});
      }
      const result = await repository.updateVersionIf({orgId, id: latest._id,
        expected: {state: latest.state}, set: {state: 'archived', archivedAt: new Date(), listed: false}});
      archived = result ?? archived;
      // A version created meanwhile above the one just archived is archived in the next round.
      if(result && !await repository.hasVersionAbove({orgId, unitId, version: result.version})) {
        break;
      }
    }
    if(!archived) {
      throw new Conflict(`Unit '${unitId}' is being changed by other requests; retry.`);
    }
    await repository.archivePublishedVersions({orgId, unitId, at: archived.archivedAt ?? new Date()});
    return view(archived);
  }

  /** Every version of a unit, newest first. @throws {NotFound} */
  async function listUnitVersions({orgId, unitId}: {orgId: string; unitId: string}):
    Promise<UnitVersionSummary[]> {
    const records = await repository.listVersions({orgId, unitId});
    if(records.length === 0) {
      throw new NotFound('Unit', unitId);
    }
    return records.map(record => toVersionSummary(record, publicBaseUrl));
  }

  /** One version of a unit. @throws {NotFound} */
  async function getUnitVersion({orgId, unitId, version}: {
    orgId: string; unitId: string; version: number;
  }): Promise<Unit> {
    const [{latest, previous}, record] = await Promise.all([
      loadLatest({orgId, unitId}), repository.findVersion({orgId, unitId, version})]);
    if(!record) {
      throw new NotFound('Unit version', `${unitId}/versions/${version}`);
    }
    return view(record, publishedVersionOf(latest, previous));
  }

  /**
   * The organisation's units (latest version of each), newest first.
   *
   * @param options.state - only units whose latest version is in this state.
   * @throws {ValidationFailed} for a foreign cursor.
   */
  async function listUnits({orgId, state, limit = 20, cursor}: {
    orgId: string; state?: UnitState; limit?: number; cursor?: string;
  }): Promise<UnitPage> {
    const page = await repository.findPage({
      filter: {orgId, latest: true, ...(state ? {state} : {})},
      after: cursor === undefined ? undefined : decodeCursor(cursor), limit
    });
    const window = page.slice(0, limit);
    const stubs = window.length === 0 ? [] :
      await repository.versionStubs({orgId, unitIds: window.map(record => record.unitId)});
    const items = await dropStaleHints({repository, records: window, stubs, hint: 'latest'});
    const last = window.at(-1);
    return {
      items: items.map(record => view(record, publishedVersionOf(record,
        stubs.find(stub => stub.unitId === record.unitId && stub.version === record.version - 1)))),
      ...(page.length > limit && last ? {nextCursor: encodeCursor(last.unitId)} : {})
    };
  }

  /**
   * The unit version to issue a credential for (the issuance module's entry point).
   *
   * @param options.version - a published version; default the latest published one.
   * @throws {NotFound} for an unknown unit or version, or another organisation's unit.
   * @throws {UnitNotIssuable} for a draft, an archived unit, or a unit never published.
   */
  async function getIssuableVersion({orgId, unitId, version}: {
    orgId: string; unitId: string; version?: number;
  }): Promise<IssuableUnitVersion> {
    const {latest, previous} = await loadLatest({orgId, unitId});
    if(isArchived(latest, previous)) {
      throw new UnitNotIssuable(`Unit '${unitId}' is archived; no new credentials can be issued for it.`);
    }
    const target = version === undefined ?
      [latest, previous].find(record => record?.state === 'published') :
      await repository.findVersion({orgId, unitId, version});
    if(version !== undefined && !target) {
      throw new NotFound('Unit version', `${unitId}/versions/${version}`);
    }
    if(target?.state !== 'published' || !target.publishedAt) {
      throw new UnitNotIssuable(target ? `Version ${target.version} of unit '${unitId}' is ` +
        `${target.state}, not published.` : `Unit '${unitId}' has no published version.`);
    }
    const {orgSlug, publishedAt} = target;
    return {
      unitId, version: target.version, orgId, orgSlug, content: target.content,
      publicUrl: unitVersionUrl({publicBaseUrl, orgSlug, unitId, version: target.version}),
      publishedAt: publishedAt.toISOString()
    };
  }

  const catalogue = createCatalogueQueries({repository, orgs, publicBaseUrl});

  return {
    createUnit, getUnit, updateUnit, publishUnit, archiveUnit, listUnits, listUnitVersions,
    getUnitVersion, getIssuableVersion, ...catalogue
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
