/**
 * DID resolution for verification: `did:key` (Ed25519) derived locally, carecred's own DIDs
 * from the injected database resolver, foreign `did:web` documents over HTTPS through the safe
 * fetcher, each cached (DID → document) for `cacheTtlMs`.
 *
 * Foreign DID documents are normalised so that `https://www.w3.org/ns/did/v1` comes first in
 * `@context` (added when missing, moved to the front when elsewhere): jsonld-signatures then reads
 * `assertionMethod` directly instead of running a JSON-LD frame (slow, and it fails when the
 * document uses a context carecred does not hold). The keys a document lists are not changed.
 */
import * as DidKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {LRUCache} from 'lru-cache';

import {DID_CONTEXT_URL, didWebDocumentUrl, didWebFor, MULTIKEY_CONTEXT_URL} from '../keys/index.js';
import type {DidResolver} from '../platform/jsonld/document-loader.js';
import type {FetchRemote} from './safe-fetch.js';

/** A DID could not be resolved; the message says why in plain English. */
export class DidResolutionError extends Error {
  constructor(readonly did: string, reason: string, options?: {cause?: unknown}) {
    super(`The DID ${did} could not be resolved: ${reason}`, options);
    this.name = 'DidResolutionError';
  }
}

/** Resolves one of carecred's own DIDs from the database; undefined when it is not ours. */
export type ResolveOwnDid = (did: string) => Promise<object | undefined>;

const ED25519_MULTIKEY_HEADER = 'z6Mk';
const DID_KEY = /^did:key:z[1-9A-HJ-NP-Za-km-z]+$/;
const DID_WEB = /^did:web:[A-Za-z0-9.%_-]+(:[A-Za-z0-9.%_~-]+)*$/;

/** Puts the DID context first; adds it (and Multikey) when the document has no context. */
export function normaliseDidDocument(document: Record<string, unknown>): Record<string, unknown> {
  const raw = document['@context'];
  const contexts: unknown[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if(contexts[0] === DID_CONTEXT_URL) {
    return document;
  }
  const others = contexts.filter(context => context !== DID_CONTEXT_URL);
  const extra = contexts.length === 0 ? [MULTIKEY_CONTEXT_URL] : [];
  return {...document, '@context': [DID_CONTEXT_URL, ...extra, ...others]};
}

function createDidKeyDriver() {
  const driver = DidKey.driver();
  driver.use({multibaseMultikeyHeader: ED25519_MULTIKEY_HEADER, fromMultibase: Ed25519Multikey.from});
  return driver;
}

/**
 * Creates the DID resolver used by verification (and by the document loader).
 *
 * @param options.resolveOwnDid - carecred's own DIDs from the database (keys.resolveOwnDid).
 * @param options.fetchRemote - the safe fetcher for foreign did:web documents.
 * @param options.cacheTtlMs - how long a resolved document is reused.
 * @param options.publicBaseUrl - did:web DIDs under this base are carecred's own: never fetched.
 * @param options.isOwnDid - tells whether a did:key is carecred's (any key state); such a DID
 *   resolves only through `resolveOwnDid`, so a revoked own key stops verifying.
 * @returns `(did) => document | undefined`; undefined when the DID does not exist.
 * @throws {DidResolutionError} when a DID is malformed, of an unsupported method, or its
 *   document could not be fetched or is not a DID document for it.
 */
export function createDidResolver({resolveOwnDid, fetchRemote, cacheTtlMs = 300_000, publicBaseUrl,
  isOwnDid = async () => false}: {
  resolveOwnDid: ResolveOwnDid; fetchRemote: FetchRemote; cacheTtlMs?: number; publicBaseUrl?: string;
  isOwnDid?: (did: string) => Promise<boolean>;
}): DidResolver {
  const driver = createDidKeyDriver();
  const cache = new LRUCache<string, Record<string, unknown>>({max: 1000, ttl: Math.max(cacheTtlMs, 1)});
  const ownWebPrefix = publicBaseUrl ? didWebFor({publicBaseUrl, slug: ''}) : undefined;

  async function resolveDidKey(did: string): Promise<Record<string, unknown>> {
    if(!DID_KEY.test(did) || !did.startsWith(`did:key:${ED25519_MULTIKEY_HEADER}`)) {
      throw new DidResolutionError(did, 'only Ed25519 did:key identifiers (z6Mk...) are supported');
    }
    try {
      return await driver.get({did});
    } catch(error) {
      throw new DidResolutionError(did, 'not a valid did:key', {cause: error});
    }
  }

  async function resolveDidWeb(did: string): Promise<Record<string, unknown>> {
    if(!DID_WEB.test(did)) {
      throw new DidResolutionError(did, 'not a valid did:web identifier');
    }
    let fetched;
    try {
      fetched = await fetchRemote(didWebDocumentUrl(did), {accept: 'json'});
    } catch(error) {
      throw new DidResolutionError(did, (error as Error).message, {cause: error});
    }
    const document = fetched.json as Record<string, unknown> | undefined;
    if(!document || typeof document !== 'object' || Array.isArray(document) || document.id !== did) {
      throw new DidResolutionError(did, 'the fetched document is not the DID document of this DID');
    }
    return normaliseDidDocument(document);
  }

  /** carecred's own DIDs: from the database only (a revoked own did:key must not resolve). */
  async function resolveOwn(did: string): Promise<{own: boolean; document?: Record<string, unknown>}> {
    const document = await resolveOwnDid(did) as Record<string, unknown> | undefined;
    if(document) {
      return {own: true, document};
    }
    const own = did.startsWith('did:web:') ? Boolean(ownWebPrefix && did.startsWith(ownWebPrefix)) :
      await isOwnDid(did);
    return {own};
  }

  async function resolveForeign(did: string): Promise<Record<string, unknown>> {
    const hit = cache.get(did);
    if(hit) {
      return hit;
    }
    const document = did.startsWith('did:key:') ? await resolveDidKey(did) : await resolveDidWeb(did);
    cache.set(did, document);
    return document;
  }

  return async function resolveDid(did: string): Promise<object | undefined> {
    if(!did.startsWith('did:key:') && !did.startsWith('did:web:')) {
      throw new DidResolutionError(did, 'only did:key and did:web are supported');
    }
    const {own, document} = await resolveOwn(did);
    return own ? document : resolveForeign(did);
  };
}
