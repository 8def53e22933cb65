/**
 * `npm run bench:verify [-- --n=2000 --concurrency=32 --credentials=200 --profiles=ob3,edc
 * --status-history=0 --server=dist|tsx --cpu-prof]`: verification through the HTTP API against
 * the plain libraries, in one run on one machine.
 *
 * Starts carecred as in production (built server, embedded FerretDB, signing workers). With
 * `--status-history=H` it first makes H status changes through the API (suspend and reinstate,
 * in turn, of 32 other credentials), so that verification runs with a status history on record as
 * an organisation builds one over time. Then it issues `--credentials` credentials of each
 * profile through the API, and for each profile:
 *  1. verifies N of them (round robin) with `POST /v1/verify`, C requests in flight: every check,
 *     status included (carecred's own credentials: their status comes from the database);
 *  2. verifies the same credentials with the plain library on one thread: `vc.verifyCredential`
 *     (eddsa-rdfc-2022, a new suite per call, the issuer's DID document from memory, no status
 *     check) for `ob3`, jose `jwtVerify` with the issuer's public key imported once for `edc`;
 *  3. prints verifications/s, p50/p99, the ratio service / plain library, CPU per verification.
 */
import {availableParallelism, loadavg} from 'node:os';

import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import {decodeProtectedHeader, importJWK, type JWK, jwtVerify} from 'jose';

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
const CREDENTIALS = Number(args.get('credentials') ?? 200);
const PROFILES = (args.get('profiles') ?? 'ob3,edc').split(',') as ('ob3' | 'edc')[];
const SERVER_MODE = args.get('server') === 'tsx' ? 'tsx' : 'dist';
const STATUS_HISTORY = Number(args.get('status-history') ?? 0);
const HISTORY_HOLDERS = 32;

type Check = {id: string; passed: boolean; severity?: string; message: string};
type Report = {verified: boolean; checks: Check[]};

async function issueCredentials(server: BenchServer, organisation: BenchOrganisation, unitId: string,
  profile: string): Promise<unknown[]> {
  const issued: unknown[] = [];
  await measure({name: 'issue', operations: CREDENTIALS, concurrency: 16, operation: async index => {
    const body = await server.client.json<{credentials: {credential: unknown}[]}>({
      method: 'POST', path: '/v1/achievements', expect: 201, headers: organisation.auth,
      body: anAchievementRequest({unitId, run: `verify-${profile}`, index, profiles: [profile]})
    });
    issued.push(body.credentials[0]!.credential);
  }});
  return issued;
}

/** H status changes through the API: each of 32 credentials suspended and reinstated in turn. */
async function recordStatusHistory(server: BenchServer, organisation: BenchOrganisation, unitId: string):
  Promise<void> {
  const ids: string[] = [];
  await measure({name: 'issue', operations: HISTORY_HOLDERS, concurrency: 8, operation: async index => {
    const body = await server.client.json<{credentials: {id: string}[]}>({
      method: 'POST', path: '/v1/achievements', expect: 201, headers: organisation.auth,
      body: anAchievementRequest({unitId, run: 'status-history', index, profiles: ['ob3']})
    });
    ids.push(body.credentials[0]!.id);
  }});
  const perHolder = Math.ceil(STATUS_HISTORY / HISTORY_HOLDERS);
  const history = await measure({name: 'status history', operations: HISTORY_HOLDERS, concurrency: HISTORY_HOLDERS,
    operation: async index => {
      for(let change = 0; change < perHolder; change++) {
        await server.client.json({method: 'POST', expect: 200, headers: organisation.auth,
          path: `/v1/credentials/${ids[index]}/${change % 2 === 0 ? 'suspend' : 'reinstate'}`,
          body: {reason: 'bench status history'}});
      }
    }});
  console.log(`status history: ${perHolder * HISTORY_HOLDERS} status changes on record, made at ` +
    `${(perHolder * HISTORY_HOLDERS / history.seconds).toFixed(0)} changes/s (${HISTORY_HOLDERS} in flight)`);
}

async function verifyOne(server: BenchServer, credential: unknown): Promise<void> {
  const report = await server.client.json<Report>({method: 'POST', path: '/v1/verify', expect: 200,
    body: typeof credential === 'string' ? {jwt: credential} : {credential}});
  if(!report.verified) {
    throw new Error(`a credential did not verify: ${JSON.stringify(report.checks.filter(check => !check.passed))}`);
  }
}

