/**
 * The one JSON-LD document loader of carecred (issuance, verification and tests all use it).
 *
 * Lookup order is fixed: pinned contexts from npm packages → carecred's own contexts (served under
 * PUBLIC_BASE_URL, bundled in `contexts/`) → documents added by the caller (tests) → DIDs through
 * the injected resolver (our own from the database, `did:key` locally, foreign `did:web` over
 * HTTP with limits) → otherwise `DocumentNotFound`. It never fetches a context from the network.
 *
 * Contexts are returned as the same frozen objects every time, tagged `static`: jsonld.js keeps
 * resolved contexts across operations only for documents its loader tags `static` (otherwise it
 * resolves every context again for each credential and verification).
 */
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

import {PACKAGED_CONTEXTS} from './contexts.js';

/** What a JSON-LD document loader returns. */
export interface RemoteDocument {
  contextUrl: null;
  documentUrl: string;
  document: unknown;
  /** `static`: the document never changes, so jsonld.js may cache what it derives from it. */
  tag?: 'static';
}

export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/** Resolves a DID (or DID URL without fragment) to its DID document; undefined if unknown. */
export type DidResolver = (did: string) => Promise<object | undefined>;

/** The URL was not one the loader may serve. */
export class DocumentNotFound extends Error {
  constructor(readonly url: string, reason = 'not a known context or resolvable DID') {
    super(`Document not found: ${url} (${reason})`);
    this.name = 'DocumentNotFound';
  }
}

/**
 * carecred's own contexts: path under PUBLIC_BASE_URL → file in `contexts/`. A file writes
 * `{PUBLIC_BASE_URL}` where the deployment's base URL goes (its vocabulary IRIs live under it).
 */
export const OWN_CONTEXTS: Readonly<Record<string, string>> = {
  '/contexts/microcredential/v1': 'microcredential-v1.jsonld'
};

const BASE_URL_PLACEHOLDER = /\{PUBLIC_BASE_URL\}/g;

/**
 * The URL of one of carecred's own contexts in a deployment.
 *
 * @param options.publicBaseUrl - PUBLIC_BASE_URL.
 * @param options.path - path in OWN_CONTEXTS.
 * @returns the absolute context URL.
 */
export function ownContextUrl({publicBaseUrl, path}: {publicBaseUrl: string; path: string}): string {
  return `${publicBaseUrl}${path}`;
}

/**
 * Reads one of carecred's own contexts, as served by this deployment.
 *
 * @param path - a path in OWN_CONTEXTS.
 * @param publicBaseUrl - PUBLIC_BASE_URL, substituted for `{PUBLIC_BASE_URL}` in the file.
 * @returns the parsed, frozen context document.
 * @throws DocumentNotFound if the path is not one of carecred's contexts.
 */
export function readOwnContext(path: string, publicBaseUrl: string): unknown {
  const file = OWN_CONTEXTS[path];
  if(!file) {
    throw new DocumentNotFound(path, 'not one of carecred\'s contexts');
  }
  const text = readFileSync(fileURLToPath(new URL(`./contexts/${file}`, import.meta.url)), 'utf8');
  // Substituted JSON-escaped, so no base URL can change the document's structure.
  const base = JSON.stringify(publicBaseUrl).slice(1, -1);
  return deepFreeze(JSON.parse(text.replace(BASE_URL_PLACEHOLDER, () => base)));
}

function deepFreeze<T>(value: T): T {
  if(value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for(const child of Object.values(value)) {
      deepFreeze(child);
    }
  }
  return value;
}

/** Finds a verification method (by id) in a DID document. */
function findVerificationMethod(document: Record<string, unknown>, id: string): object | undefined {
  const methods = (document.verificationMethod ?? []) as {id: string}[];
  const method = methods.find(candidate => candidate.id === id ||
    `${document.id as string}${candidate.id}` === id);
  return method ? {'@context': document['@context'], ...method} : undefined;
}

/**
 * Creates the document loader.
 *
 * @param options.publicBaseUrl - where carecred's own contexts are served.
 * @param options.resolveDid - resolves DIDs (own, did:key, foreign did:web).
 * @param options.documents - extra documents by URL (tests add theirs here).
 * @returns the loader.
 */
export function createDocumentLoader({publicBaseUrl, resolveDid, documents = new Map()}: {
  publicBaseUrl: string; resolveDid?: DidResolver; documents?: Map<string, unknown>;
}): DocumentLoader {
  const pinned = new Map<string, unknown>();
  for(const [url, document] of PACKAGED_CONTEXTS) {
    pinned.set(url, deepFreeze(structuredClone(document)));
  }
  for(const path of Object.keys(OWN_CONTEXTS)) {
    pinned.set(ownContextUrl({publicBaseUrl, path}), readOwnContext(path, publicBaseUrl));
  }
  return async function documentLoader(url: string): Promise<RemoteDocument> {
    const known = pinned.get(url);
    if(known !== undefined) {
      return {contextUrl: null, documentUrl: url, document: known, tag: 'static'};
    }
    const added = documents.get(url);
    if(added !== undefined) {
      return {contextUrl: null, documentUrl: url, document: added};
    }
    if(url.startsWith('did:') && resolveDid) {
      const [did, fragment] = url.split('#', 2);
      const didDocument = await resolveDid(did!) as Record<string, unknown> | undefined;
      if(!didDocument) {
        throw new DocumentNotFound(url, 'DID could not be resolved');
      }
      if(fragment === undefined) {
        return {contextUrl: null, documentUrl: url, document: didDocument};
      }
      const method = findVerificationMethod(didDocument, url);
      if(!method) {
        throw new DocumentNotFound(url, 'no such verification method in the DID document');
      }
      return {contextUrl: null, documentUrl: url, document: method};
    }
    throw new DocumentNotFound(url);
  };
}
