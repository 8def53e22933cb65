/**
 * The pool of signing worker threads (piscina), one engine per thread. The worker module is the
 * compiled `worker.js` in the build, and `worker-bootstrap.mjs` (which loads `worker.ts` through
 * tsx) when carecred runs from its TypeScript sources.
 *
 * Tasks are sent in batches: the tasks submitted during one turn of the event loop travel as
 * one message per worker (MIN_BATCH to MAX_BATCH each). A thread hop costs the main thread more than
 * a signature costs a worker, so one message per credential would make the main thread the
 * bottleneck; one batch for everything would leave the other workers idle.
 */
import {Piscina} from 'piscina';

import type {ContextEntries} from './contexts.js';
import type {Canonicalization} from './engine.js';
import type {SigningWorkerData, WorkerResult, WorkerTask} from './worker.js';

/** Runs tasks on the pool. */
export interface SigningPool {
  run(task: WorkerTask): Promise<WorkerResult>;
  /** Lets queued and running tasks finish, then stops the threads. */
  close(): Promise<void>;
  /** Worker threads currently alive. */
  threads(): number;
}

const MAX_BATCH = 32;
// Below ~8 tasks per message the main thread's share per credential grows (measured: 27% busy
// at 4,300 credentials/s with 2 workers at batches of 1–16, 17% at 6,100/s with at least 8).
const MIN_BATCH = 8;
// A worker's live heap is ~21 MB (libraries, contexts, memoized active contexts) and flat over
// any number of credentials; what grows RSS is garbage. A small young generation and a capped old
// generation keep 2 workers + the main thread at ~170 MB RSS (~230 MB with V8's defaults) at the
// same speed, and still leave room for a 1 MB credential (a 0.5 MB one peaks at ~41 MB of heap).
const WORKER_RESOURCE_LIMITS = {maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128};
// Idle workers wait with Atomics.waitAsync, not in a blocking wait: their event loop keeps turning,
// so native finalizers run (resvg's rendered images, ~6 MB each, are freed only then; with the
// blocking wait an EDC run grew RSS past 7 GB).
const ATOMICS = 'async';

type Pending = {task: WorkerTask; resolve: (result: WorkerResult) => void; reject: (error: unknown) => void};

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
  const piscina = new Piscina<WorkerTask[], WorkerResult[]>({
    filename: workerModuleUrl(), minThreads: workers, maxThreads: workers,
    idleTimeout: Number.MAX_SAFE_INTEGER, workerData, resourceLimits: WORKER_RESOURCE_LIMITS, atomics: ATOMICS
  });
  const queue: Pending[] = [];

  function send(batch: Pending[]): void {
    piscina.run(batch.map(pending => pending.task)).then(results => {
      batch.forEach((pending, index) => pending.resolve(results[index]!));
    }, error => {
      batch.forEach(pending => pending.reject(error));
    });
  }

  /** Sends what is queued, split over the workers so that none idles (but not too finely). */
  function flush(): void {
    const size = Math.min(MAX_BATCH, Math.max(MIN_BATCH, Math.ceil(queue.length / workers)));
    while(queue.length > 0) {
      send(queue.splice(0, size));
    }
  }

  return {
    run: task => new Promise<WorkerResult>((resolve, reject) => {
      if(queue.length === 0) {
        setImmediate(flush);
      }
      queue.push({task, resolve, reject});
    }),
    close: async () => {
      flush();
      await piscina.close();
    },
    threads: () => piscina.threads.length
  };
}
