/**
 * Organisations and API keys: creating a tenant (with its issuer identity and a first key),
 * managing keys, and authenticating a request's key.
 */
import {Types} from 'mongoose';

import {Conflict, NotFound} from '../platform/errors.js';
import {createHotReads} from '../platform/hot-reads.js';
import type {ApiKeyPrincipal} from '../platform/http/principal.js';
import {randomSecret, sha256Hex} from '../platform/secrets.js';
import type {ApiKeyRecord, OrganisationRecord, OrgModels} from './model.js';

export const ALL_SCOPES = ['catalog:write', 'issue', 'revoke', 'read', 'admin'] as const;
export type Scope = typeof ALL_SCOPES[number];

const API_KEY_PREFIX = 'cck';

/** Input of `createOrganisation` (the contract's OrganisationInput). */
export interface OrganisationInput {
  slug: string;
  name: Record<string, string>;
  country: string;
  region?: string;
  type: string;
  url?: string;
  email?: string;
  didMethod?: 'web' | 'key';
}

/** An organisation as the API shows it. */
export interface Organisation {
  id: string;
  slug: string;
  name: Record<string, string>;
  country: string;
  region?: string;
  type: string;
  url?: string;
  email?: string;
  didMethod: 'web' | 'key';
  issuerDid: string;
  createdAt: string;
}

/** An API key as the API shows it (never the secret). */
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

/** What the keys module does when an organisation is created: make its signing key and DID. */
export type ProvisionIssuer = (options: {
  orgId: string; slug: string; didMethod: 'web' | 'key';
}) => Promise<{issuerDid: string}>;

/** Drops undefined members, so optional fields are absent rather than null in responses. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/** Maps a stored organisation to its API shape. */
export function toOrganisation(record: OrganisationRecord): Organisation {
  return compact({
    id: record._id.toHexString(), slug: record.slug, name: record.name, country: record.country,
    region: record.region, type: record.type, url: record.url, email: record.email,
    didMethod: record.didMethod, issuerDid: record.issuerDid,
    createdAt: record.createdAt.toISOString()
  });
}

function toApiKey(record: ApiKeyRecord): ApiKey {
  return compact({
    id: record._id.toHexString(), name: record.name, prefix: record.prefix, scopes: record.scopes,
    createdAt: record.createdAt.toISOString(), lastUsedAt: record.lastUsedAt?.toISOString(),
    revokedAt: record.revokedAt?.toISOString()
  });
}

function isDuplicateKey(error: unknown): boolean {
  return (error as {code?: number})?.code === 11000;
}

/**
 * Creates the organisations service.
 *
 * @param options.models - the org models.
 * @param options.provisionIssuer - creates the signing key and returns the issuer DID.
 * @returns the service functions.
 */
