/**
 * Status lists (W3C Bitstring Status List). One document per list: its organisation, purpose and
 * number, its size, the counter that hands out positions, and the secret seed of the permutation
 * that turns a position into an index (see allocation.ts). The seed is never selected unless a
 * query asks for it (`+seed`), so a list read for any other purpose cannot leak it.
 *
 * `statusallocations` holds one document per handed-out position, under unique indexes on
 * (list, position) and (list, index): the database itself refuses a second holder of an index,
 * which is what makes allocation safe on FerretDB v1, whose updates are not atomic.
 *
 * On FerretDB v1 an update rewrites the whole document from a read taken before it, so two
 * concurrent updates of *different* fields of one document can undo each other. Allocation
 * writes `counter` and `state` of a list; keep fields that other code updates (a version, a
 * cached signed list) in a document of their own.
 */
import {type Connection, Schema, type Types} from 'mongoose';

import {registerModel} from '../platform/db.js';

export const STATUS_PURPOSES = ['revocation', 'suspension'] as const;
export type StatusPurpose = typeof STATUS_PURPOSES[number];

/** A status list as stored. */
export interface StatusListRecord {
  _id: Types.ObjectId;
  orgId: Types.ObjectId;
  purpose: StatusPurpose;
  /** 1, 2, 3, ... per organisation and purpose; part of the list's public URL. */
  listId: number;
  size: number;
  /** How many positions were handed out; only ever grows. */
  counter: number;
  /** 32 random bytes, base64url: the key of the index permutation. Secret. */
  seed: string;
  /** `open` while positions remain; `full` once the counter reached the size. */
  state: 'open' | 'full';
  createdAt: Date;
  updatedAt: Date;
}

/** One handed-out position of a list and its index. */
export interface StatusAllocationRecord {
  _id: Types.ObjectId;
  /** The list's `_id`. */
  list: Types.ObjectId;
  position: number;
  index: number;
}

const statusListSchema = new Schema<StatusListRecord>({
  orgId: {type: Schema.Types.ObjectId, required: true},
  purpose: {type: String, required: true, enum: STATUS_PURPOSES},
  listId: {type: Number, required: true},
  size: {type: Number, required: true},
  counter: {type: Number, required: true, default: 0},
  seed: {type: String, required: true, select: false},
  state: {type: String, required: true, enum: ['open', 'full'], default: 'open'}
}, {timestamps: true, versionKey: false});
// One list per number: settles the race when two processes open the next list at once.
statusListSchema.index({orgId: 1, purpose: 1, listId: 1}, {unique: true});

const statusAllocationSchema = new Schema<StatusAllocationRecord>({
  list: {type: Schema.Types.ObjectId, required: true},
  position: {type: Number, required: true},
  index: {type: Number, required: true}
}, {versionKey: false});
statusAllocationSchema.index({list: 1, position: 1}, {unique: true});
statusAllocationSchema.index({list: 1, index: 1}, {unique: true});

/** Registers the status models on a connection. */
export function statusModels(db: Connection) {
  return {
    StatusList: registerModel(db, 'StatusList', statusListSchema, 'statuslists'),
    StatusAllocation: registerModel(db, 'StatusAllocation', statusAllocationSchema, 'statusallocations')
  };
}

export type StatusModels = ReturnType<typeof statusModels>;
