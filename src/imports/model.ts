/**
 * Bulk imports, in four collections:
 * - `imports`: one small document per job (state, counts, checkpoint, lease epoch and
 *   heartbeat). Only the process that holds the job's lease writes it, about once a second.
 * - `importrows`: the uploaded rows, `_id: "<jobId>:<row>"` (row zero-padded so ids sort in row
 *   order), the row as JSON text exactly as parsed (CSV headers and JSON members are the
 *   uploader's, so they are never used as document keys). Deleted when the job completes.
 * - `importresults`: one inserted document per finished row, `_id: "<jobId>:<row>"`. Insert-only:
 *   a second insert for a row (a resumed job, a stalled owner) fails on the `_id` and the first
 *   result stands.
 * - `importleases`: `_id: "<jobId>:<epoch>"`, inserted to take a job's lease (see runner.ts).
 *
 * Every lookup on the rows, results and leases is by `_id`, which FerretDB v1 serves from its
 * index; range queries and updates there would scan the collection.
 */
import {type Connection, Schema, type Types} from 'mongoose';

import {registerModel} from '../platform/db.js';
import type {Problem} from '../platform/http/problem.js';

/** States of a job; `receiving` is internal (the upload is still being stored, never listed). */
export type ImportState = 'receiving' | 'queued' | 'running' | 'completed' | 'failed';
export type ImportMediaType = 'text/csv' | 'application/json';
export type ImportProfile = 'ob3' | 'edc';

/** Defaults from the query, for rows without a value of their own. */
export interface ImportDefaults {
  issue?: ImportProfile[];
  unitId?: string;
  unitVersion?: number;
  language?: string;
}

/** An import job as stored. */
export interface ImportJobRecord {
  _id: Types.ObjectId;
  orgId: Types.ObjectId;
  state: ImportState;
  mediaType: ImportMediaType;
  defaults: ImportDefaults;
  /** The idempotency operation that created the job (unique: one job per operation). */
  operationId?: string;
  rowsTotal: number;
  /** Progress over every finished row (may lag and, after a take-over, undercount until done). */
  rowsIssued: number;
  rowsFailed: number;
  /** Every row up to this one has a result; the counts below are exact for those rows. */
  checkpoint: number;
  checkpointIssued: number;
  checkpointFailed: number;
  /** The newest lease taken (a hint: `importleases` is the truth). */
  leaseEpoch: number;
  heartbeatAt: Date;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  /** Why the job failed (a problem document). */
  problem?: Problem;
}

/** An uploaded row. */
export interface ImportRowRecord {
  _id: string;
  raw: string;
  /** Why the row cannot be used whatever it holds (a CSV record with the wrong number of cells). */
  invalid?: string;
}

/** A credential issued for a row. */
export interface ImportedCredential {
  id: string;
  profile: ImportProfile;
  format: 'di' | 'jwt';
}

/** What became of a row. */
export interface ImportResultRecord {
  _id: string;
  status: 'issued' | 'failed';
  achievementId?: string;
  learnerId?: string;
  credentials?: ImportedCredential[];
  problem?: Problem;
  at: Date;
}

/** A lease taken on a job. */
export interface ImportLeaseRecord {
  _id: string;
  owner: string;
  at: Date;
}

const importJobSchema = new Schema<ImportJobRecord>({
  orgId: {type: Schema.Types.ObjectId, required: true},
  state: {type: String, required: true, enum: ['receiving', 'queued', 'running', 'completed', 'failed']},
  mediaType: {type: String, required: true},
  defaults: {type: Schema.Types.Mixed, default: {}},
  operationId: String,
  rowsTotal: {type: Number, required: true},
  rowsIssued: {type: Number, required: true},
  rowsFailed: {type: Number, required: true},
  checkpoint: {type: Number, required: true},
  checkpointIssued: {type: Number, required: true},
  checkpointFailed: {type: Number, required: true},
  leaseEpoch: {type: Number, required: true},
  heartbeatAt: {type: Date, required: true},
  createdAt: {type: Date, required: true},
  startedAt: Date,
  finishedAt: Date,
  problem: Schema.Types.Mixed
}, {versionKey: false, minimize: false});
importJobSchema.index({operationId: 1}, {unique: true, sparse: true});
importJobSchema.index({orgId: 1, _id: -1});
importJobSchema.index({state: 1, heartbeatAt: 1});

const importRowSchema = new Schema<ImportRowRecord>({
  _id: {type: String, required: true},
  raw: {type: String, required: true},
  invalid: String
}, {versionKey: false});

const importResultSchema = new Schema<ImportResultRecord>({
  _id: {type: String, required: true},
  status: {type: String, required: true, enum: ['issued', 'failed']},
  achievementId: String,
  learnerId: String,
  credentials: {type: [{_id: false, id: String, profile: String, format: String}], default: undefined},
  problem: Schema.Types.Mixed,
  at: {type: Date, required: true}
}, {versionKey: false});

const importLeaseSchema = new Schema<ImportLeaseRecord>({
  _id: {type: String, required: true},
  owner: {type: String, required: true},
  at: {type: Date, required: true}
}, {versionKey: false});

/** Registers the import models on a connection. */
export function importModels(db: Connection) {
  return {
    ImportJob: registerModel(db, 'ImportJob', importJobSchema, 'imports'),
    ImportRow: registerModel(db, 'ImportRow', importRowSchema, 'importrows'),
    ImportResult: registerModel(db, 'ImportResult', importResultSchema, 'importresults'),
    ImportLease: registerModel(db, 'ImportLease', importLeaseSchema, 'importleases')
  };
}

export type ImportModels = ReturnType<typeof importModels>;

const ROW_DIGITS = 9;

/**
 * The `_id` of a row's upload and of its result: `<jobId>:<row, zero-padded>`.
 *
 * @returns the id.
 */
export function rowKey(jobId: Types.ObjectId | string, row: number): string {
  return `${String(jobId)}:${String(row).padStart(ROW_DIGITS, '0')}`;
}

/**
 * The `_id` range of a job's rows or results (for the one-off clean-up of a whole job).
 *
 * @returns an `_id` filter.
 */
export function rowRange(jobId: Types.ObjectId | string): {_id: {$gt: string; $lt: string}} {
  return {_id: {$gt: `${String(jobId)}:`, $lt: `${String(jobId)};`}};
}
