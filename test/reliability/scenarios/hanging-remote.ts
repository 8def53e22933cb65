/**
 * Scenario: credentials of foreign issuers (Data Integrity and VC-JOSE) whose did:web document or
 * status list is served by a server that never answers, or that sends its body a byte at a time
 * and never ends. Several such verifications run at once on one process while it keeps serving
 * other requests.
 * - Each answers 200 within REMOTE_FETCH_TIMEOUT_MS (plus a margin) with `verified: false` and the
 *   check that could not be done failing with its code (issuer unresolvable, status unknown).
 * - A server that is slow but answers within the deadline is waited for (verified).
 * - Meanwhile the process's other requests (verifying its own credentials, health, status lists)
 *   stay fast, and afterwards carecred holds no connection to the hanging server.
 */
import type {RequestListener} from 'node:http';

import {aCredential, aDidKeyIdentity, aDidWebIdentity, aDocumentLoader, signDataIntegrity, signJwt,
  type TestIdentity} from '../../support/credentials.js';
import {aLocalServer, json} from '../../support/verifier.js';
import type {Cluster} from '../support/cluster.js';
import {printFigures} from '../support/figures.js';
import {percentile, type Reply, send, sleep} from '../support/http.js';
import {anAchievementBody, anOrganisationOn, aPublishedUnitOn} from '../support/tenants.js';

type Check = {id: string; passed: boolean; code: string; message: string};
type LocalServer = Awaited<ReturnType<typeof aLocalServer>>;

/** Options of the scenario. */
export interface HangingRemoteOptions {
  cluster: () => Cluster;
  /** The processes' REMOTE_FETCH_TIMEOUT_MS. */
  remoteTimeoutMs: number;
  /** Verifications of hanging documents sent at once per case. */
  parallel: number;
  /** The bound of other requests' p99 latency meanwhile (ms). */
  maxOtherP99Ms: number;
}

/** A body that never ends: one byte at a time. */
const trickle: RequestListener = (req, res) => {
  res.writeHead(200, {'content-type': 'application/json'});
  res.write('{"id": "');
  const timer = setInterval(() => res.write('x'), 200);
  req.socket.once('close', () => clearInterval(timer));
};
const hang: RequestListener = () => undefined;

/** The foreign cases: what hangs, and which check must fail with which code. */
const CASES = [
  {name: 'did:web document never answers', remote: 'did', handler: hang, check: 'issuer',
    code: 'issuer-unresolvable'},
  {name: 'did:web document of a VC-JOSE credential never answers', remote: 'did', format: 'jwt', handler: hang,
    check: 'issuer', code: 'issuer-unresolvable'},
  {name: 'did:web document never ends', remote: 'did', handler: trickle, check: 'issuer',
    code: 'issuer-unresolvable'},
  {name: 'status list never answers', remote: 'status', handler: hang, check: 'status.revocation',
    code: 'status-unknown'},
  {name: 'status list never ends', remote: 'status', handler: trickle, check: 'status.revocation',
    code: 'status-unknown'}
] as const;