export function createOrgService({models, provisionIssuer}: {
  models: OrgModels; provisionIssuer: ProvisionIssuer;
}) {
  const {Organisation, ApiKey} = models;
  /** The principal behind a presented API key, by the key's hash (see platform/hot-reads). */
  const principals = createHotReads(principalOf);

  async function insertApiKey({orgId, orgSlug, name, scopes}: {
    orgId: Types.ObjectId; orgSlug: string; name: string; scopes: readonly string[];
  }): Promise<{apiKey: ApiKey; key: string}> {
    const key = randomSecret(API_KEY_PREFIX);
    const record = await ApiKey.create({
      orgId, orgSlug, name, scopes: [...scopes], hash: sha256Hex(key),
      prefix: key.slice(0, API_KEY_PREFIX.length + 7)
    });
    return {apiKey: toApiKey(record.toObject()), key};
  }

  /**
   * Creates an organisation with its issuer key and a first API key with every scope.
   * The organisation document is written last: it is the commit point, so a failure before it
   * leaves no visible half-made tenant (an orphan key of an unknown org is never used).
   *
   * @throws {Conflict} when the slug is taken.
   */
  async function createOrganisation(input: OrganisationInput):
    Promise<{organisation: Organisation; apiKey: string}> {
    if(await Organisation.exists({slug: input.slug})) {
      throw new Conflict(`An organisation with slug '${input.slug}' already exists.`);
    }
    const orgId = new Types.ObjectId();
    const didMethod = input.didMethod ?? 'web';
    const {issuerDid} = await provisionIssuer({orgId: orgId.toHexString(), slug: input.slug, didMethod});
    const {key} = await insertApiKey({
      orgId, orgSlug: input.slug, name: 'initial key', scopes: ALL_SCOPES
    });
    try {
      const record = await Organisation.create({...input, _id: orgId, didMethod, issuerDid});
      return {organisation: toOrganisation(record.toObject()), apiKey: key};
    } catch(error) {
      await ApiKey.deleteMany({orgId}).catch(() => undefined);
      if(isDuplicateKey(error)) {
        throw new Conflict(`An organisation with slug '${input.slug}' already exists.`);
      }
      throw error;
    }
  }

  async function listOrganisations(): Promise<Organisation[]> {
    const records = await Organisation.find().sort({slug: 1}).lean<OrganisationRecord[]>();
    return records.map(toOrganisation);
  }

  /** @throws {NotFound} */
  async function getOrganisation(orgId: string): Promise<Organisation> {
    const record = Types.ObjectId.isValid(orgId) ?
      await Organisation.findById(orgId).lean<OrganisationRecord>() : null;
    if(!record) {
      throw new NotFound('Organisation', orgId);
    }
    return toOrganisation(record);
  }

  /** @returns the organisation with this slug, or undefined. */
  async function findOrganisationBySlug(slug: string): Promise<Organisation | undefined> {
    const record = await Organisation.findOne({slug}).lean<OrganisationRecord>();
    return record ? toOrganisation(record) : undefined;
  }

  /** Records a new issuer DID (did:key organisations get a new DID on key rotation). */
  async function setIssuerDid({orgId, issuerDid}: {orgId: string; issuerDid: string}): Promise<void> {
    await Organisation.updateOne({_id: orgId}, {$set: {issuerDid}});
  }

  /** @throws {NotFound} when the organisation does not exist. */
  async function createApiKey({orgId, name, scopes}: {orgId: string; name: string; scopes: string[]}):
    Promise<{apiKey: ApiKey; key: string}> {
    const organisation = await getOrganisation(orgId);
    return insertApiKey({orgId: new Types.ObjectId(orgId), orgSlug: organisation.slug, name, scopes});
  }

  async function listApiKeys(orgId: string): Promise<ApiKey[]> {
    const records = await ApiKey.find({orgId}).sort({createdAt: 1}).lean<ApiKeyRecord[]>();
    return records.map(toApiKey);
  }

  /**
   * Revokes a key of the organisation; it stops working at once (no cache).
   *
   * @throws {NotFound} for an unknown key or another organisation's key.
   */
  async function revokeApiKey({orgId, keyId}: {orgId: string; keyId: string}): Promise<ApiKey> {
    const record = await ApiKey.findOneAndUpdate(
      {_id: keyId, orgId, revokedAt: {$exists: false}}, {$set: {revokedAt: new Date()}},
      {returnDocument: 'after'}).lean<ApiKeyRecord>() ??
      await ApiKey.findOne({_id: keyId, orgId}).lean<ApiKeyRecord>();
    if(!record) {
      throw new NotFound('API key', keyId);
    }
    principals.forget(record.hash);
    return toApiKey(record);
  }

  /**
   * Looks a presented key up by its hash.
   *
   * @returns the principal, or undefined for an unknown or revoked key.
   */
  async function authenticateApiKey(secret: string): Promise<ApiKeyPrincipal | undefined> {
    return principals.get(sha256Hex(secret));
  }

  async function principalOf(hash: string): Promise<ApiKeyPrincipal | undefined> {
    const record = await ApiKey.findOne({hash}).lean<ApiKeyRecord>();
    if(!record || record.revokedAt) {
      return undefined;
    }
    return {
      kind: 'apiKey', orgId: record.orgId.toHexString(), orgSlug: record.orgSlug,
      keyId: record._id.toHexString(), scopes: record.scopes
    };
  }

  return {
    createOrganisation, listOrganisations, getOrganisation, findOrganisationBySlug, setIssuerDid,
    createApiKey, listApiKeys, revokeApiKey, authenticateApiKey
  };
}

export type OrgService = ReturnType<typeof createOrgService>;
