/**
 * Learners and their erasure tombstones.
 *
 * `learners` holds the personal data (erasable): names, e-mail (lower case), birth date, the
 * organisation's learner number, the learner's DID and the per-learner salt of the hashed e-mail
 * identifier. The learner number is unique per organisation through `externalKey`
 * (`<orgId>:<externalId>`) under a unique *sparse single-field* index: learners without a number
 * have no `externalKey` and are not in the index. A partial index would say this more directly
 * but FerretDB v1 does not implement `partialFilterExpression`, and a sparse *compound* index on
 * (orgId, externalId) does not work on MongoDB (it indexes a document that has any of the fields,
 * so every learner without a number would collide on (orgId, null)).
 *
 * `learnernumbers` maps a learner number to its learner by `_id` (`externalKey`): FerretDB v1 uses
 * an index only for `_id` lookups, so matching an inline learner by `{externalKey}` would read the
 * whole collection for every achievement and every row of a bulk import. The unique index on
 * `learners.externalKey` stays the authority; a pointer is only a shortcut, checked against the
 * learner it names (a stale one, after an erasure or a changed number, is ignored and replaced;
 * a missing one, after a crash between the two inserts, is found by the slow query and repaired).
 *
 * `learnererasures` holds what survives an erasure: the learner's id, organisation and time.
 * Erasure writes the tombstone, then deletes the learner document. The tombstone lives in a
 * collection of its own because FerretDB v1 applies an update by rewriting the whole document
 * from an earlier read: an update racing with an in-place erasure could write the personal data
 * back; a deleted document cannot be written back.
 */
import {type Connection, Schema, type Types} from 'mongoose';

import {registerModel} from '../platform/db.js';

/** A learner as stored. */
export interface LearnerRecord {
  _id: Types.ObjectId;
  orgId: Types.ObjectId;
  givenName: string;
  familyName: string;
  email?: string;
  /** YYYY-MM-DD (a calendar date, no time zone). */
  birthDate?: string;
  externalId?: string;
  /** `<orgId>:<externalId>`, present only with an externalId (the unique key). */
  externalKey?: string;
  did?: string;
  /** Random salt of the learner's hashed e-mail identifier (OB 3.0 IdentityObject). */
  identitySalt: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What is kept of an erased learner. */
export interface LearnerErasureRecord {
  /** The learner's id. */
  _id: Types.ObjectId;
  orgId: Types.ObjectId;
  erasedAt: Date;
}

const learnerSchema = new Schema<LearnerRecord>({
  orgId: {type: Schema.Types.ObjectId, required: true},
  givenName: {type: String, required: true},
  familyName: {type: String, required: true},
  email: String,
  birthDate: String,
  externalId: String,
  externalKey: String,
  did: String,
  identitySalt: {type: String, required: true}
}, {timestamps: true, versionKey: false});
learnerSchema.index({externalKey: 1}, {unique: true, sparse: true});
learnerSchema.index({orgId: 1, email: 1});

const learnerErasureSchema = new Schema<LearnerErasureRecord>({
  orgId: {type: Schema.Types.ObjectId, required: true},
  erasedAt: {type: Date, required: true}
}, {versionKey: false});

/** An `_id`-keyed pointer from a learner number to its learner. */
export interface LearnerNumberRecord {
  /** The learner's `externalKey`, `<orgId>:<externalId>`. */
  _id: string;
  learnerId: Types.ObjectId;
}

const learnerNumberSchema = new Schema<LearnerNumberRecord>({
  _id: {type: String, required: true},
  learnerId: {type: Schema.Types.ObjectId, required: true}
}, {versionKey: false});

/** Registers the learner models on a connection. */
export function learnerModels(db: Connection) {
  return {
    Learner: registerModel(db, 'Learner', learnerSchema, 'learners'),
    LearnerErasure: registerModel(db, 'LearnerErasure', learnerErasureSchema, 'learnererasures'),
    LearnerNumber: registerModel(db, 'LearnerNumber', learnerNumberSchema, 'learnernumbers')
  };
}

export type LearnerModels = ReturnType<typeof learnerModels>;

/** The unique key of a learner number within its organisation. */
export function externalKeyOf(orgId: string | Types.ObjectId, externalId: string): string {
  return `${String(orgId)}:${externalId}`;
}
