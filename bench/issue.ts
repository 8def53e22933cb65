/**
 * `npm run bench:issue [-- --n=2000 --concurrency=32 --profiles=ob3,edc --server=dist|tsx
 * --cpu-prof --no-idempotency]`: issuing through the HTTP API against the plain libraries, in one
 * run on one machine.
 *
 * Starts carecred as in production (the built server, its embedded FerretDB, the signing worker
 * pool at its default size), creates an organisation and a published unit, then for each profile:
 *  1. issues N credentials with `POST /v1/achievements` (a new inline learner each, `issue: [p]`,
 *     an Idempotency-Key each) with C requests in flight, after a warm-up;
 *  2. takes one issued credential, removes its proof, and secures that same document with the
 *     plain library on one thread: `vc.issue` with eddsa-rdfc-2022 as a naive caller writes it
 *     (a new Ed25519Multikey signer and suite per call) for `ob3`, jose `SignJWT` for `edc`;
 *  3. prints credentials/s, p50/p99, the ratio service / plain library, carecred's and FerretDB's
 *     CPU time per credential and their memory.
 * With `--cpu-prof` the server runs under V8's profiler and the run ends with where its CPU time
 * went (by package / carecred module, and the hottest functions).
 */
import {generateKeyPairSync} from 'node:crypto';
import {availableParallelism, loadavg} from 'node:os';

import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import {decodeJwt, decodeProtectedHeader, SignJWT} from 'jose';

import {createDocumentLoader} from '../src/platform/jsonld/document-loader.js';
import {parseArgs, profileDirFor} from './lib/args.js';
import {anAchievementRequest, type BenchOrganisation, createOrganisation, publishUnit} from './lib/fixtures.js';
import {measure, type Measurement} from './lib/measure.js';
import {printRunEnd} from './lib/profile.js';
import {printTable} from './lib/report.js';
import {type BenchServer, startServer} from './lib/server.js';

const args = parseArgs();
const N = Number(args.get('n') ?? 2000);
const CONCURRENCY = Number(args.get('concurrency') ?? 32);
const PROFILES = (args.get('profiles') ?? 'ob3,edc').split(',') as ('ob3' | 'edc')[];
const SERVER_MODE = args.get('server') === 'tsx' ? 'tsx' : 'dist';
const IDEMPOTENCY = !args.has('no-idempotency');
const WARMUP = Number(args.get('warmup') ?? 200);
const RUN = Date.now().toString(36);

type Issued = {credentials: {profile: string; credential: unknown}[]};

/** What one measured series of the service cost. */
interface ServiceSeries {
  measurement: Measurement;
  sample: unknown;
  serverCpuMs: number;
  databaseCpuMs: number;
  memory: ReturnType<BenchServer['usage']>;
}

function issueOne(server: BenchServer, organisation: BenchOrganisation, unitId: string, profile: string,
  index: number): Promise<Issued> {
  return server.client.json<Issued>({
    method: 'POST', path: '/v1/achievements', expect: 201,
    headers: {...organisation.auth, ...IDEMPOTENCY ? {'idempotency-key': `${RUN}-${profile}-${index}`} : {}},
    body: anAchievementRequest({unitId, run: `${RUN}-${profile}`, index, profiles: [profile]})
  });
}

async function serviceSeries(server: BenchServer, organisation: BenchOrganisation, unitId: string,
  profile: 'ob3' | 'edc'): Promise<ServiceSeries> {
  let sample: unknown;
  await measure({name: 'warm-up', operations: WARMUP, concurrency: CONCURRENCY,
    operation: async index => {
      const issued = await issueOne(server, organisation, unitId, profile, N + index);
      sample ??= issued.credentials[0]!.credential;
    }});
  const before = server.usage();
  const measurement = await measure({
    name: `carecred POST /v1/achievements ${profile} (HTTP, ${CONCURRENCY} in flight)`, operations: N,
    concurrency: CONCURRENCY, operation: index => issueOne(server, organisation, unitId, profile, index)
  });
  const after = server.usage();
  return {measurement, sample, memory: after,
    serverCpuMs: (after.serverCpu - before.serverCpu) * 1000 / N,
    databaseCpuMs: (after.databaseCpu - before.databaseCpu) * 1000 / N};
}

