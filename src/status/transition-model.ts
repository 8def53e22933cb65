/**
 * Status transitions: the source of truth of a credential's status, keyed so that every read is
 * an `_id` lookup.
 *
 * Change n of credential C is the document `_id: "<C>:<n>"` (n = 1, 2, ...). Inserting it is the
 * one atomic step of a revoke, suspend or reinstate: `_id` is unique on MongoDB and on FerretDB
 * v1 alike, so two processes changing one credential at once cannot both take n. The newest
 * change is found by probing `<C>:<s+1>`, `<C>:<s+2>`, ... from the status cached on the
 * credential document (s, never ahead of the truth) until one is missing: one or two `_id`
 * lookups. A query on any other field scans its collection on FerretDB v1's SQLite backend,
 * where only `_id` lookups use an index; measured on the audit trail it held before (a sorted
 * find by credential), a verification cost 55 ms at 1,000 events and 2.4 s at 50,000.
 *
 * The audit event of a change (who, when, why) is written after its transition, under a unique
 * `transitionKey`; a crash in between is repaired by the next read of the credential, which finds
 * the transition beyond its cache and writes what is missing (see service.ts `settle`).
 *
 * A status list's change marker (`statuslistmarkers`, `_id: "<org>/<purpose>-<list>"`) is set to
 * a fresh value after each transition that touches the list, so serving a list reads one `_id`
 * to know whether its signed copy is current. The marker lives in a document of its own (see
 * model.ts on FerretDB's whole-document updates). The signed copy (`signedstatuslists`) is kept
 * under `_id: "<org>/<purpose>-<list>/<marker>"`; copies of earlier markers are deleted.
 */
import {type Connection, Schema, type Types} from 'mongoose';

import {registerModel} from '../platform/db.js';

/** A status transition as stored. */
export interface StatusTransitionRecord {
  /** `<credential id>:<n>`. */
  _id: string;
  orgId: Types.ObjectId;
  credentialId: string;
  seq: number;
  fromStatus: string;
  toStatus: string;
  at: Date;
  /** The API key that acted (its id), or `admin`. */
  actor: string;
  reason?: string;
  revocationListId?: number;
  revocationIndex?: number;
  suspensionListId?: number;
  suspensionIndex?: number;
}

/** The change marker of one status list. */
export interface StatusListMarkerRecord {
  /** `<orgId>/<purpose>-<listId>`. */
  _id: string;
  /** A fresh random value per change; part of the list's ETag. */
  marker: string;
}

/** The `_id` of change n of a credential. */
export function transitionId(credentialId: string, seq: number): string {
  return `${credentialId}:${seq}`;
}

/** The `_id` of a list's marker. */
export function listMarkerId(orgId: Types.ObjectId | string, purpose: string, listId: number): string {
  return `${String(orgId)}/${purpose}-${listId}`;
}

/** A signed status list credential, kept per list and change marker. */
export interface SignedStatusListRecord {
  /** `<listMarkerId>/<marker>`. */
  _id: string;
  orgId: Types.ObjectId;
  purpose: string;
  listId: number;
  marker: string;
  /** The signed BitstringStatusListCredential, as JSON text. */
  document: string;
  createdAt: Date;
}

const statusTransitionSchema = new Schema<StatusTransitionRecord>({
  _id: {type: String, required: true},
  orgId: {type: Schema.Types.ObjectId, required: true},
  credentialId: {type: String, required: true},
  seq: {type: Number, required: true},
  fromStatus: {type: String, required: true},
  toStatus: {type: String, required: true},
  at: {type: Date, required: true},
  actor: {type: String, required: true},
  reason: String,
  revocationListId: Number,
  revocationIndex: Number,
  suspensionListId: Number,
  suspensionIndex: Number
}, {versionKey: false});
// For rebuilding a list's bits on MongoDB (FerretDB scans; that happens once per list change).
statusTransitionSchema.index({orgId: 1, revocationListId: 1, toStatus: 1});
statusTransitionSchema.index({orgId: 1, suspensionListId: 1, suspensionIndex: 1, seq: -1});

const statusListMarkerSchema = new Schema<StatusListMarkerRecord>({
  _id: {type: String, required: true},
  marker: {type: String, required: true}
}, {versionKey: false});

const signedStatusListSchema = new Schema<SignedStatusListRecord>({
  _id: {type: String, required: true},
  orgId: {type: Schema.Types.ObjectId, required: true},
  purpose: {type: String, required: true},
  listId: {type: Number, required: true},
  marker: {type: String, required: true},
  document: {type: String, required: true}
}, {timestamps: {createdAt: true, updatedAt: false}, versionKey: false});
signedStatusListSchema.index({orgId: 1, purpose: 1, listId: 1});

/** Registers the transition, list-marker and signed-list models on a connection. */
export function transitionModels(db: Connection) {
  return {
    SignedStatusList: registerModel(db, 'SignedStatusList', signedStatusListSchema, 'signedstatuslists'),
    StatusTransition: registerModel(db, 'StatusTransition', statusTransitionSchema, 'statustransitions'),
    StatusListMarker: registerModel(db, 'StatusListMarker', statusListMarkerSchema, 'statuslistmarkers')
  };
}

export type TransitionModels = ReturnType<typeof transitionModels>;
