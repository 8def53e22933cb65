/**
 * `npm run bench:sign [-- --quick] [-- --memory=100000]`: signing speed on one OB 3.0 credential,
 * in one run, against the plain libraries:
 *  1. plain `vc.issue` (eddsa-rdfc-2022) as a naive user calls it: a new Ed25519Multikey signer
 *     and suite per call, a document loader that does not tag contexts static;
 *  2. carecred's signer on the calling thread (and, for comparison, with library canonicalization);
 *  3. carecred's signer on a pool of 2 worker threads at concurrency;
 *  4. raw Ed25519 signatures of 64 bytes (the floor);
 *  5. plain jose `SignJWT` and carecred's `signJwt`.
 * Prints ops/s, p50/p99 and ratios to the plain library, and RSS before/after the pool's run.
 * `--memory=N` instead signs N credentials on the pool and prints RSS every N/10.
 */
import {generateKeyPairSync, sign} from 'node:crypto';

import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import {importJWK, SignJWT} from 'jose';

import {createSigner, type Signer} from '../src/credentials/signing/index.js';
import {createLogger} from '../src/platform/logger.js';
import {anOb3Credential} from '../test/fixtures/ob3-credential.js';
import {aTestIssuer, type TestIssuer} from '../test/fixtures/signing-key.js';
import {measure, type Measurement, memoryMb} from './lib/measure.js';
import {printTable} from './lib/report.js';

const args = new Map(process.argv.slice(2).map(arg => {
  const [name, value] = arg.replace(/^--/, '').split('=');
  return [name!, value] as [string, string | undefined];
}));
const QUICK = args.has('quick');
const SCALE = QUICK ? 0.1 : 1;
const count = (n: number) => Math.max(100, Math.round(n * SCALE));
const WORKERS = Number(args.get('workers') ?? 2);
const CONCURRENCY = Number(args.get('concurrency') ?? 32);

function signerFor(issuer: TestIssuer, workers: number, canonicalization: 'fast' | 'library' = 'fast'): Signer {
  return createSigner({documentLoader: issuer.documentLoader, workers, canonicalization,
    keyEncryptionKey: issuer.keyEncryptionKey, logger: createLogger({level: 'warn'})});
}

/** Plain vc.issue as a naive user writes it (key imported and suite built per call). */
async function plainLibrary(issuer: TestIssuer, credential: object): Promise<Measurement> {
  const exported = await (await issuer.keyPair()).export({publicKey: true, secretKey: true,
    includeContext: true});
  const naiveLoader = async (url: string) => {
    const {contextUrl, documentUrl, document} = await issuer.documentLoader(url);
    return {contextUrl, documentUrl, document};
  };
  return measure({name: 'plain vc.issue (1 thread)', operations: count(1500), warmup: 100,
    operation: async () => {
      const keyPair = await Ed25519Multikey.from(exported);
      const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite});
      return vc.issue({credential: structuredClone(credential), suite, documentLoader: naiveLoader});
    }});
}

async function dataIntegrityRows(issuer: TestIssuer, credential: Record<string, unknown>) {
  const rows = [await plainLibrary(issuer, credential)];
  const key = issuer.key;
  const libraryCanonicalization = signerFor(issuer, 0, 'library');
  rows.push(await measure({name: 'carecred DI, main thread, library c14n', operations: count(2000),
    warmup: 100, operation: () => libraryCanonicalization.signDataIntegrity({credential, key})}));
  await libraryCanonicalization.close();
  const local = signerFor(issuer, 0);
  rows.push(await measure({name: 'carecred DI, main thread', operations: count(10_000), warmup: 500,
    operation: () => local.signDataIntegrity({credential, key})}));
  await local.close();
  const pool = signerFor(issuer, WORKERS);
  await measure({name: 'warm-up', operations: 2000, concurrency: CONCURRENCY,
    operation: () => pool.signDataIntegrity({credential, key})});
  const before = memoryMb();
  rows.push(await measure({name: `carecred DI, ${WORKERS} workers`, operations: 20_000,
    concurrency: CONCURRENCY, operation: () => pool.signDataIntegrity({credential, key})}));
  const after = memoryMb();
  await pool.close();
  return {rows, before, after};
}

