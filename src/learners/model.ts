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
 * `learnerlookups` leads from a learner number to its learner under an `_id` key (FerretDB v1
 * uses an index only for `_id` lookups; a query by `externalKey` reads the whole collection):
 * `_id` = `ext:` + SHA-256 of `externalKey`, so the number itself is not kept there. A lookup is a
 * hint, checked on every read (the learner must still have that number); the unique index on
 * `externalKey` stays what makes a number unique. Erasure deletes the learner's lookup.
 *
 * `learnererasures` holds what survives an erasure: the learner's id, organisation and time.
 * Erasure writes the tombstone, then deletes the learner document. The tombstone lives in a
 * collection of its own because FerretDB v1 applies an update by rewriting the whole document
 * from an earlier read: an update racing with an in-place erasure could write the personal data
 * back; a deleted document cannot be written back.
 */
import {createHash} from 'node:crypto';

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

/** A learner number's lookup (see the design note). */
export interface LearnerLookupRecord {
  /** `ext:<sha256 hex of externalKey>`. */
  _id: string;
  learner: Types.ObjectId;
  at: Date;
}

const learnerLookupSchema = new Schema<LearnerLookupRecord>({
  _id: {type: String, required: true},
  learner: {type: Schema.Types.ObjectId, required: true},
  at: {type: Date, required: true}
}, {versionKey: false});

/** Registers the learner models on a connection. */
export function learnerModels(db: Connection) {
  return {
    Learner: registerModel(db, 'Learner', learnerSchema, 'learners'),
    LearnerLookup: registerModel(db, 'LearnerLookup', learnerLookupSchema, 'learnerlookups'),
    LearnerErasure: registerModel(db, 'LearnerErasure', learnerErasureSchema, 'learnererasures')
  };
}

export type LearnerModels = ReturnType<typeof learnerModels>;

/** The unique key of a learner number within its organisation. */
export function externalKeyOf(orgId: string | Types.ObjectId, externalId: string): string {
  return `${String(orgId)}:${externalId}`;
}

/** The `_id` of a learner number's lookup. */
export function learnerLookupIdOf(externalKey: string): string {
  return `ext:${createHash('sha256').update(externalKey).digest('hex')}`;
}
