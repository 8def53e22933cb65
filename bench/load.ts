/**
 * `npm run load [-- --duration=10 --connections=1,4,16,64 --endpoints=issue,verify,catalogue,status
 * --server=dist|tsx]`: load on the running service with autocannon, on loopback.
 *
 * Starts carecred as in production (built server, embedded FerretDB, signing workers; public rate
 * limit off: PUBLIC_RATE_LIMIT_PER_MINUTE=0), sets up an organisation, a published unit and one
 * credential, then drives each endpoint for `--duration` seconds at each number of connections:
 * issue (`POST /v1/achievements`, a new learner and ob3 credential each), verify (`POST /v1/verify`
 * of an ob3 credential, status from the database), catalogue (`GET /v1/catalog`) and status
 * (`GET /status/{org}/{list}`). Prints requests/s, p50/p99 latency, errors, non-2xx and 5xx per
 * step, and the saturation point (the step after which requests/s grows by less than 10 %). Exits
 * non-zero when any request failed or answered 5xx.
 */
import {availableParallelism, loadavg} from 'node:os';

import autocannon from 'autocannon';

import {parseArgs} from './lib/args.js';
import {anAchievementRequest, type BenchOrganisation, createOrganisation, publishUnit} from './lib/fixtures.js';
import {type BenchServer, startServer} from './lib/server.js';

const args = parseArgs();
const DURATION = Number(args.get('duration') ?? 10);
const CONNECTIONS = (args.get('connections') ?? '1,4,16,64').split(',').map(Number);
const ENDPOINTS = (args.get('endpoints') ?? 'issue,verify,catalogue,status').split(',');
const SERVER_MODE = args.get('server') === 'tsx' ? 'tsx' : 'dist';

/** One autocannon request description. */
type Target = Omit<autocannon.Request, 'setupRequest'> & {
  setupRequest?: (request: autocannon.Request) => autocannon.Request;
};

interface Step {
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  serverErrors: number;
}

async function targets(server: BenchServer, organisation: BenchOrganisation, unitId: string):
  Promise<Record<string, Target>> {
  type Entry = {statusListCredential: string};
  type Issued = {credentials: {credential: {credentialStatus: Entry | Entry[]}}[]};
  const issued = await server.client.json<Issued>({
    method: 'POST', path: '/v1/achievements', expect: 201, headers: organisation.auth,
    body: anAchievementRequest({unitId, run: 'load-setup', index: 0, profiles: ['ob3']})});
  const credential = issued.credentials[0]!.credential;
  const entry = ([] as Entry[]).concat(credential.credentialStatus)[0]!;
  const statusPath = new URL(entry.statusListCredential).pathname;
  let learner = 0;
  const json = {'content-type': 'application/json'};
  return {
    issue: {method: 'POST', path: '/v1/achievements', headers: {...json, ...organisation.auth},
      setupRequest: request => ({...request, body: JSON.stringify(anAchievementRequest({unitId,
        run: `load-${Date.now().toString(36)}`, index: learner++, profiles: ['ob3']}))})},
    verify: {method: 'POST', path: '/v1/verify', headers: json, body: JSON.stringify({credential})},
    catalogue: {method: 'GET', path: '/v1/catalog'},
    status: {method: 'GET', path: statusPath}
  };
}

async function runStep(server: BenchServer, target: Target, connections: number): Promise<Step> {
  const result = await autocannon({url: server.baseUrl, connections, duration: DURATION, timeout: 30,
    requests: [target as autocannon.Request]});
  type Codes = Record<string, {count: number}>;
  const codes = (result as unknown as {statusCodeStats?: Codes}).statusCodeStats ?? {};
  const serverErrors = Object.entries(codes).filter(([code]) => code.startsWith('5'))
    .reduce((sum, [, {count}]) => sum + count, 0);
  return {connections, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99,
    requests: result.requests.total, errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx,
    serverErrors};
}

function printSteps(endpoint: string, steps: Step[]): void {
  const saturated = steps.findIndex((step, index) => index > 0 && step.rps < steps[index - 1]!.rps * 1.1);
  const best = steps.reduce((top, step) => step.rps > top.rps ? step : top, steps[0]!);
  console.log(`\n${endpoint}`);
  console.log('  conn    req/s   p50 ms   p99 ms  requests  errors  timeouts  non-2xx  5xx');
  for(const step of steps) {
    console.log(`  ${String(step.connections).padStart(4)} ${step.rps.toFixed(0).padStart(8)} ` +
      `${step.p50.toFixed(0).padStart(8)} ${step.p99.toFixed(0).padStart(8)} ${String(step.requests).padStart(9)} ` +
      `${String(step.errors).padStart(7)} ${String(step.timeouts).padStart(9)} ${String(step.non2xx).padStart(8)} ` +
      `${String(step.serverErrors).padStart(4)}`);
  }
  console.log(`  saturation: ${saturated > 0 ? `from ${steps[saturated - 1]!.connections} connections` :
    'not reached'} (peak ${best.rps.toFixed(0)} req/s at ${best.connections} connections)`);
}

async function main(): Promise<void> {
  const server = await startServer({mode: SERVER_MODE});
  console.log(`carecred (${SERVER_MODE}) on ${availableParallelism()} cores (load average ` +
    `${loadavg()[0]!.toFixed(1)}), node ${process.version}; ${DURATION} s per step, connections ` +
    `${CONNECTIONS.join(', ')}; public rate limit off`);
  let failed = 0;
  try {
    const organisation = await createOrganisation(server);
    const unitId = await publishUnit(server, organisation);
    const byName = await targets(server, organisation, unitId);
    for(const endpoint of ENDPOINTS) {
      const steps: Step[] = [];
      for(const connections of CONNECTIONS) {
        steps.push(await runStep(server, byName[endpoint]!, connections));
      }
      printSteps(endpoint, steps);
      failed += steps.reduce((sum, step) => sum + step.errors + step.timeouts + step.serverErrors, 0);
    }
  } finally {
    await server.stop();
  }
  console.log(`\nload average at the end: ${loadavg()[0]!.toFixed(1)}; ` +
    `${failed === 0 ? 'no errors, no 5xx' : `${failed} failed requests or 5xx answers`}`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
