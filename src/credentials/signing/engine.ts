/**
 * The signing engine: what runs inside each signing worker thread (or on the main thread when
 * SIGNING_WORKERS=0). It holds the imported keys, the fast canonicalizer and the proof-option
 * templates of its thread, and signs through the unmodified library flow (`vc.issue` with a
 * `DataIntegrityProof` and the eddsa-rdfc-2022 cryptosuite), so the library's credential checks,
 * proof layout, hashing and encoding all apply; only canonicalization is swapped for the
 * byte-identical fast one (canonize.ts).
 *
 * Cross-check: every `crossCheckEvery`-th document (and the first) is also canonicalized by the
 * library; on a mismatch the library's bytes are used and the fast path is switched off for
 * good in this engine (reported as a fallback so the caller logs it).
 */
import {cryptosuite as libraryCryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';

import {type Canonize, type CanonizeOptions, createFastCanonize} from './canonize.js';
import {CredentialNotSignable} from './errors.js';
import {signCompactJws} from './jwt.js';
import {createKeyCache, type SigningKey} from './keys.js';
import {CachedKeyDataIntegrityProof, ProofTemplates} from './proof.js';

/** A JSON-LD document loader as jsonld.js calls it. */
export type EngineDocumentLoader = (url: string) => Promise<{contextUrl?: string | null;
  documentUrl: string; document: unknown; tag?: string}>;

/** How documents are canonicalized: carecred's fast path, or the library's own. */
export type Canonicalization = 'fast' | 'library';

/** A plain credential (JSON). */
export type Credential = Record<string, unknown>;

/** The result of a Data Integrity signature: the top-level members vc.issue added or replaced. */
export interface DataIntegrityChanges {
  changes: Credential & {proof: Record<string, unknown>};
  /** Set when the fast canonicalization was not used for a reason worth logging. */
  fallback?: string;
}

/** Options of an engine. */
export interface EngineOptions {
  documentLoader: EngineDocumentLoader;
  keyEncryptionKey: Uint8Array;
  canonicalization?: Canonicalization;
  /** Also canonicalize every n-th document with the library and compare (0 = never). */
  crossCheckEvery?: number;
}

/** Marks frozen (pinned, identity-stable) documents `static`, so jsonld caches their contexts. */
function withStaticTag(documentLoader: EngineDocumentLoader): EngineDocumentLoader {
  return async url => {
    const remote = await documentLoader(url);
    return Object.isFrozen(remote.document) && !('tag' in remote) ? {...remote, tag: 'static'} : remote;
  };
}

function reasonOf(error: unknown): string {
  if(error instanceof Error) {
    const event = (error as {details?: {event?: {code?: string; details?: Record<string, unknown>}}})
      .details?.event;
    const subject = event?.details?.property ?? event?.details?.type ?? event?.details?.term;
    return event?.code ? `${error.message} (${event.code}${subject ? `: ${String(subject)}` : ''})` :
      error.message;
  }
  return String(error);
}

/** A canonize function that reports why it did not use the fast path. */
export type CheckedCanonize = (input: object, options: CanonizeOptions,
  onFallback: (reason: string) => void) => Promise<string>;

/**
 * The canonize function of an engine: the fast one, cross-checked every n-th call against the
 * library, falling back to the library when the fast one fails and switching itself off when
 * they ever differ.
 *
 * @param options.fast - the fast canonize (null: always the library).
 * @param options.library - the cryptosuite's canonize.
 * @returns the checked canonize.
 */
export function createCheckedCanonize({fast, library, crossCheckEvery}: {
  fast: Canonize | null; library: Canonize; crossCheckEvery: number;
}): CheckedCanonize {
  let enabled = fast !== null;
  let count = 0;
  return async function canonize(input, options, onFallback) {
    if(!enabled || !fast) {
      return library(input, options);
    }
    let result: string;
    try {
      result = await fast(input, options);
    } catch(error) {
      const expected = await library(input, options);
      onFallback(`fast canonicalization failed where the library succeeded: ${reasonOf(error)}`);
      return expected;
    }
    if(crossCheckEvery > 0 && count++ % crossCheckEvery === 0) {
      const expected = await library(input, options);
      if(expected !== result) {
        enabled = false;
        onFallback('fast canonicalization differed from the library; fast path disabled');
        return expected;
      }
    }
    return result;
  };
}

/**
 * Creates a signing engine.
 *
 * @returns `signDataIntegrity` and `signJwt`.
 */
export function createSigningEngine({documentLoader, keyEncryptionKey, canonicalization = 'fast',
  crossCheckEvery = 1000}: EngineOptions) {
  const keys = createKeyCache({keyEncryptionKey});
  const templates = new ProofTemplates();
  const loader = withStaticTag(documentLoader);
  const canonize = createCheckedCanonize({crossCheckEvery, library: libraryCryptosuite.canonize,
    fast: canonicalization === 'fast' ? createFastCanonize() : null});

  /**
   * Adds an eddsa-rdfc-2022 DataIntegrityProof (assertionMethod) to a copy of the credential.
   *
   * @param options.created - the proof's `created` (XML Schema dateTime, seconds, `Z`).
   * @returns the top-level members to set on the credential (at least `proof`).
   * @throws {CredentialNotSignable} when the library refuses the credential.
   * @throws {SigningKeyUnusable} when the key cannot be used.
   */
  async function signDataIntegrity({credential, key, created}: {
    credential: Credential; key: SigningKey; created: string;
  }): Promise<DataIntegrityChanges> {
    const signBytes = keys.signerFor(key);
    let fallback: string | undefined;
    const cryptosuite = {...libraryCryptosuite, canonize: ((input, options) =>
      canonize(input, options, reason => fallback = reason)) satisfies Canonize};
    const suite = new CachedKeyDataIntegrityProof({signBytes, verificationMethod: key.multikeyId,
      created, cryptosuite, templates});
    const copy = {...credential};
    let signed: Credential;
    try {
      signed = await vc.issue({credential: copy, suite, documentLoader: loader});
    } catch(error) {
      throw new CredentialNotSignable(reasonOf(error), error);
    }
    const changes = Object.fromEntries(Object.entries(signed)
      .filter(([name, value]) => credential[name] !== value)) as DataIntegrityChanges['changes'];
    return fallback ? {changes, fallback} : {changes};
  }

  /**
   * Signs a credential as a VC-JOSE compact JWS (`typ: vc+jwt`, `alg: EdDSA`, `kid` = jwkId).
   *
   * @returns the compact JWS.
   * @throws {SigningKeyUnusable} when the key cannot be used.
   */
  function signJwt({credential, key}: {credential: Credential; key: SigningKey}): string {
    return signCompactJws({credential, kid: key.jwkId, signBytes: keys.signerFor(key)});
  }

  return {signDataIntegrity, signJwt};
}

export type SigningEngine = ReturnType<typeof createSigningEngine>;
