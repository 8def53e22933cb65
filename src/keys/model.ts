/**
 * Issuer signing keys. The private key is stored only encrypted (AES-256-GCM under the KEK).
 * State: `active` (signs new credentials; one per organisation), `retired` (after a rotation;
 * still listed in the DID document so earlier credentials verify), `revoked` (compromised;
 * removed from the DID document, so credentials it signed no longer verify).
 */
import {type Connection, Schema, type Types} from 'mongoose';

import {registerModel} from '../platform/db.js';
import type {PublicJwk} from './did.js';
import type {EncryptedSecret} from './encryption.js';

export type KeyState = 'active' | 'retired' | 'revoked';

/** A signing key as stored. */
export interface KeyRecord {
  _id: Types.ObjectId;
  orgId: Types.ObjectId;
  /** The DID that controls the key (the org's did:web, or this key's own did:key). */
  controller: string;
  /** Verification method id of the Multikey form (Data Integrity `verificationMethod`). */
  multikeyId: string;
  /** Verification method id of the JsonWebKey form (JOSE `kid`). */
  jwkId: string;
  publicKeyMultibase: string;
  publicKeyJwk: PublicJwk;
  /** The 32-byte Ed25519 seed, encrypted. */
  encryptedSeed: EncryptedSecret;
  state: KeyState;
  createdAt: Date;
  retiredAt?: Date;
  revokedAt?: Date;
}

const keySchema = new Schema<KeyRecord>({
  orgId: {type: Schema.Types.ObjectId, required: true},
  controller: {type: String, required: true},
  multikeyId: {type: String, required: true},
  jwkId: {type: String, required: true},
  publicKeyMultibase: {type: String, required: true},
  publicKeyJwk: {type: Schema.Types.Mixed, required: true},
  encryptedSeed: {type: Schema.Types.Mixed, required: true},
  state: {type: String, required: true, enum: ['active', 'retired', 'revoked']},
  retiredAt: Date,
  revokedAt: Date
}, {timestamps: {createdAt: true, updatedAt: false}, versionKey: false, minimize: false});
keySchema.index({multikeyId: 1}, {unique: true});
keySchema.index({jwkId: 1});
keySchema.index({orgId: 1, state: 1});
keySchema.index({controller: 1});

/** Registers the key model on a connection. */
export function keyModels(db: Connection) {
  return {Key: registerModel(db, 'Key', keySchema, 'keys')};
}

export type KeyModels = ReturnType<typeof keyModels>;