/** A foreign credential whose DID document or status list is at `path` on the local server. */
async function aForeignCredential({server, routes, path, remote, format = 'di', handler, statusIssuer}: {
  server: LocalServer; routes: Record<string, RequestListener>; path: string; remote: 'did' | 'status';
  format?: 'di' | 'jwt'; handler: RequestListener; statusIssuer: TestIdentity;
}): Promise<Record<string, unknown>> {
  const identity = remote === 'did' ? await aDidWebIdentity({host: server.host, path: path.split('/').slice(1)}) :
    statusIssuer;
  routes[remote === 'did' ? `${path}/did.json` : path] = handler;
  const listUrl = `${server.url}${path}`;
  const credentialStatus = remote === 'status' ? {id: `${listUrl}#7`, type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation', statusListIndex: '7', statusListCredential: listUrl} : undefined;
  const credential = aCredential(identity.did, {id: `urn:uuid:${crypto.randomUUID()}`,
    ...(credentialStatus ? {credentialStatus} : {})});
  return format === 'jwt' ? {jwt: await signJwt({payload: credential, identity})} :
    signDataIntegrity({credential, identity, documentLoader: aDocumentLoader([identity])});
}

/** A foreign credential whose did:web document comes after `delayMs`, within the deadline. */
async function aSlowButAnsweringCredential(server: LocalServer, routes: Record<string, RequestListener>,
  delayMs: number): Promise<Record<string, unknown>> {
  const identity = await aDidWebIdentity({host: server.host, path: ['slow', 'ok']});
  routes['/slow/ok/did.json'] = (req, res) => {
    setTimeout(() => json(identity.didDocument)(req, res), delayMs);
  };
  return signDataIntegrity({credential: aCredential(identity.did), identity,
    documentLoader: aDocumentLoader([identity])});
}

function failedCheck(reply: Reply, id: string): Check | undefined {
  return (reply.body?.checks as Check[] | undefined)?.find(check => check.id === id && !check.passed);
}

/** Sends other requests to the process in a loop until stopped: own verify, health, status list. */
function keepBusy(target: string, own: {credential: unknown; statusPath: string}):
  {replies: Reply[]; stop(): Promise<void>} {
  const replies: Reply[] = [];
  let stopped = false;
  const calls = [
    () => send(target, {method: 'POST', path: '/v1/verify', body: own.credential}),
    () => send(target, {path: '/health'}),
    () => send(target, {path: own.statusPath})
  ];
  const loops = calls.map(async call => {
    while(!stopped) {
      replies.push(await call());
      await sleep(20);
    }
  });
  return {replies, stop: async () => {
    stopped = true;
    await Promise.all(loops);
  }};
}

/**
 * Declares the scenario's tests.
 *
 * @param options - the cluster, its remote fetch timeout, the load and the bound for others.
 */
export function hangingRemoteScenario({cluster, remoteTimeoutMs, parallel, maxOtherP99Ms}:
  HangingRemoteOptions): void {
  describe('foreign did:web documents and status lists that hang during verification', () => {
    const routes: Record<string, RequestListener> = {};
    let server: LocalServer;
    let openConnections = 0;
    let statusIssuer: TestIdentity;
    let own: {credential: unknown; statusPath: string};
    let others: Reply[] = [];
    const results = new Map<string, Reply[]>();
    let slow: Reply;

    beforeAll(async () => {
      server = await aLocalServer(routes);
      server.server.on('connection', socket => {
        openConnections += 1;
        socket.once('close', () => {
          openConnections -= 1;
        });
      });
      statusIssuer = await aDidKeyIdentity();
      const target = cluster().processes[0]!;
      const organisation = await anOrganisationOn(target, 'hanging-remote');
      const unitId = await aPublishedUnitOn(target, organisation);
      const issued = await send(target.url, {method: 'POST', path: '/v1/achievements', headers: organisation.auth,
        body: anAchievementBody({unitId, learnerNumber: 'H1', issue: ['ob3']}), timeoutMs: 60_000});
      const credential = issued.body.credentials[0].credential;
      own = {credential, statusPath: new URL(credential.credentialStatus.statusListCredential).pathname};
      const cases = await Promise.all(CASES.map(async (foreignCase, c) => ({foreignCase,
        credentials: await Promise.all(Array.from({length: parallel}, (_, i) => aForeignCredential({
          server, routes, path: `/case-${c}/n-${i}`, ...foreignCase, statusIssuer})))})));
      const slowCredential = await aSlowButAnsweringCredential(server, routes, remoteTimeoutMs / 2);

      const busy = keepBusy(target.url, own);
      await sleep(500);
      await Promise.all([
        ...cases.map(async ({foreignCase, credentials}) => results.set(foreignCase.name, await Promise.all(
          credentials.map(foreign => send(target.url, {method: 'POST', path: '/v1/verify', body: foreign,
            timeoutMs: 60_000}))))),
        (async () => {
          slow = await send(target.url, {method: 'POST', path: '/v1/verify', body: slowCredential});
        })()
      ]);
      await busy.stop();
      others = busy.replies;
      printFigures('hanging remote documents during verification', {remoteTimeoutMs,
        hangingVerifications: [...results.values()].flat().length,
        ...Object.fromEntries([...results].map(([name, replies]) => [`longestMs(${name})`,
          Math.max(...replies.map(reply => reply.ms))])),
        slowButAnsweringMs: slow.ms, otherRequests: others.length,
        otherP50Ms: percentile(others.map(reply => reply.ms), 50),
        otherP99Ms: percentile(others.map(reply => reply.ms), 99)});
    }, 300_000);
    afterAll(async () => server?.close());

    test.each(CASES.map(foreignCase => [foreignCase.name, foreignCase] as const))(
      'when the %s, then the verification fails that check in bounded time', (name, {check, code}) => {
        const replies = results.get(name)!;

        expect(replies.map(reply => reply.status)).toEqual(replies.map(() => 200));
        expect(replies.map(reply => reply.body.verified)).toEqual(replies.map(() => false));
        expect(replies.map(reply => failedCheck(reply, check)?.code)).toEqual(replies.map(() => code));
        expect(Math.max(...replies.map(reply => reply.ms))).toBeLessThan(remoteTimeoutMs + 3000);
      });

    test('when a foreign server is slow but answers within the deadline, then it is waited for', () => {
      const checks = new Map((slow.body.checks as Check[]).map(check => [check.id, check]));

      expect(slow.status).toBe(200);
      expect(checks.get('signature')?.passed).toBe(true);
      // Resolved, only not one of carecred's registered issuers (a warning).
      expect(checks.get('issuer')?.code).toBe('issuer-not-registered');
      expect(slow.ms).toBeGreaterThanOrEqual(remoteTimeoutMs / 2);
    });

    test('when verifications hang, then the process\'s other requests stay fast and correct', () => {
      expect(others.length).toBeGreaterThan(10);
      expect(others.filter(reply => reply.status !== 200).map(reply => `${reply.status} ${reply.text}`))
        .toEqual([]);
      expect(others.filter(reply => reply.body?.verified === false)).toEqual([]);
      expect(percentile(others.map(reply => reply.ms), 99)).toBeLessThan(maxOtherP99Ms);
    });

    test('when the verifications are over, then no connection to the hanging server is left open', async () => {
      for(let waited = 0; openConnections > 0 && waited < 5000; waited += 100) {
        await sleep(100);
      }

      expect(openConnections).toBe(0);
      expect(cluster().unexpectedErrors()).toEqual([]);
    });
  });
}