async function jwtRows(issuer: TestIssuer, credential: Record<string, unknown>): Promise<Measurement[]> {
  const privateJwk = {...issuer.key.publicKeyJwk, d: Buffer.from(issuer.seed).toString('base64url')};
  const joseKey = await importJWK(privateJwk, 'EdDSA');
  const header = {alg: 'EdDSA', typ: 'vc+jwt', kid: issuer.key.jwkId};
  const rows = [await measure({name: 'plain jose SignJWT (1 thread)', operations: count(10_000),
    warmup: 500, operation: () => new SignJWT(credential).setProtectedHeader(header).sign(joseKey)})];
  const local = signerFor(issuer, 0);
  rows.push(await measure({name: 'carecred signJwt, main thread', operations: count(20_000), warmup: 500,
    operation: () => local.signJwt({credential, key: issuer.key})}));
  await local.close();
  const pool = signerFor(issuer, WORKERS);
  await measure({name: 'warm-up', operations: 2000, concurrency: CONCURRENCY,
    operation: () => pool.signJwt({credential, key: issuer.key})});
  rows.push(await measure({name: `carecred signJwt, ${WORKERS} workers`, operations: count(20_000),
    concurrency: CONCURRENCY, operation: () => pool.signJwt({credential, key: issuer.key})}));
  await pool.close();
  return rows;
}

function rawEd25519(): Promise<Measurement> {
  const {privateKey} = generateKeyPairSync('ed25519');
  const data = new Uint8Array(64).fill(7);
  return measure({name: 'raw Ed25519 sign, 64 bytes', operations: count(20_000), warmup: 1000,
    operation: () => sign(null, data, privateKey)});
}

async function memoryRun(issuer: TestIssuer, total: number): Promise<void> {
  const pool = signerFor(issuer, WORKERS);
  const step = Math.max(1, Math.floor(total / 10));
  console.log(`signing ${total} credentials on ${WORKERS} workers (concurrency ${CONCURRENCY})`);
  console.log(`      0  rss ${memoryMb().rss.toFixed(0)} MB`);
  const started = Date.now();
  for(let done = 0; done < total; done += step) {
    await measure({name: 'memory', operations: Math.min(step, total - done), concurrency: CONCURRENCY,
      operation: index => pool.signDataIntegrity({credential: anOb3Credential({serial: done + index}),
        key: issuer.key})});
    const {rss, heapUsed} = memoryMb();
    console.log(`${String(done + step).padStart(7)}  rss ${rss.toFixed(0)} MB  heap ${heapUsed.toFixed(0)} MB`);
  }
  console.log(`${total} credentials in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await pool.close();
}

async function main(): Promise<void> {
  const issuer = await aTestIssuer();
  const credential = anOb3Credential();
  console.log(`credential: ${JSON.stringify(credential).length} bytes of JSON; node ${process.version}; ` +
    `${WORKERS} workers, concurrency ${CONCURRENCY}${QUICK ? ' (quick)' : ''}`);
  if(args.has('memory')) {
    return memoryRun(issuer, Number(args.get('memory') ?? 100_000));
  }
  const startRss = memoryMb();
  const di = await dataIntegrityRows(issuer, credential);
  di.rows.push(await rawEd25519());
  printTable({title: 'Data Integrity (eddsa-rdfc-2022)', rows: di.rows, baseline: di.rows[0]!.name});
  console.log(`RSS ${di.before.rss.toFixed(0)} MB before and ${di.after.rss.toFixed(0)} MB after 20,000 ` +
    `signatures on the pool (heap ${di.before.heapUsed.toFixed(0)} → ${di.after.heapUsed.toFixed(0)} MB; ` +
    `process start ${startRss.rss.toFixed(0)} MB)`);
  const jwt = await jwtRows(issuer, credential);
  printTable({title: 'VC-JOSE JWT (EdDSA)', rows: jwt, baseline: jwt[0]!.name});
}

await main();
