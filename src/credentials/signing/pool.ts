/**
 * The pool of signing worker threads (piscina), one engine per thread. The worker module is the
 * compiled `worker.js` in the build, and `worker-bootstrap.mjs` (which loads `worker.ts` through
 * tsx) when carecred runs from its TypeScript sources.
 */
import {Piscina} from 'piscina';

import type {ContextEntries} from './contexts.js';
import type {Canonicalization} from './engine.js';
import type {SigningWorkerData, WorkerResult, WorkerTask} from './worker.js';

/** Runs tasks on the pool. */
export interface SigningPool {
  run(task: WorkerTask): Promise<WorkerResult>;
  close(): Promise<void>;
  /** Worker threads currently alive. */
  threads(): number;
}

/** The worker module next to this one: built JavaScript, or the bootstrap for TypeScript sources. */
export function workerModuleUrl(moduleUrl: string = import.meta.url): string {
  return moduleUrl.endsWith('.ts') ? new URL('./worker-bootstrap.mjs', moduleUrl).href :
    new URL('./worker.js', moduleUrl).href;
}

/**
 * Starts the signing worker threads.
 *
 * @param options.workers - number of threads (fixed; they stay up until `close`).
 * @param options.contexts - JSON-LD contexts every worker starts with.
 * @returns the pool.
 */
export function startSigningPool({workers, keyEncryptionKey, contexts, canonicalization,
  crossCheckEvery}: {
  workers: number; keyEncryptionKey: Uint8Array; contexts: ContextEntries;
  canonicalization: Canonicalization; crossCheckEvery: number;
}): SigningPool {
  const workerData: SigningWorkerData = {keyEncryptionKey: Uint8Array.from(keyEncryptionKey),
    contexts, canonicalization, crossCheckEvery};
  const piscina = new Piscina<WorkerTask, WorkerResult>({
    filename: workerModuleUrl(), minThreads: workers, maxThreads: workers,
    idleTimeout: Number.MAX_SAFE_INTEGER, concurrentTasksPerWorker: 2, workerData
  });
  return {
    run: task => piscina.run(task),
    close: () => piscina.destroy(),
    threads: () => piscina.threads.length
  };
}
