/**
 * Issuer identities: each organisation's Ed25519 signing keys and the DID documents that
 * publish them. Private keys are generated here, encrypted at once and never leave this module
 * in clear (the signing workers decrypt them).
 */
import {generateKeyPairSync, type KeyObject} from 'node:crypto';

import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {Types} from 'mongoose';

import {Conflict, NotFound} from '../platform/errors.js';
import {createHotReads} from '../platform/hot-reads.js';
import {buildDidDocument, type DidKeyEntry, didKeyFor, didWebFor, type PublicJwk} from './did.js';
import {encryptSecret} from './encryption.js';
import type {KeyModels, KeyRecord} from './model.js';

/** A key as the API shows it. */
export interface IssuerKey {
  id: string;
  verificationMethod: string;
  jwkKid: string;
  controller: string;
  publicKeyMultibase: string;
  state: 'active' | 'retired' | 'revoked';
  createdAt: string;
  retiredAt?: string;
  revokedAt?: string;
}

const DID_CACHE_TTL_MS = 10_000;

function toIssuerKey(record: KeyRecord): IssuerKey {
  return {
    id: record._id.toHexString(), verificationMethod: record.multikeyId, jwkKid: record.jwkId,
    controller: record.controller, publicKeyMultibase: record.publicKeyMultibase,
    state: record.state, createdAt: record.createdAt.toISOString(),
    ...(record.retiredAt ? {retiredAt: record.retiredAt.toISOString()} : {}),
    ...(record.revokedAt ? {revokedAt: record.revokedAt.toISOString()} : {})
  };
}

function toDidKeyEntry(record: KeyRecord): DidKeyEntry {
  return {multikeyId: record.multikeyId, jwkId: record.jwkId,
    publicKeyMultibase: record.publicKeyMultibase, publicKeyJwk: record.publicKeyJwk};
}

/** Public Multikey encoding of an Ed25519 public key given as a JWK. */
async function multibaseOf(publicJwk: PublicJwk): Promise<string> {
  return (await Ed25519Multikey.fromJwk({jwk: {...publicJwk}})).publicKeyMultibase;
}

/**
 * Creates the keys service.
 *
 * @param options.models - the key model.
 * @param options.kek - key-encryption key (32 bytes).
 * @param options.publicBaseUrl - base of did:web identifiers.
 * @param options.setIssuerDid - records an organisation's new DID (did:key rotation).
 * @returns the service functions.
 */
