/**
 * The audit trail: append-only events (who — which API key —, when, what, why).
 *
 * Credential status changes are also the source of truth of status: each change of credential C
 * is the event with `transitionKey` `<C>:<n>` (n = 1, 2, ...), under a unique index. Inserting it
 * is the only step that must be atomic, and an insert against a unique index is atomic on
 * MongoDB and on FerretDB v1 alike (FerretDB applies updates as read → modify → write, so a
 * conditional update is not a compare-and-set there). The credential document's status is a
 * cache of the newest event; status lists are rebuilt from the events.
 */
import {type Connection, Schema, type Types} from 'mongoose';

import {registerModel} from '../platform/db.js';

export const AUDIT_ACTIONS = [
  'credential.revoked', 'credential.suspended', 'credential.reinstated', 'share.withdrawn',
  'learner.erased', 'key.rotated', 'key.revoked', 'apikey.created', 'apikey.revoked'
] as const;
export type AuditAction = typeof AUDIT_ACTIONS[number];

/** An audit event as stored. */
export interface AuditEventRecord {
  _id: Types.ObjectId;
  orgId: Types.ObjectId;
  at: Date;
  action: AuditAction;
  /** The API key that acted (its id), or `admin` for the operator. */
  actor: string;
  targetType: 'credential' | 'learner' | 'key' | 'apikey';
  targetId: string;
  reason?: string;
  /** Status changes only: `<credentialId>:<n>`, unique. */
  transitionKey?: string;
  /** Status changes only: n of the transition key. */
  seq?: number;
  fromStatus?: string;
  toStatus?: string;
  revocationListId?: number;
  revocationIndex?: number;
  suspensionListId?: number;
  suspensionIndex?: number;
}

const auditEventSchema = new Schema<AuditEventRecord>({
  orgId: {type: Schema.Types.ObjectId, required: true},
  at: {type: Date, required: true},
  action: {type: String, required: true, enum: AUDIT_ACTIONS},
  actor: {type: String, required: true},
  targetType: {type: String, required: true},
  targetId: {type: String, required: true},
  reason: String,
  transitionKey: String,
  seq: Number,
  fromStatus: String,
  toStatus: String,
  revocationListId: Number,
  revocationIndex: Number,
  suspensionListId: Number,
  suspensionIndex: Number
}, {versionKey: false});
auditEventSchema.index({transitionKey: 1}, {unique: true, sparse: true});
auditEventSchema.index({orgId: 1, at: -1});
auditEventSchema.index({orgId: 1, targetId: 1, seq: -1});
auditEventSchema.index({orgId: 1, revocationListId: 1, revocationIndex: 1});
auditEventSchema.index({orgId: 1, suspensionListId: 1, suspensionIndex: 1, seq: -1});

/** A signed status list credential, cached per list and per change marker. */
export interface SignedStatusListRecord {
  _id: Types.ObjectId;
  orgId: Types.ObjectId;
  purpose: string;
  listId: number;
  /** The newest audit event that touched the list (hex id), or `empty`. */
  marker: string;
  /** The signed BitstringStatusListCredential, as JSON text. */
  document: string;
  createdAt: Date;
}

const signedStatusListSchema = new Schema<SignedStatusListRecord>({
  orgId: {type: Schema.Types.ObjectId, required: true},
  purpose: {type: String, required: true},
  listId: {type: Number, required: true},
  marker: {type: String, required: true},
  document: {type: String, required: true}
}, {timestamps: {createdAt: true, updatedAt: false}, versionKey: false});
signedStatusListSchema.index({orgId: 1, purpose: 1, listId: 1, marker: 1}, {unique: true});

/** Registers the audit and signed-list models on a connection. */
export function auditModels(db: Connection) {
  return {
    AuditEvent: registerModel(db, 'AuditEvent', auditEventSchema, 'audit'),
    SignedStatusList: registerModel(db, 'SignedStatusList', signedStatusListSchema, 'signedstatuslists')
  };
}

export type AuditModels = ReturnType<typeof auditModels>;
