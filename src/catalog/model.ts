/**
 * Learning units as stored: append-only revisions. Every change of a unit (create, edit,
 * publish, archive) inserts the next revision of that unit, a complete snapshot of the version
 * it changes; `(orgId, unitId, revision)` is unique, so of two concurrent changes based on the
 * same revision exactly one is stored (see the design note in service.ts for why inserts, not
 * conditional updates, are the commit point).
 *
 * A snapshot is never changed or deleted afterwards, except for two indexed hints that make the lists
 * cheap. They only ever go from true to false, and every list read checks them (hints.ts):
 * - `head`: this is the unit's newest revision (the organisation's own list shows it);
 * - `listed`: this is the unit's public catalogue entry (its latest published version).
 */
import {type Connection, Schema, type Types} from 'mongoose';

import type {components} from '../generated/openapi.js';
import {registerModel} from '../platform/db.js';
import type {PagePosition} from './cursor.js';

export type UnitContent = components['schemas']['unit-input'];
export type UnitState = components['schemas']['unit-state'];
export type UnitHint = 'head' | 'listed';

/** One revision of a unit: the state of one of its versions after a change. */
export interface UnitRevisionRecord {
  _id: Types.ObjectId;
  orgId: Types.ObjectId;
  orgSlug: string;
  /** The unit's id, the same for all its versions (an ObjectId in hex, so it sorts by age). */
  unitId: string;
  /** Sequence number of the change, per unit: 1, 2, 3, ... */
  revision: number;
  version: number;
  state: UnitState;
  content: UnitContent;
  /** Normalised words of the texts in every language, for the catalogue's `q` (no text indexes). */
  searchText: string;
  head: boolean;
  listed: boolean;
  /** When the version was created (carried from revision to revision). */
  createdAt: Date;
  /** When this revision was written. */
  updatedAt: Date;
  publishedAt?: Date;
  archivedAt?: Date;
}

const unitRevisionSchema = new Schema<UnitRevisionRecord>({
  orgId: {type: Schema.Types.ObjectId, required: true},
  orgSlug: {type: String, required: true},
  unitId: {type: String, required: true},
  revision: {type: Number, required: true},
  version: {type: Number, required: true},
  state: {type: String, required: true, enum: ['draft', 'published', 'archived']},
  content: {type: Schema.Types.Mixed, required: true},
  searchText: {type: String, required: true},
  head: {type: Boolean, required: true},
  listed: {type: Boolean, required: true},
  createdAt: {type: Date, required: true},
  updatedAt: {type: Date, required: true},
  publishedAt: Date,
  archivedAt: Date
}, {minimize: false, versionKey: false});
// The one constraint that settles races: two changes can never both follow the same revision.
unitRevisionSchema.index({orgId: 1, unitId: 1, revision: 1}, {unique: true});
unitRevisionSchema.index({unitId: 1, version: 1, revision: -1});
unitRevisionSchema.index({orgId: 1, head: 1, unitId: -1, revision: -1});
unitRevisionSchema.index({listed: 1, unitId: -1, revision: -1});

/** Registers the catalogue's model on a connection and returns it. */
export function catalogModels(db: Connection) {
  return {UnitRevision: registerModel(db, 'UnitRevision', unitRevisionSchema, 'units')};
}

export type CatalogModels = ReturnType<typeof catalogModels>;

/** The fields of a revision that the service writes. */
export type NewUnitRevision = Omit<UnitRevisionRecord, '_id'>;

/** Revision number and state of a unit's revision: enough to check the hints. */
export type RevisionStub = Pick<UnitRevisionRecord, 'unitId' | 'revision' | 'state'>;

function isDuplicateKey(error: unknown): boolean {
  return (error as {code?: number} | null)?.code === 11000;
}

/**
 * The repository: every query of the units collection. Organisation-scoped functions take the
 * `orgId` and put it in every filter; all return plain objects.
 *
 * @param models - the catalogue's models.
 * @returns the repository functions.
 */
