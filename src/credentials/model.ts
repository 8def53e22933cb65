/**
 * Issued credentials. The signed document is stored exactly as issued, as text (JSON or compact
 * JWS): it keeps the bytes and avoids the database's key restrictions. The document is the only
 * part that holds the learner's personal data; a GDPR erasure removes it and keeps what status
 * serving and revocation need (ids, status, status list positions).
 *
 * `liveSlot` enforces "one live credential per achievement, profile and format" with a unique
 * index (no partial indexes needed): it is `<achievementId>:<profile>:<format>` while the
 * credential is active or suspended, and becomes `revoked:<id>` when it is revoked, so the
 * school may issue a corrected one.
 */
import {type Connection, Schema, type Types} from 'mongoose';

import {registerModel} from '../platform/db.js';

export type Profile = 'ob3' | 'edc';
export type Format = 'di' | 'jwt';
export type CredentialStatus = 'active' | 'suspended' | 'revoked';

/** A credential as stored. */
export interface CredentialRecord {
  _id: Types.ObjectId;
  orgId: Types.ObjectId;
  achievementId: Types.ObjectId;
  learnerId: Types.ObjectId;
  unitId: Types.ObjectId;
  unitVersion: number;
  profile: Profile;
  format: Format;
  /** The credential's `id`, `urn:uuid:...`. */
  credentialId: string;
  /** The signed credential as issued (JSON text or compact JWS); removed by erasure. */
  document?: string;
  issuerDid: string;
  keyId: Types.ObjectId;
  verificationMethod: string;
  issuedAt: Date;
  validUntil?: Date;
  status: CredentialStatus;
  statusReason?: string;
  statusChangedAt?: Date;
  /** n of the newest status event applied to this cached status (see status/audit-model.ts). */
  statusSeq?: number;
  revocationListId: number;
  revocationIndex: number;
  suspensionListId: number;
  suspensionIndex: number;
  shareId: string;
  shareWithdrawnAt?: Date;
  liveSlot: string;
  erasedAt?: Date;
}

const credentialSchema = new Schema<CredentialRecord>({
  orgId: {type: Schema.Types.ObjectId, required: true},
  achievementId: {type: Schema.Types.ObjectId, required: true},
  learnerId: {type: Schema.Types.ObjectId, required: true},
  unitId: {type: Schema.Types.ObjectId, required: true},
  unitVersion: {type: Number, required: true},
  profile: {type: String, required: true, enum: ['ob3', 'edc']},
  format: {type: String, required: true, enum: ['di', 'jwt']},
  credentialId: {type: String, required: true},
  document: String,
  issuerDid: {type: String, required: true},
  keyId: {type: Schema.Types.ObjectId, required: true},
  verificationMethod: {type: String, required: true},
  issuedAt: {type: Date, required: true},
  validUntil: Date,
  status: {type: String, required: true, enum: ['active', 'suspended', 'revoked']},
  statusReason: String,
  statusChangedAt: Date,
  statusSeq: Number,
  revocationListId: {type: Number, required: true},
  revocationIndex: {type: Number, required: true},
  suspensionListId: {type: Number, required: true},
  suspensionIndex: {type: Number, required: true},
  shareId: {type: String, required: true},
  shareWithdrawnAt: Date,
  liveSlot: {type: String, required: true},
  erasedAt: Date
}, {versionKey: false});
credentialSchema.index({liveSlot: 1}, {unique: true});
credentialSchema.index({shareId: 1}, {unique: true});
credentialSchema.index({credentialId: 1}, {unique: true});
credentialSchema.index({orgId: 1, issuedAt: -1});
credentialSchema.index({orgId: 1, learnerId: 1});
credentialSchema.index({orgId: 1, unitId: 1});
credentialSchema.index({orgId: 1, achievementId: 1});
credentialSchema.index({orgId: 1, revocationListId: 1, status: 1});
credentialSchema.index({orgId: 1, suspensionListId: 1, status: 1});

/** Registers the credential model on a connection. */
export function credentialModels(db: Connection) {
  return {Credential: registerModel(db, 'Credential', credentialSchema, 'credentials')};
}

export type CredentialModels = ReturnType<typeof credentialModels>;
