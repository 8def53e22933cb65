/**
 * The audit trail: append-only events (who — which API key —, when, what, why).
 *
 * A credential status change has one event here, written after its transition (the source of
 * truth, see transition-model.ts) under the transition's id as unique `transitionKey`, so a repair
 * that writes it again after a crash adds nothing.
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

/** Registers the audit model on a connection. */
export function auditModels(db: Connection) {
  return {
    AuditEvent: registerModel(db, 'AuditEvent', auditEventSchema, 'audit')
  };
}

export type AuditModels = ReturnType<typeof auditModels>;