export function createUnitRepository({UnitRevision}: CatalogModels) {
  /** The unit's newest revision (null for an unknown unit). */
  async function findHead({orgId, unitId}: {orgId: string; unitId: string}):
    Promise<UnitRevisionRecord | null> {
    return UnitRevision.findOne({orgId, unitId}).sort({revision: -1}).lean<UnitRevisionRecord>();
  }

  /** The newest revision of one version (null when the version does not exist). */
  async function findVersion({orgId, unitId, version}: {
    orgId: string; unitId: string; version: number;
  }): Promise<UnitRevisionRecord | null> {
    return UnitRevision.findOne({orgId, unitId, version}).sort({revision: -1}).lean<UnitRevisionRecord>();
  }

  async function listRevisions({orgId, unitId}: {orgId: string; unitId: string}):
    Promise<UnitRevisionRecord[]> {
    return UnitRevision.find({orgId, unitId}).sort({revision: -1}).lean<UnitRevisionRecord[]>();
  }

  /**
   * Inserts a revision: the commit point of every change.
   *
   * @returns the stored revision, or undefined when another change took this revision number.
   */
  async function insertRevision(record: NewUnitRevision): Promise<UnitRevisionRecord | undefined> {
    try {
      return (await UnitRevision.create(record)).toObject() as UnitRevisionRecord;
    } catch(error) {
      if(isDuplicateKey(error)) {
        return undefined;
      }
      throw error;
    }
  }

  /**
   * Clears the hints of the revisions a committed revision replaces. It only ever sets flags to
   * false on older revisions, so it is safe to run late, twice or concurrently, and harmless to
   * miss (reads check the hints). Old revisions are never deleted: a deleted revision number
   * could be taken again by a slow writer that read it as the head, and its change would be lost.
   */
  async function supersedeOlder({orgId, unitId, revision, listed}: {
    orgId: string; unitId: string; revision: number; listed: boolean;
  }): Promise<void> {
    const older = {orgId, unitId, revision: {$lt: revision}};
    await Promise.all([
      UnitRevision.updateMany({...older, head: true}, {$set: {head: false}}),
      listed ? UnitRevision.updateMany({...older, listed: true}, {$set: {listed: false}}) : undefined
    ]);
  }

  /**
   * One page of revisions that carry a hint, newest unit first (its newest revision first).
   *
   * @param options.filter - the list's conditions (for an organisation's list: with its orgId).
   * @param options.after - continue after this position.
   * @param options.limit - page size; one more is read to tell whether a next page exists.
   */
  async function findPage({filter, after, limit}: {
    filter: Record<string, unknown>; after?: PagePosition; limit: number;
  }): Promise<UnitRevisionRecord[]> {
    const position = after ? {$or: [{unitId: {$lt: after.unitId}},
      {unitId: after.unitId, revision: {$lt: after.revision}}]} : {};
    return UnitRevision.find({...filter, ...position}).sort({unitId: -1, revision: -1})
      .limit(limit + 1).lean<UnitRevisionRecord[]>();
  }

  /** Revision number and state of every revision of the given units (to check hints). */
  async function revisionStubs({unitIds, orgId}: {unitIds: string[]; orgId?: string}):
    Promise<RevisionStub[]> {
    return UnitRevision.find({...(orgId ? {orgId} : {}), unitId: {$in: unitIds}},
      {_id: 0, unitId: 1, revision: 1, state: 1}).lean<RevisionStub[]>();
  }

  async function clearHints({ids, hint}: {ids: Types.ObjectId[]; hint: UnitHint}): Promise<void> {
    await UnitRevision.updateMany({_id: {$in: ids}}, {$set: {[hint]: false}});
  }

  /** A version and its unit's newest revision by public coordinates (the public catalogue). */
  async function findPublicVersion({orgSlug, unitId, version}: {
    orgSlug: string; unitId: string; version: number;
  }): Promise<{record: UnitRevisionRecord; head: UnitRevisionRecord} | undefined> {
    const [record, head] = await Promise.all([
      UnitRevision.findOne({orgSlug, unitId, version}).sort({revision: -1}).lean<UnitRevisionRecord>(),
      UnitRevision.findOne({orgSlug, unitId}).sort({revision: -1}).lean<UnitRevisionRecord>()
    ]);
    return record && head ? {record, head} : undefined;
  }

  return {
    findHead, findVersion, listRevisions, insertRevision, supersedeOlder, findPage, revisionStubs,
    clearHints, findPublicVersion
  };
}

export type UnitRepository = ReturnType<typeof createUnitRepository>;
