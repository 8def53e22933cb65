/**
 * Learning units: their lifecycle, versions and the public catalogue.
 *
 * Design note — changing units safely without transactions.
 * Problem: a unit is edited, published and archived by concurrent requests, from several
 * processes, on MongoDB or on the embedded FerretDB v1. A compare-and-set by conditional update
 * (`updateOne({_id, state: 'draft'}, ...)`) is atomic on MongoDB but not on FerretDB v1 with
 * SQLite, which reads the matching document and writes it back in two steps (FerretDB issue
 * #3040): in a probe, ten concurrent conditional updates of one document "won" several times in
 * 18 of 20 rounds. An insert under a unique index, by contrast, had exactly one winner every time.
 *
 * So every change commits by an insert. A unit is a sequence of revisions, unique per
 * `(orgId, unitId, revision)`; each revision is a complete snapshot of the version it changes.
 * A change reads the unit's newest revision r (its head), decides from it (a lifecycle conflict
 * is answered at once) and inserts revision r+1. If another change inserted r+1 first, the
 * insert fails on the unique index, and the change reads the new head and decides again. So
 * all changes of a unit are serialised without locks, and a crash leaves either the old head or
 * the new one, never half a change. Two edits of a published unit at once: both try to insert
 * r+1 as draft version n+1; one wins, the other re-reads and is applied to that draft — both edits
 * land in one new version. An edit racing an archive: whichever inserts r+1 first wins, and the
 * other is re-decided against it (an edit after the archive is a lifecycle conflict).
 *
 * Invariants: versions only grow; only the head's version can be a draft (a new version starts
 * from a published head, and a draft is edited by new revisions of the same version); when the
 * head is draft version n > 1, version n-1 is published; the unit is archived when its head is,
 * and then every version counts as archived. Revisions are never changed afterwards, except the
 * list hints (model.ts), which only ever go from true to false and are checked by every list
 * read. Revisions are never deleted (a freed revision number could be taken by a slow writer
 * that read it as the head, silently losing its change), so the draft edits are also a history.
 */
import {Types} from 'mongoose';

import type {OrgService} from '../orgs/index.js';
import {Conflict, NotFound} from '../platform/errors.js';
import {createHotReads} from '../platform/hot-reads.js';
import {applyDefaults, mergePatch, type OrganisationDefaults, searchTextOf,
  type UnitPatch} from './content.js';
import {decodeCursor, encodeCursor} from './cursor.js';
import {LifecycleConflict, UnitNotIssuable} from './errors.js';
import {dropStaleHints} from './hints.js';
import {type CatalogModels, createUnitRepository, type NewUnitRevision, type UnitContent,
  type UnitRevisionRecord, type UnitState} from './model.js';
import {createCatalogueQueries} from './public.js';
import {effectiveRevision, publishedVersionOf, toUnit, toVersionSummary, type Unit,   type UnitVersionSummary,unitVersionUrl} from './views.js';

/** How often a change re-reads and decides again after losing a race before answering 409. */
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

/** The next revision a change wants to write, given the head (without the bookkeeping fields). */
type Decision = Pick<NewUnitRevision, 'version' | 'state' | 'content' | 'createdAt'> &
  Partial<Pick<NewUnitRevision, 'publishedAt' | 'archivedAt'>>;

function completed(content: UnitContent, organisation: OrganisationDefaults) {
  const withDefaults = applyDefaults(content, organisation);
  return {content: withDefaults, searchText: searchTextOf(withDefaults)};
}

/** @throws {LifecycleConflict} when the head does not allow an edit. */
function decideEdit({head, content}: {head: UnitRevisionRecord; content: UnitContent}): Decision {
  if(head.state === 'archived') {
    throw new LifecycleConflict(`Unit '${head.unitId}' is archived; it cannot be edited.`);
  }
  return head.state === 'draft' ?
    {version: head.version, state: 'draft', content, createdAt: head.createdAt} :
    {version: head.version + 1, state: 'draft', content, createdAt: new Date()};
}

/** @throws {LifecycleConflict} unless the head is a draft. */
function decidePublish(head: UnitRevisionRecord): Decision {
  if(head.state === 'archived') {
    throw new LifecycleConflict(`Unit '${head.unitId}' is archived; it cannot be published.`);
  }
  if(head.state === 'published') {
    throw new LifecycleConflict(`Version ${head.version} of unit '${head.unitId}' is already ` +
      'published; edit the unit to create a new draft version.');
  }
  return {version: head.version, state: 'published', content: head.content, createdAt: head.createdAt,
    publishedAt: new Date()};
}