/** Plain vc.issue, as a naive caller writes it: key imported and suite built per call. */
async function plainVcIssue(server: BenchServer, signed: Record<string, unknown>, issuerDid: string):
  Promise<Measurement> {
  const {proof: _proof, ...credential} = signed;
  const keyPair = await Ed25519Multikey.generate({controller: issuerDid});
  const exported = await keyPair.export({publicKey: true, secretKey: true, includeContext: true});
  const loader = createDocumentLoader({publicBaseUrl: server.baseUrl});
  const naiveLoader = async (url: string) => {
    const {contextUrl, documentUrl, document} = await loader(url);
    return {contextUrl, documentUrl, document};
  };
  return measure({name: 'plain vc.issue eddsa-rdfc-2022 (1 thread)', operations: Math.max(200, N / 4),
    warmup: 50, operation: async () => {
      const signer = (await Ed25519Multikey.from(exported)).signer();
      const suite = new DataIntegrityProof({signer, cryptosuite});
      return vc.issue({credential: structuredClone(credential), suite, documentLoader: naiveLoader});
    }});
}

/** Plain jose SignJWT of the same payload (a key object imported once, as jose is used). */
async function plainJose(jwt: string): Promise<Measurement> {
  const payload = decodeJwt(jwt);
  const {kid} = decodeProtectedHeader(jwt);
  const {privateKey} = generateKeyPairSync('ed25519');
  return measure({name: 'plain jose SignJWT EdDSA (1 thread)', operations: Math.max(500, N), warmup: 200,
    operation: () => new SignJWT(payload).setProtectedHeader({alg: 'EdDSA', typ: 'vc+jwt', kid}).sign(privateKey)});
}

function printSeries(profile: string, series: ServiceSeries, floor: Measurement, sampleBytes: number): void {
  printTable({title: `${profile}: ${N} credentials through the API vs the plain library on the same document ` +
    `(${sampleBytes} bytes as issued)`, rows: [floor, series.measurement], baseline: floor.name});
  const {memory} = series;
  const serviceCpu = series.serverCpuMs + series.databaseCpuMs;
  console.log(`carecred CPU ${series.serverCpuMs.toFixed(2)} ms/credential (all its threads), FerretDB CPU ` +
    `${series.databaseCpuMs.toFixed(2)} ms/credential; RSS carecred ${memory.serverRssMb.toFixed(0)} MB ` +
    `(peak ${memory.serverPeakRssMb.toFixed(0)} MB), FerretDB ${memory.databaseRssMb.toFixed(0)} MB`);
  console.log(`CPU per credential: plain library ${floor.cpuMsPerOperation.toFixed(2)} ms, carecred + FerretDB ` +
    `${serviceCpu.toFixed(2)} ms: the service does ${(floor.cpuMsPerOperation / serviceCpu).toFixed(2)}× the ` +
    'plain library\'s work per CPU second (a figure the machine\'s other load does not skew much)');
}

async function main(): Promise<void> {
  const profileDir = profileDirFor(args);
  const server = await startServer({mode: SERVER_MODE,
    nodeFlags: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []});
  console.log(`carecred (${SERVER_MODE}) on ${availableParallelism()} cores (load average ` +
    `${loadavg()[0]!.toFixed(1)}), node ${process.version}, signing ` +
    `workers ${process.env.SIGNING_WORKERS ?? 'default (cores - 1)'}; ${N} credentials per profile, ${CONCURRENCY} in flight, ` +
    `${IDEMPOTENCY ? 'with' : 'without'} Idempotency-Key`);
  let operations = 0;
  try {
    const organisation = await createOrganisation(server);
    const unitId = await publishUnit(server, organisation);
    for(const profile of PROFILES) {
      const series = await serviceSeries(server, organisation, unitId, profile);
      operations += N + WARMUP;
      const floor = profile === 'ob3' ?
        await plainVcIssue(server, series.sample as Record<string, unknown>, organisation.issuerDid) :
        await plainJose(series.sample as string);
      const bytes = typeof series.sample === 'string' ? series.sample.length : JSON.stringify(series.sample).length;
      printSeries(profile, series, floor, bytes);
    }
  } finally {
    await server.stop();
  }
  printRunEnd({profileDir, operations});
}

await main();
