/**
 * The signing service: Data Integrity (eddsa-rdfc-2022) and VC-JOSE (EdDSA JWT) signatures with
 * the issuers' stored keys, on a pool of worker threads (SIGNING_WORKERS) or, with 0 workers, on
 * the calling thread. Private keys are decrypted only inside the engine that signs (a worker
 * thread when there are workers) and never logged, returned or sent back.
 */
import type {Logger} from '../../platform/logger.js';
import {type CredentialImageContent, renderCredentialImage} from '../profiles/display-image.js';
import {type ContextEntries, loadPinnedContexts} from './contexts.js';
import {type Canonicalization, createSigningEngine, type Credential,
  type EngineDocumentLoader} from './engine.js';
import {CredentialNotSignable, fromWireError, toWireError} from './errors.js';
import {type SigningKey, toSigningKey} from './keys.js';
import {type SigningPool, startSigningPool} from './pool.js';
import type {WorkerResult, WorkerTask} from './worker.js';

type SigningTask = Exclude<WorkerTask, {op: 'png'}>;

/** The Data Integrity proof carecred adds. */
export interface DataIntegrityProof {
  type: 'DataIntegrityProof';
  created: string;
  verificationMethod: string;
  cryptosuite: 'eddsa-rdfc-2022';
  proofPurpose: 'assertionMethod';
  proofValue: string;
  [member: string]: unknown;
}

/** A credential with its Data Integrity proof. */
export type SignedCredential<T extends Credential = Credential> = T & {proof: DataIntegrityProof};

/** Options of `createSigner`. */
export interface SignerOptions {
  /** The service's document loader (contexts are read from it; DIDs are never needed). */
  documentLoader: EngineDocumentLoader;
  /** Worker threads (config.signingWorkers); 0 signs on the calling thread. */
  workers: number;
  /** The 32-byte key-encryption key of the stored issuer keys. */
  keyEncryptionKey: Uint8Array;
  logger: Logger;
  /** 'fast' (default) or 'library' canonicalization (benchmarks compare both). */
  canonicalization?: Canonicalization;
  /** Cross-check every n-th fast canonicalization against the library (default 1000; 0 = never). */
  crossCheckEvery?: number;
}

/** The signing service. */
export interface Signer {
  /**
   * Secures a credential with an eddsa-rdfc-2022 DataIntegrityProof (proofPurpose
   * assertionMethod, verificationMethod = key.multikeyId). The input is not changed.
   *
   * @param options.created - the proof's creation time (default: now).
   * @returns a new credential object with `proof` (and the DI context when the credential's
   *   contexts did not define the proof terms, as the library does).
   * @throws {CredentialNotSignable} when the credential is not a signable VC (422).
   * @throws {SigningKeyUnusable} when the stored key cannot be used (500).
   */
  signDataIntegrity<T extends Credential>(options: {credential: T; key: SigningKey;
    created?: Date | string}): Promise<SignedCredential<T>>;
  /**
   * Secures a credential as a VC-JOSE compact JWS: payload = the credential itself, protected
   * header `{alg: "EdDSA", typ: "vc+jwt", kid: key.jwkId}`.
   *
   * @returns the compact JWS.
   * @throws {CredentialNotSignable} when the credential is not a JSON object.
   * @throws {SigningKeyUnusable} when the stored key cannot be used (500).
   */
  signJwt(options: {credential: Credential; key: SigningKey}): Promise<string>;
  /**
   * Renders a credential image (EDC `displayParameter`) on a worker thread: ~20 ms of CPU that
   * stays off the event loop (in libuv's thread pool with 0 workers).
   *
   * @returns the PNG bytes.
   */
  renderImage(content: CredentialImageContent): Promise<Buffer>;
  /** Stops the worker threads (and forgets keys); signing afterwards fails. */
  close(): Promise<void>;
}

const MAX_CONTEXT_RETRIES = 16;

/** The XML Schema dateTime the library writes for `created` (seconds, `Z`). */
function w3cDate(date: Date | string): string {
  const value = new Date(date);
  if(Number.isNaN(value.getTime())) {
    throw new CredentialNotSignable(`"created" is not a valid date: ${String(date)}`);
  }
  return `${value.toISOString().slice(0, -5)}Z`;
}

function assertCredential(credential: unknown): asserts credential is Credential {
  if(!credential || typeof credential !== 'object' || Array.isArray(credential)) {
    throw new CredentialNotSignable('it is not a JSON object');
  }
  if('proof' in credential) {
    throw new CredentialNotSignable('it already has a proof');
  }
}

