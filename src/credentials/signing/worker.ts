/**
 * The signing worker thread (a piscina task handler). It holds one engine: the key-encryption
 * key (from workerData), the imported keys and the shipped contexts stay in this thread.
 */
import {workerData} from 'node:worker_threads';

import {type CredentialImageContent, renderCredentialImagePng} from '../profiles/display-image.js';
import {type ContextEntries, createShippedContextLoader, missingContextOf} from './contexts.js';
import {type Canonicalization, createSigningEngine, type Credential} from './engine.js';
import {toWireError, type WireError} from './errors.js';
import type {SigningKey} from './keys.js';

/** What the main thread sends: a signature, or a credential image to render (EDC). */
export type WorkerTask = ({
  credential: Credential; key: SigningKey; contexts?: ContextEntries;
} & ({op: 'di'; created: string} | {op: 'jwt'})) | {op: 'png'; content: CredentialImageContent};

/** What the worker answers. */
export type WorkerResult =
  | {ok: true; changes: Credential & {proof: Record<string, unknown>}; fallback?: string}
  | {ok: true; jwt: string}
  | {ok: true; png: Uint8Array}
  | {ok: false; error: WireError}
  | {ok: false; missingContext: string}
  | {ok: false; failure: string};

/** What the pool gives each worker at start. */
export interface SigningWorkerData {
  keyEncryptionKey: Uint8Array;
  contexts: ContextEntries;
  canonicalization: Canonicalization;
  crossCheckEvery: number;
}

const data = workerData as SigningWorkerData;
const shipped = createShippedContextLoader(data.contexts);
const engine = createSigningEngine({documentLoader: shipped.documentLoader,
  keyEncryptionKey: data.keyEncryptionKey, canonicalization: data.canonicalization,
  crossCheckEvery: data.crossCheckEvery});

/**
 * Runs a batch of signing tasks (one message per batch: the per-message cost of a thread hop
 * is larger than a Data Integrity signature here).
 *
 * @returns one result per task, in order; a failing task does not fail the others.
 */
export default async function runSigningTasks(tasks: WorkerTask[]): Promise<WorkerResult[]> {
  const results: WorkerResult[] = [];
  for(const task of tasks) {
    results.push(await runSigningTask(task));
  }
  return results;
}

async function runSigningTask(task: WorkerTask): Promise<WorkerResult> {
  if(task.op === 'png') {
    try {
      return {ok: true, png: renderCredentialImagePng(task.content)};
    } catch(error) {
      return {ok: false, failure: String((error as Error)?.stack ?? error)};
    }
  }
  if(task.contexts) {
    shipped.add(task.contexts);
  }
  try {
    if(task.op === 'jwt') {
      return {ok: true, jwt: engine.signJwt(task)};
    }
    return {ok: true, ...await engine.signDataIntegrity(task)};
  } catch(error) {
    const missingContext = missingContextOf(error);
    if(missingContext) {
      return {ok: false, missingContext};
    }
    const wire = toWireError(error);
    return wire ? {ok: false, error: wire} : {ok: false, failure: String((error as Error)?.stack ?? error)};
  }
}