export function createKeyService({models, kek, publicBaseUrl, setIssuerDid}: {
  models: KeyModels; kek: Uint8Array; publicBaseUrl: string;
  setIssuerDid: (options: {orgId: string; issuerDid: string}) => Promise<void>;
}) {
  const {Key} = models;
  const didCache = new Map<string, {expires: number; document: object | undefined}>();
  /** Each organisation's active signing key (see platform/hot-reads); forgotten on every key change. */
  const activeKeys = createHotReads(async (orgId: string) =>
    await Key.findOne({orgId, state: 'active'}).sort({_id: -1}).lean<KeyRecord>() ?? undefined);

  /** Generates, encrypts and stores a new active key for the organisation. */
  async function createKey({orgId, slug, didMethod}: {
    orgId: string; slug: string; didMethod: 'web' | 'key';
  }): Promise<KeyRecord> {
    const {privateKey, publicKey} = generateKeyPairSync('ed25519');
    const publicKeyJwk = publicKey.export({format: 'jwk'}) as PublicJwk;
    const seed = Buffer.from((privateKey as KeyObject).export({format: 'jwk'}).d!, 'base64url');
    const publicKeyMultibase = await multibaseOf(publicKeyJwk);
    const controller = didMethod === 'web' ? didWebFor({publicBaseUrl, slug}) :
      didKeyFor(publicKeyMultibase);
    const multikeyId = `${controller}#${publicKeyMultibase}`;
    // did:key documents are derived by any resolver with the one Multikey method, so the JOSE
    // `kid` of a did:key issuer is that method too; did:web documents also list a JsonWebKey.
    const jwkId = didMethod === 'key' ? multikeyId : `${controller}#jwk-${publicKeyMultibase.slice(-16)}`;
    const record = await Key.create({
      _id: new Types.ObjectId(), orgId, controller, multikeyId, jwkId, publicKeyMultibase,
      publicKeyJwk: {kty: 'OKP', crv: 'Ed25519', x: publicKeyJwk.x},
      encryptedSeed: encryptSecret({kek, secret: seed, associatedData: multikeyId}),
      state: 'active'
    });
    seed.fill(0);
    didCache.delete(controller);
    activeKeys.forget(orgId);
    return record.toObject();
  }

  /**
   * Makes the first signing key of a new organisation.
   *
   * @returns the issuer DID.
   */
  async function provisionIssuer(options: {orgId: string; slug: string; didMethod: 'web' | 'key'}):
    Promise<{issuerDid: string}> {
    const record = await createKey(options);
    return {issuerDid: record.controller};
  }

  /**
   * The key that signs the organisation's new credentials.
   *
   * @throws {NotFound} when the organisation has no active key.
   */
  async function getActiveKey(orgId: string): Promise<KeyRecord> {
    const record = await activeKeys.get(orgId);
    if(!record) {
      throw new NotFound('Active signing key of organisation', orgId);
    }
    return record;
  }

  /**
   * Rotates: a new active key; the previous one is retired but stays in the DID document.
   * Concurrent rotations leave exactly one active key (the newest retires all older ones).
   *
   * @returns the new key.
   */
  async function rotateKey({orgId, slug}: {orgId: string; slug: string}): Promise<IssuerKey> {
    const current = await getActiveKey(orgId);
    const didMethod = current.controller.startsWith('did:key:') ? 'key' : 'web';
    const created = await createKey({orgId, slug, didMethod});
    await Key.updateMany({orgId, state: 'active', _id: {$lt: created._id}},
      {$set: {state: 'retired', retiredAt: new Date()}});
    activeKeys.forget(orgId);
    if(didMethod === 'key') {
      await setIssuerDid({orgId, issuerDid: created.controller});
    }
    didCache.clear();
    return toIssuerKey(created);
  }

  /**
   * Revokes a compromised key: it leaves the DID document, so what it signed no longer verifies.
   * Revoking the active key makes a new one first, so the organisation can keep issuing.
   *
   * @throws {NotFound} for an unknown key or another organisation's.
   * @throws {Conflict} when the key is already revoked.
   */
  async function revokeKey({orgId, slug, keyId}: {orgId: string; slug: string; keyId: string}):
    Promise<IssuerKey> {
    const record = await Key.findOne({_id: keyId, orgId}).lean<KeyRecord>();
    if(!record) {
      throw new NotFound('Signing key', keyId);
    }
    if(record.state === 'revoked') {
      throw new Conflict('The key is already revoked.', 'lifecycle-conflict');
    }
    if(record.state === 'active') {
      await rotateKey({orgId, slug});
    }
    const revoked = await Key.findOneAndUpdate({_id: keyId, orgId, state: {$ne: 'revoked'}},
      {$set: {state: 'revoked', revokedAt: new Date()}}, {returnDocument: 'after'})
      .lean<KeyRecord>();
    didCache.clear();
    activeKeys.forget(orgId);
    if(!revoked) {
      throw new Conflict('The key is already revoked.', 'lifecycle-conflict');
    }
    return toIssuerKey(revoked);
  }

  async function listKeys(orgId: string): Promise<IssuerKey[]> {
    const records = await Key.find({orgId}).sort({_id: 1}).lean<KeyRecord[]>();
    return records.map(toIssuerKey);
  }

  /**
   * The DID document of one of carecred's own DIDs, from the database (cached briefly).
   * Revoked keys are not in it; a did:key whose only key is revoked does not resolve here.
   *
   * @returns the DID document, or undefined when the DID is not one of ours.
   */
  async function resolveOwnDid(did: string): Promise<object | undefined> {
    const hit = didCache.get(did);
    if(hit && hit.expires > Date.now()) {
      return hit.document;
    }
    const records = await Key.find({controller: did, state: {$ne: 'revoked'}}).sort({_id: 1})
      .lean<KeyRecord[]>();
    const document = records.length === 0 ? undefined : did.startsWith('did:key:') ?
      didKeyDocument(records[0]!) : buildDidDocument({did, keys: records.map(toDidKeyEntry)});
    didCache.set(did, {expires: Date.now() + DID_CACHE_TTL_MS, document});
    return document;
  }

  /**
   * The served did:web document of an organisation.
   *
   * @throws {NotFound} when the slug has no did:web keys.
   */
  async function getDidWebDocument(slug: string): Promise<object> {
    const document = await resolveOwnDid(didWebFor({publicBaseUrl, slug}));
    if(!document) {
      throw new NotFound('DID document of issuer', slug);
    }
    return document;
  }

  /**
   * The organisation whose key (in any state) is controlled by a DID: how verification tells
   * that an issuer is one of carecred's (a did:key organisation has one DID per key).
   *
   * @returns the organisation id, or undefined when no key of carecred has this controller.
   */
  async function findOrgOfController(did: string): Promise<string | undefined> {
    const record = await Key.findOne({controller: did}, {orgId: 1}).lean<Pick<KeyRecord, 'orgId'>>();
    return record?.orgId.toHexString();
  }

  return {
    provisionIssuer, getActiveKey, rotateKey, revokeKey, listKeys, resolveOwnDid,
    getDidWebDocument, findOrgOfController
  };
}

/** The did:key document of one key (the same shape as a did:key resolver derives). */
function didKeyDocument(record: KeyRecord): object {
  return buildDidDocument({did: record.controller, keys: [toDidKeyEntry(record)]});
}

export type KeyService = ReturnType<typeof createKeyService>;