/** @throws {LifecycleConflict} unless the unit has been published and is not archived. */
function decideArchive(head: UnitRevisionRecord): Decision {
  if(head.state === 'archived') {
    throw new LifecycleConflict(`Unit '${head.unitId}' is archived already.`);
  }
  if(head.state === 'draft' && head.version === 1) {
    throw new LifecycleConflict(`Unit '${head.unitId}' was never published; only a published ` +
      'unit can be archived.');
  }
  // A pending draft is discarded: it becomes the archived head, never published.
  return {version: head.version, state: 'archived', content: head.content, createdAt: head.createdAt,
    publishedAt: head.publishedAt, archivedAt: new Date()};
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
  /**
   * The unit version each issuing request asks for (see platform/hot-reads), by
   * [orgId, unitId, version]; a unit changed through this process clears it. A unit that cannot
   * be issued for is an error, never kept.
   */
  const issuable = createHotReads<IssuableUnitVersion>(key => {
    const [orgId, unitId, version] = JSON.parse(key) as [string, string, number | null];
    return loadIssuableVersion({orgId, unitId, version: version ?? undefined});
  });
  const view = (record: UnitRevisionRecord, head: UnitRevisionRecord = record) =>
    toUnit({record: effectiveRevision(record, head), publishedVersion: publishedVersionOf(head),
      publicBaseUrl});

  /** @throws {NotFound} for an unknown unit or another organisation's unit. */
  async function loadHead({orgId, unitId}: {orgId: string; unitId: string}): Promise<UnitRevisionRecord> {
    const head = await repository.findHead({orgId, unitId});
    if(!head) {
      throw new NotFound('Unit', unitId);
    }
    return head;
  }

  /**
   * Applies a change: decide from the head, insert the next revision, retry on a lost race.
   *
   * @param options.decide - the next state from the head; throws for a wrong transition.
   * @throws {Conflict} when other changes keep winning (the client may retry).
   */
  async function change({orgId, unitId, decide}: {
    orgId: string; unitId: string; decide: (head: UnitRevisionRecord) => Decision;
  }): Promise<UnitRevisionRecord> {
    for(let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const head = await loadHead({orgId, unitId});
      const decision = decide(head);
      const {content, searchText} = decision.content === head.content ?
        {content: head.content, searchText: head.searchText} :
        {content: decision.content, searchText: searchTextOf(decision.content)};
      const committed = await repository.insertRevision({
        ...decision, content, searchText, orgId: head.orgId, orgSlug: head.orgSlug, unitId,
        revision: head.revision + 1, head: true, listed: decision.state === 'published',
        updatedAt: new Date()
      });
      if(committed) {
        issuable.clear();
        // The change is committed; the hints are checked by every read, so failing to clear them
        // must not turn a committed change into an error (a retry would then be a conflict).
        await repository.supersedeOlder({orgId, unitId, revision: committed.revision,
          listed: committed.state !== 'draft'}).catch(() => undefined);
        return committed;
      }
    }
    throw new Conflict(`Unit '${unitId}' is being changed by other requests; retry.`);
  }

  /**
   * Creates a unit as version 1, a draft.
   *
   * @throws {NotFound} when the organisation does not exist.
   */
  async function createUnit({orgId, input}: {orgId: string; input: UnitContent}): Promise<Unit> {
    const organisation = await orgs.getOrganisation(orgId);
    const now = new Date();
    const record = await repository.insertRevision({
      ...completed(input, organisation), orgId: new Types.ObjectId(orgId), orgSlug: organisation.slug,
      unitId: new Types.ObjectId().toHexString(), revision: 1, version: 1, state: 'draft',
      head: true, listed: false, createdAt: now, updatedAt: now
    });
    return view(record!);
  }

  /** The latest version of a unit. @throws {NotFound} */
  async function getUnit({orgId, unitId}: {orgId: string; unitId: string}): Promise<Unit> {
    return view(await loadHead({orgId, unitId}));
  }

  /**
   * Edits a unit: a draft by a new revision of it; a published version by starting the next
   * version as a draft.
   *
   * @throws {NotFound} for an unknown unit.
   * @throws {LifecycleConflict} when the unit is archived.
   * @throws {ValidationFailed} when the patch removes a mandatory member.
   */
  async function updateUnit({orgId, unitId, patch}: {
    orgId: string; unitId: string; patch: UnitPatch;
  }): Promise<Unit> {
    const organisation = await orgs.getOrganisation(orgId);
    const record = await change({orgId, unitId, decide: head => decideEdit({
      head, content: completed(mergePatch(head.content, patch), organisation).content
    })});
    return view(record);
  }

  /**
   * Publishes the unit's draft.
   *
   * @throws {NotFound} for an unknown unit.
   * @throws {LifecycleConflict} when the latest version is not a draft (published or archived).
   */
  async function publishUnit({orgId, unitId}: {orgId: string; unitId: string}): Promise<Unit> {
    return view(await change({orgId, unitId, decide: decidePublish}));
  }

  /**
   * Archives a unit that has been published (final); a pending draft is discarded with it.
   *
   * @throws {NotFound} for an unknown unit.
   * @throws {LifecycleConflict} when it was never published or is archived already.
   */
  async function archiveUnit({orgId, unitId}: {orgId: string; unitId: string}): Promise<Unit> {
    return view(await change({orgId, unitId, decide: decideArchive}));
  }

  /** Every version of a unit, newest first. @throws {NotFound} */
  async function listUnitVersions({orgId, unitId}: {orgId: string; unitId: string}):
    Promise<UnitVersionSummary[]> {
    const revisions = await repository.listRevisions({orgId, unitId});
    const [head] = revisions;
    if(!head) {
      throw new NotFound('Unit', unitId);
    }
    const newestPerVersion = new Map<number, UnitRevisionRecord>();
    for(const revision of revisions) {
      if(!newestPerVersion.has(revision.version)) {
        newestPerVersion.set(revision.version, revision);
      }
    }
    return [...newestPerVersion.values()].sort((a, b) => b.version - a.version)
      .map(record => toVersionSummary(effectiveRevision(record, head), publicBaseUrl));
  }

  /** One version of a unit. @throws {NotFound} */
  async function getUnitVersion({orgId, unitId, version}: {
    orgId: string; unitId: string; version: number;
  }): Promise<Unit> {
    const [head, record] = await Promise.all([
      loadHead({orgId, unitId}), repository.findVersion({orgId, unitId, version})]);
    if(!record) {
      throw new NotFound('Unit version', `${unitId}/versions/${version}`);
    }
    return view(record, head);
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
      filter: {orgId, head: true, ...(state ? {state} : {})},
      after: cursor === undefined ? undefined : decodeCursor(cursor), limit
    });
    const window = page.slice(0, limit);
    const stubs = window.length === 0 ? [] :
      await repository.revisionStubs({orgId, unitIds: window.map(record => record.unitId)});
    const heads = await dropStaleHints({repository, records: window, stubs, hint: 'head'});
    const last = window.at(-1);
    return {
      items: heads.map(head => view(head)),
      ...(page.length > limit && last ? {nextCursor: encodeCursor(last)} : {})
    };
  }

  /** The version to issue by default: the latest published one, if any. */
  async function latestPublished({orgId, head}: {orgId: string; head: UnitRevisionRecord}) {
    const version = publishedVersionOf(head);
    return version === head.version ? head : version === undefined ? undefined :
      await repository.findVersion({orgId, unitId: head.unitId, version});
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
    return (await issuable.get(JSON.stringify([orgId, unitId, version ?? null])))!;
  }

  async function loadIssuableVersion({orgId, unitId, version}: {
    orgId: string; unitId: string; version?: number;
  }): Promise<IssuableUnitVersion> {
    const head = await loadHead({orgId, unitId});
    if(head.state === 'archived') {
      throw new UnitNotIssuable(`Unit '${unitId}' is archived; no new credentials can be issued for it.`);
    }
    const target = version === undefined ? await latestPublished({orgId, head}) :
      await repository.findVersion({orgId, unitId, version});
    if(version !== undefined && !target) {
      throw new NotFound('Unit version', `${unitId}/versions/${version}`);
    }
    if(target?.state !== 'published' || !target.publishedAt) {
      throw new UnitNotIssuable(target ? `Version ${target.version} of unit '${unitId}' is a draft.` :
        `Unit '${unitId}' has no published version.`);
    }
    const {orgSlug, publishedAt} = target;
    return {
      unitId, version: target.version, orgId, orgSlug, content: target.content,
      publicUrl: unitVersionUrl({publicBaseUrl, orgSlug, unitId, version: target.version}),
      publishedAt: publishedAt.toISOString()
    };
  }

  return {
    createUnit, getUnit, updateUnit, publishUnit, archiveUnit, listUnits, listUnitVersions,
    getUnitVersion, getIssuableVersion, ...createCatalogueQueries({repository, orgs, publicBaseUrl})
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
