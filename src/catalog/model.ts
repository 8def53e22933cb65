/**
 * Learning units as stored: one document per version, `(orgId, unitId, version)` unique.
 *
 * The states of the versions are the truth. Two booleans are indexed hints that make the two
 * lists cheap, kept up to date by the service and verified by every read that uses them (see the
 * design note in service.ts):
 * - `latest`: this is the unit's highest version (the organisation's own list shows it);
 * - `listed`: this is the unit's public catalogue entry (its latest published version).
 */
import {type Connection, Schema, type Types} from 'mongoose';

import type {components} from '../generated/openapi.js';
import {registerModel} from '../platform/db.js';

export type UnitContent = components['schemas']['unit-input'];
export type UnitState = components['schemas']['unit-state'];

/** A unit version as stored. */
export interface UnitVersionRecord {
  _id: Types.ObjectId;
  orgId: Types.ObjectId;
  orgSlug: string;
  /** The unit's id, the same for all its versions (an ObjectId in hex, so it sorts by age). */
  unitId: string;
  version: number;
  state: UnitState;
  content: UnitContent;
  /** Normalised words of the texts in every language, for the catalogue's `q` (no text indexes). */
  searchText: string;
  /** Compare-and-set counter of draft edits. */
  revision: number;
  latest: boolean;
  listed: boolean;
  createdAt: Date;
  updatedAt: Date;
  publishedAt?: Date;
  archivedAt?: Date;
}

const unitVersionSchema = new Schema<UnitVersionRecord>({
  orgId: {type: Schema.Types.ObjectId, required: true},
  orgSlug: {type: String, required: true},
  unitId: {type: String, required: true},
  version: {type: Number, required: true},
  state: {type: String, required: true, enum: ['draft', 'published', 'archived']},
  content: {type: Schema.Types.Mixed, required: true},
  searchText: {type: String, required: true},
  revision: {type: Number, required: true, default: 0},
  latest: {type: Boolean, required: true},
  listed: {type: Boolean, required: true},
  publishedAt: Date,
  archivedAt: Date
}, {timestamps: true, minimize: false, versionKey: false});
// The one constraint that settles races: two requests can never create the same version.
unitVersionSchema.index({orgId: 1, unitId: 1, version: 1}, {unique: true});
unitVersionSchema.index({unitId: 1, version: 1});
unitVersionSchema.index({orgId: 1, latest: 1, unitId: -1});
unitVersionSchema.index({listed: 1, unitId: -1});

/** Registers the catalogue's model on a connection and returns it. */
export function catalogModels(db: Connection) {
  return {UnitVersion: registerModel(db, 'UnitVersion', unitVersionSchema, 'units')};
}

export type CatalogModels = ReturnType<typeof catalogModels>;

/**
 * Tells whether a write failed on a unique index (two requests raced for the same version).
 *
 * @param error - anything thrown by the driver.
 * @returns true for a duplicate key error.
 */
export function isDuplicateKey(error: unknown): boolean {
  return (error as {code?: number} | null)?.code === 11000;
}

/** The fields of a version that the service writes when it creates one. */
export type NewUnitVersion = Omit<UnitVersionRecord, '_id' | 'createdAt' | 'updatedAt'>;

/** Version number and state of a unit's version: enough to check the hints. */
export type VersionStub = Pick<UnitVersionRecord, 'unitId' | 'version' | 'state'>;

/**
 * The repository: every query of the units collection. Organisation-scoped functions take the
 * `orgId` and put it in every filter; all return plain objects.
 *
 * @param models - the catalogue's models.
 * @returns the repository functions.
 */
