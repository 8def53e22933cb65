/**
 * Issued credentials, in three collections:
 * - `credentials`: the metadata (small: ids, status, status list positions, key);
 * - `credentialdocuments`: the signed document exactly as issued, as text (JSON or compact JWS),
 *   under the credential's `_id` — it keeps the bytes, avoids the database's key restrictions,
 *   and keeps the big documents (Europass images) out of the collection that queries scan;
 * - `credentiallookups`: `_id`-keyed entries `share:<shareId>`, `vc:<credential id URI>` and
 *   `withdrawn:<shareId>`, because FerretDB v1 (SQLite) uses an index only for `_id` lookups.
 *
 * The document is the only part with the learner's personal data; a GDPR erasure deletes it and
 * keeps what status serving and revocation need. Writes are inserts, the metadata last: it is
 * the commit point, so nothing half-issued is ever visible.
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

/** A signed credential document as issued. */
export interface CredentialDocumentRecord {
  /** The credential's `_id`. */
  _id: Types.ObjectId;
  document: string;
}

const credentialDocumentSchema = new Schema<CredentialDocumentRecord>({
  document: {type: String, required: true}
}, {versionKey: false});

/** An `_id`-keyed pointer to a credential. */
export interface CredentialLookupRecord {
  /** `share:<shareId>`, `vc:<credential id URI>` or `withdrawn:<shareId>`. */
  _id: string;
  credential: Types.ObjectId;
  at: Date;
}

const credentialLookupSchema = new Schema<CredentialLookupRecord>({
  _id: {type: String, required: true},
  credential: {type: Schema.Types.ObjectId, required: true},
  at: {type: Date, required: true}
}, {versionKey: false});

/** Registers the credential models on a connection. */
export function credentialModels(db: Connection) {
  return {
    Credential: registerModel(db, 'Credential', credentialSchema, 'credentials'),
    CredentialDocument: registerModel(db, 'CredentialDocument', credentialDocumentSchema,
      'credentialdocuments'),
    CredentialLookup: registerModel(db, 'CredentialLookup', credentialLookupSchema, 'credentiallookups')
  };
}

export type CredentialModels = ReturnType<typeof credentialModels>;
