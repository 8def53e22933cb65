/**
 * Idempotency records (see idempotency.ts): one per (organisation, Idempotency-Key), unique, and
 * the stored answer of a finished request in `idempotencyresponses` under the record's `_id`.
 * Finishing a request is an insert, not an update of the record: FerretDB v1 scans the whole
 * collection for every update (even by `_id`), and these collections grow with every request.
 * The stored response is a JSON string, never a sub-document: a response may hold keys that
 * FerretDB refuses (`$`-prefixed, dotted), and the bytes replayed stay the bytes first sent.
 * No TTL index (FerretDB has none): expired records are swept periodically and ignored on read.
 */
import {type Connection, Schema, type Types} from 'mongoose';

import {registerModel} from './db.js';

/** An idempotency record as stored. */
export interface IdempotencyRecord {
  _id: Types.ObjectId;
  orgId: Types.ObjectId;
  key: string;
  /** sha256 hex of method, path and canonical JSON body. */
  requestHash: string;
  /** `done` only in records written before answers moved to `idempotencyresponses`. */
  state: 'in-progress' | 'done';
  /** Random token of the attempt that holds the record (while in progress). */
  owner?: string;
  /** Until when the owner's claim holds; after it a retry may take the request over. */
  leaseUntil?: Date;
  /** Stable across take-overs, so the operation can make its own writes re-runnable. */
  operationId: Types.ObjectId;
  status?: number;
  /** The response body as JSON text (absent for a response without body). */
  response?: string;
  createdAt: Date;
  expiresAt: Date;
}

const idempotencySchema = new Schema<IdempotencyRecord>({
  orgId: {type: Schema.Types.ObjectId, required: true},
  key: {type: String, required: true},
  requestHash: {type: String, required: true},
  state: {type: String, required: true, enum: ['in-progress', 'done']},
  owner: String,
  leaseUntil: Date,
  operationId: {type: Schema.Types.ObjectId, required: true},
  status: Number,
  response: String,
  createdAt: {type: Date, required: true},
  expiresAt: {type: Date, required: true}
}, {versionKey: false});
idempotencySchema.index({orgId: 1, key: 1}, {unique: true});
idempotencySchema.index({expiresAt: 1});

/** The answer of a finished request, under its record's `_id`. */
export interface IdempotencyResponseRecord {
  /** The idempotency record's `_id`. */
  _id: Types.ObjectId;
  status: number;
  /** The response body as JSON text (absent for a response without body). */
  response?: string;
  expiresAt: Date;
}

const idempotencyResponseSchema = new Schema<IdempotencyResponseRecord>({
  status: {type: Number, required: true},
  response: String,
  expiresAt: {type: Date, required: true}
}, {versionKey: false});
idempotencyResponseSchema.index({expiresAt: 1});

/** Registers the idempotency models on a connection. */
export function idempotencyModels(db: Connection) {
  return {
    Idempotency: registerModel(db, 'Idempotency', idempotencySchema, 'idempotency'),
    IdempotencyResponse: registerModel(db, 'IdempotencyResponse', idempotencyResponseSchema,
      'idempotencyresponses')
  };
}

export type IdempotencyModels = ReturnType<typeof idempotencyModels>;