export function createUnitRepository({UnitVersion}: CatalogModels) {
  /** The unit's highest `count` versions, highest first (empty for an unknown unit). */
  async function latestVersions({orgId, unitId, count}: {
    orgId: string; unitId: string; count: number;
  }): Promise<UnitVersionRecord[]> {
    return UnitVersion.find({orgId, unitId}).sort({version: -1}).limit(count)
      .lean<UnitVersionRecord[]>();
  }

  async function findVersion({orgId, unitId, version}: {
    orgId: string; unitId: string; version: number;
  }): Promise<UnitVersionRecord | null> {
    return UnitVersion.findOne({orgId, unitId, version}).lean<UnitVersionRecord>();
  }

  async function listVersions({orgId, unitId}: {orgId: string; unitId: string}):
    Promise<UnitVersionRecord[]> {
    return UnitVersion.find({orgId, unitId}).sort({version: -1}).lean<UnitVersionRecord[]>();
  }

  /** @throws the driver's duplicate key error when the version exists already. */
  async function insertVersion(record: NewUnitVersion): Promise<UnitVersionRecord> {
    return (await UnitVersion.create(record)).toObject() as UnitVersionRecord;
  }

  /**
   * Compare-and-set on one version: updates it only if it still matches `expected`.
   *
   * @returns the updated version, or null when another request changed it first.
   */
  async function updateVersionIf({orgId, id, expected, set, incrementRevision = false}: {
    orgId: string; id: Types.ObjectId; expected: Partial<Pick<UnitVersionRecord, 'state' | 'revision'>>;
    set: Partial<UnitVersionRecord>; incrementRevision?: boolean;
  }): Promise<UnitVersionRecord | null> {
    return UnitVersion.findOneAndUpdate({_id: id, orgId, ...expected},
      {$set: set, ...(incrementRevision ? {$inc: {revision: 1}} : {})},
      {returnDocument: 'after'}).lean<UnitVersionRecord>();
  }

  async function hasVersionAbove({orgId, unitId, version}: {
    orgId: string; unitId: string; version: number;
  }): Promise<boolean> {
    return (await UnitVersion.exists({orgId, unitId, version: {$gt: version}})) !== null;
  }

  /** Clears a hint on the unit's versions below `version` (a newer one now carries it). */
  async function clearHintBelow({orgId, unitId, version, hint}: {
    orgId: string; unitId: string; version: number; hint: 'latest' | 'listed';
  }): Promise<void> {
    await UnitVersion.updateMany({orgId, unitId, version: {$lt: version}, [hint]: true},
      {$set: {[hint]: false}});
  }

  /** Archives every still-published version of a unit (after its latest version was archived). */
  async function archivePublishedVersions({orgId, unitId, at}: {
    orgId: string; unitId: string; at: Date;
  }): Promise<void> {
    await UnitVersion.updateMany({orgId, unitId, state: 'published'},
      {$set: {state: 'archived', archivedAt: at, listed: false}});
  }

  /**
   * One page of versions that carry a hint, newest unit first.
   *
   * @param options.filter - the list's conditions (for an organisation's list: with its orgId).
   * @param options.after - continue after this unit id.
   * @param options.limit - page size; one more is read to tell whether a next page exists.
   */
  async function findPage({filter, after, limit}: {
    filter: Record<string, unknown>; after?: string; limit: number;
  }): Promise<UnitVersionRecord[]> {
    return UnitVersion.find({...filter, ...(after ? {unitId: {$lt: after}} : {})})
      .sort({unitId: -1}).limit(limit + 1).lean<UnitVersionRecord[]>();
  }

  /** Number and state of every version of the given units (to check hints). */
  async function versionStubs({unitIds, orgId}: {unitIds: string[]; orgId?: string}):
    Promise<VersionStub[]> {
    return UnitVersion.find({...(orgId ? {orgId} : {}), unitId: {$in: unitIds}},
      {_id: 0, unitId: 1, version: 1, state: 1}).lean<VersionStub[]>();
  }

  async function clearHints({ids, hint}: {ids: Types.ObjectId[]; hint: 'latest' | 'listed'}):
    Promise<void> {
    await UnitVersion.updateMany({_id: {$in: ids}}, {$set: {[hint]: false}});
  }

  /** A version by its public coordinates (no organisation key: the public catalogue). */
  async function findPublicVersion({orgSlug, unitId, version}: {
    orgSlug: string; unitId: string; version: number;
  }): Promise<UnitVersionRecord | null> {
    return UnitVersion.findOne({unitId, version, orgSlug}).lean<UnitVersionRecord>();
  }

  return {
    latestVersions, findVersion, listVersions, insertVersion, updateVersionIf, hasVersionAbove,
    clearHintBelow, archivePublishedVersions, findPage, versionStubs, clearHints, findPublicVersion
  };
}

export type UnitRepository = ReturnType<typeof createUnitRepository>;
