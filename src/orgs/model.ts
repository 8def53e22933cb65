/**
 * Organisations (tenants, awarding bodies) and their API keys. Keys are stored only as
 * SHA-256 hashes of the secret (they are random and high-entropy, so a fast hash suffices).
 */
import {type Connection, Schema, type Types} from 'mongoose';

import {registerModel} from '../platform/db.js';

/** An organisation as stored. */
export interface OrganisationRecord {
  _id: Types.ObjectId;
  slug: string;
  name: Record<string, string>;
  country: string;
  region?: string;
  type: string;
  url?: string;
  email?: string;
  didMethod: 'web' | 'key';
  issuerDid: string;
  createdAt: Date;
  updatedAt: Date;
}

/** An API key as stored (never the secret). */
export interface ApiKeyRecord {
  _id: Types.ObjectId;
  orgId: Types.ObjectId;
  orgSlug: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
}

const organisationSchema = new Schema<OrganisationRecord>({
  slug: {type: String, required: true},
  name: {type: Schema.Types.Mixed, required: true},
  country: {type: String, required: true},
  region: String,
  type: {type: String, required: true},
  url: String,
  email: String,
  didMethod: {type: String, required: true, enum: ['web', 'key']},
  issuerDid: {type: String, required: true}
}, {timestamps: true, minimize: false, versionKey: false});
organisationSchema.index({slug: 1}, {unique: true});

const apiKeySchema = new Schema<ApiKeyRecord>({
  orgId: {type: Schema.Types.ObjectId, required: true},
  orgSlug: {type: String, required: true},
  name: {type: String, required: true},
  prefix: {type: String, required: true},
  hash: {type: String, required: true},
  scopes: {type: [String], required: true},
  lastUsedAt: Date,
  revokedAt: Date
}, {timestamps: {createdAt: true, updatedAt: false}, versionKey: false});
apiKeySchema.index({hash: 1}, {unique: true});
apiKeySchema.index({orgId: 1, createdAt: 1});

/** Registers the models on a connection and returns them. */
export function orgModels(db: Connection) {
  return {
    Organisation: registerModel(db, 'Organisation', organisationSchema, 'organisations'),
    ApiKey: registerModel(db, 'ApiKey', apiKeySchema, 'apikeys')
  };
}

export type OrgModels = ReturnType<typeof orgModels>;
