/**
 * The JSON-LD contexts a signing worker holds. Workers cannot call back into the main thread's
 * document loader, and signing needs contexts only (never DID documents), so the main thread
 * ships them: the pinned npm contexts when the pool starts, and any other context (carecred's
 * own, test documents) the first time a worker misses it — the worker answers "missing <url>",
 * the main thread loads it through its own loader and runs the task again with it.
 */
import {PACKAGED_CONTEXTS} from '../../platform/jsonld/contexts.js';
import type {EngineDocumentLoader} from './engine.js';

/** A context a worker did not have; the task is retried with it. */
export class ContextNotShipped extends Error {
  constructor(readonly url: string) {
    super(`JSON-LD context not available in the signing worker: ${url}`);
    this.name = 'ContextNotShipped';
  }
}

/** URL → context document, as shipped to workers. */
export type ContextEntries = [url: string, document: unknown][];

function deepFreeze<T>(value: T): T {
  if(value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for(const child of Object.values(value)) {
      deepFreeze(child);
    }
  }
  return value;
}

/**
 * The contexts to ship when a pool starts: every pinned context, as the main loader serves it.
 *
 * @returns the entries the loader could serve.
 */
export async function loadPinnedContexts(documentLoader: EngineDocumentLoader): Promise<ContextEntries> {
  const entries: ContextEntries = [];
  for(const url of PACKAGED_CONTEXTS.keys()) {
    const remote = await documentLoader(url).catch(() => undefined);
    if(remote) {
      entries.push([url, remote.document]);
    }
  }
  return entries;
}

/**
 * A worker's document loader over shipped contexts (frozen once, served as the same objects).
 *
 * @returns the loader and `add` for contexts shipped later.
 */
export function createShippedContextLoader(initial: ContextEntries) {
  const contexts = new Map<string, unknown>();
  function add(entries: ContextEntries): void {
    for(const [url, document] of entries) {
      if(!contexts.has(url)) {
        contexts.set(url, deepFreeze(document));
      }
    }
  }
  add(initial);
  const documentLoader: EngineDocumentLoader = async url => {
    if(!contexts.has(url)) {
      throw new ContextNotShipped(url);
    }
    return {contextUrl: null, documentUrl: url, document: contexts.get(url), tag: 'static'};
  };
  return {documentLoader, add};
}

/**
 * Finds a ContextNotShipped in an error's cause chain (jsonld wraps loader errors).
 *
 * @returns the missing URL, if that is why the task failed.
 */
export function missingContextOf(error: unknown): string | undefined {
  let current: unknown = error;
  for(let depth = 0; depth < 8 && current; depth++) {
    if(current instanceof ContextNotShipped) {
      return current.url;
    }
    const next = current as {cause?: unknown; details?: {cause?: unknown}};
    current = next.cause ?? next.details?.cause;
  }
  return undefined;
}