async function serviceSeries(server: BenchServer, profile: string, credentials: unknown[]) {
  await measure({name: 'warm-up', operations: Math.min(200, N), concurrency: CONCURRENCY,
    operation: index => verifyOne(server, credentials[index % credentials.length])});
  const before = server.usage();
  const measurement = await measure({name: `carecred POST /v1/verify ${profile} (HTTP, ${CONCURRENCY} in flight)`,
    operations: N, concurrency: CONCURRENCY,
    operation: index => verifyOne(server, credentials[index % credentials.length])});
  const after = server.usage();
  return {measurement, memory: after, serverCpuMs: (after.serverCpu - before.serverCpu) * 1000 / N,
    databaseCpuMs: (after.databaseCpu - before.databaseCpu) * 1000 / N};
}

/** Plain vc.verifyCredential: a new suite per call, contexts and the DID document from memory. */
async function plainVcVerify(server: BenchServer, organisation: BenchOrganisation, credentials: unknown[]):
  Promise<Measurement> {
  const didDocument = await server.client.json<Record<string, unknown>>({method: 'GET',
    path: `/issuers/${organisation.slug}/did.json`, expect: 200});
  const loader = createDocumentLoader({publicBaseUrl: server.baseUrl,
    resolveDid: async did => did === organisation.issuerDid ? didDocument : undefined});
  const naiveLoader = async (url: string) => {
    const {contextUrl, documentUrl, document} = await loader(url);
    return {contextUrl, documentUrl, document};
  };
  return measure({name: 'plain vc.verifyCredential eddsa-rdfc-2022 (1 thread)', operations: Math.max(200, N / 4),
    warmup: 30, operation: async index => {
      const result = await vc.verifyCredential({credential: credentials[index % credentials.length] as object,
        suite: new DataIntegrityProof({cryptosuite}), documentLoader: naiveLoader,
        checkStatus: async () => ({verified: true})});
      if(!result.verified) {
        throw new Error('plain vc.verifyCredential failed');
      }
    }});
}

/** Plain jose jwtVerify with the issuer's public key (imported once). */
async function plainJose(server: BenchServer, organisation: BenchOrganisation, jwts: string[]):
  Promise<Measurement> {
  const didDocument = await server.client.json<{verificationMethod: {id: string; publicKeyJwk?: JWK}[]}>({
    method: 'GET', path: `/issuers/${organisation.slug}/did.json`, expect: 200});
  const {kid} = decodeProtectedHeader(jwts[0]!);
  const key = await importJWK(didDocument.verificationMethod.find(method => method.id === kid)!.publicKeyJwk!,
    'EdDSA');
  return measure({name: 'plain jose jwtVerify EdDSA (1 thread)', operations: Math.max(500, N), warmup: 100,
    operation: index => jwtVerify(jwts[index % jwts.length]!, key, {typ: 'vc+jwt'})});
}

async function main(): Promise<void> {
  const profileDir = profileDirFor(args);
  const server = await startServer({mode: SERVER_MODE,
    nodeFlags: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []});
  console.log(`carecred (${SERVER_MODE}) on ${availableParallelism()} cores (load average ` +
    `${loadavg()[0]!.toFixed(1)}), node ${process.version}; ${N} verifications per profile over ` +
    `${CREDENTIALS} credentials, ${CONCURRENCY} in flight, status checked by the service`);
  if(STATUS_HISTORY > 0) {
    console.log(`status history requested: ${STATUS_HISTORY} changes before verifying`);
  }
  let operations = 0;
  try {
    const organisation = await createOrganisation(server);
    const unitId = await publishUnit(server, organisation);
    if(STATUS_HISTORY > 0) {
      await recordStatusHistory(server, organisation, unitId);
    }
    for(const profile of PROFILES) {
      const credentials = await issueCredentials(server, organisation, unitId, profile);
      const series = await serviceSeries(server, profile, credentials);
      operations += N + Math.min(200, N) + CREDENTIALS;
      const floor = profile === 'ob3' ? await plainVcVerify(server, organisation, credentials) :
        await plainJose(server, organisation, credentials as string[]);
      printTable({title: `${profile}: verifications through the API vs the plain library on the same credentials`,
        rows: [floor, series.measurement], baseline: floor.name});
      console.log(`carecred CPU ${series.serverCpuMs.toFixed(2)} ms/verification, FerretDB CPU ` +
        `${series.databaseCpuMs.toFixed(2)} ms/verification; RSS carecred ${series.memory.serverRssMb.toFixed(0)} MB ` +
        `(peak ${series.memory.serverPeakRssMb.toFixed(0)} MB); the plain library checks no status`);
      const serviceCpu = series.serverCpuMs + series.databaseCpuMs;
      console.log(`CPU per verification: plain library ${floor.cpuMsPerOperation.toFixed(2)} ms, carecred + ` +
        `FerretDB ${serviceCpu.toFixed(2)} ms: ${(floor.cpuMsPerOperation / serviceCpu).toFixed(2)}× the plain ` +
        'library\'s work per CPU second');
    }
  } finally {
    await server.stop();
  }
  printRunEnd({profileDir, operations});
}

await main();