/** Runs tasks on the calling thread with one engine. */
function createLocalRunner(options: SignerOptions): (task: WorkerTask) => Promise<WorkerResult> {
  const engine = createSigningEngine({documentLoader: options.documentLoader,
    keyEncryptionKey: options.keyEncryptionKey, canonicalization: options.canonicalization,
    crossCheckEvery: options.crossCheckEvery});
  return async task => {
    if(task.op === 'png') {
      return {ok: true, png: await renderCredentialImage(task.content)};
    }
    try {
      return task.op === 'jwt' ? {ok: true, jwt: engine.signJwt(task)} :
        {ok: true, ...await engine.signDataIntegrity(task)};
    } catch(error) {
      const wire = toWireError(error);
      if(wire) {
        return {ok: false, error: wire};
      }
      throw error;
    }
  };
}

/** Runs tasks on the pool, shipping contexts a worker lacks and retrying. */
function createPoolRunner(options: SignerOptions): {run: (task: WorkerTask) => Promise<WorkerResult>;
  close: () => Promise<void>} {
  const shipped = new Map<string, unknown>();
  const started: Promise<SigningPool> = loadPinnedContexts(options.documentLoader).then(contexts => {
    for(const [url, document] of contexts) {
      shipped.set(url, document);
    }
    return startSigningPool({workers: options.workers, keyEncryptionKey: options.keyEncryptionKey,
      contexts, canonicalization: options.canonicalization ?? 'fast',
      crossCheckEvery: options.crossCheckEvery ?? 1000});
  });
  started.catch(() => undefined);

  async function run(task: WorkerTask): Promise<WorkerResult> {
    const pool = await started;
    if(task.op === 'png') {
      return pool.run(task);
    }
    let attempt: SigningTask = task;
    for(let retry = 0; retry <= MAX_CONTEXT_RETRIES; retry++) {
      const result = await pool.run(attempt);
      if(result.ok || !('missingContext' in result)) {
        return result;
      }
      const alreadySent = attempt.contexts?.some(([url]) => url === result.missingContext);
      const remote = alreadySent ? undefined :
        await options.documentLoader(result.missingContext).catch(() => undefined);
      if(!remote) {
        throw new CredentialNotSignable(`the JSON-LD context ${result.missingContext} is not known`);
      }
      shipped.set(result.missingContext, remote.document);
      attempt = {...task, contexts: [...shipped] as ContextEntries};
    }
    throw new CredentialNotSignable('it needs too many JSON-LD contexts');
  }

  return {run, close: async () => (await started.catch(() => undefined))?.close()};
}

/**
 * Creates the signing service.
 *
 * @returns the signer; `close()` it on shutdown.
 */
export function createSigner(options: SignerOptions): Signer {
  const {workers, logger} = options;
  if(!Number.isInteger(workers) || workers < 0) {
    throw new TypeError('"workers" must be a non-negative integer');
  }
  if(!(options.keyEncryptionKey instanceof Uint8Array) || options.keyEncryptionKey.length !== 32) {
    throw new TypeError('"keyEncryptionKey" must be 32 bytes');
  }
  const log = logger.child({module: 'signing'});
  const runner = workers === 0 ? {run: createLocalRunner(options), close: async () => undefined} :
    createPoolRunner(options);
  let closed = false;
  log.info({workers, canonicalization: options.canonicalization ?? 'fast'}, 'signing engine started');

  async function run(task: WorkerTask): Promise<WorkerResult & {ok: true}> {
    if(closed) {
      throw new Error('the signer is closed');
    }
    const result = await runner.run(task);
    if(result.ok) {
      return result;
    }
    if('failure' in result) {
      throw new Error(`signing failed in a worker thread: ${result.failure}`);
    }
    throw 'error' in result ? fromWireError(result.error) :
      new CredentialNotSignable(`the JSON-LD context ${result.missingContext} is not known`);
  }

  return {
    async signDataIntegrity({credential, key, created = new Date()}) {
      assertCredential(credential);
      const result = await run({op: 'di', credential, key: toSigningKey(key), created: w3cDate(created)});
      if(!('changes' in result)) {
        throw new Error('the signing worker answered a DI task without a proof');
      }
      if(result.fallback) {
        log.warn({verificationMethod: key.multikeyId, reason: result.fallback},
          'fast canonicalization not used for a credential');
      }
      return {...credential, ...result.changes} as SignedCredential<typeof credential>;
    },
    async renderImage(content) {
      const result = await run({op: 'png', content});
      if(!('png' in result)) {
        throw new Error('the signing worker answered an image task without an image');
      }
      return Buffer.from(result.png.buffer, result.png.byteOffset, result.png.byteLength);
    },
    async signJwt({credential, key}) {
      assertCredential(credential);
      const result = await run({op: 'jwt', credential, key: toSigningKey(key)});
      if(!('jwt' in result)) {
        throw new Error('the signing worker answered a JWT task without a token');
      }
      return result.jwt;
    },
    async close() {
      closed = true;
      await runner.close();
      log.info('signing engine stopped');
    }
  };
}
