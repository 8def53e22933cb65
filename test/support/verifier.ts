/**
 * A verification engine for tests: real DID resolution (did:key derived, did:web over a local
 * HTTP server through the safe fetcher with private addresses allowed), the one document loader,
 * and injected fakes for the parts other modules own (own status, schema, issuer registry).
 */
import {createServer, type RequestListener, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';

import {createDocumentLoader} from '../../src/platform/jsonld/document-loader.js';
import {type CheckOwnStatus,
createDidResolver, createRemoteFetcher, createVerifier,   type LookupIssuer, type ValidateSchema} from '../../src/verification/index.js';

export const TEST_PUBLIC_BASE_URL = 'http://carecred.test';
export const FIXED_NOW = new Date('2025-06-01T12:00:00Z');

/** Options of `aTestVerifier`. */
export interface TestVerifierOptions {
  registered?: Record<string, string>;
  checkOwnStatus?: CheckOwnStatus;
  validateSchema?: ValidateSchema;
  now?: Date;
  timeoutMs?: number;
  maxBytes?: number;
  resolveOwnDid?: (did: string) => Promise<object | undefined>;
}

/** Builds an engine with test dependencies. */
export function aTestVerifier({registered = {}, checkOwnStatus, validateSchema, now = FIXED_NOW,
  timeoutMs = 2000, maxBytes = 1_048_576, resolveOwnDid = async () => undefined}: TestVerifierOptions = {}) {
  const {fetchRemote} = createRemoteFetcher({timeoutMs, maxBytes, allowPrivateNetwork: true, cacheTtlMs: 0});
  const resolveDid = createDidResolver({resolveOwnDid, fetchRemote, cacheTtlMs: 0,
    publicBaseUrl: TEST_PUBLIC_BASE_URL});
  const documentLoader = createDocumentLoader({publicBaseUrl: TEST_PUBLIC_BASE_URL, resolveDid});
  const lookupIssuer: LookupIssuer = async did =>
    registered[did] ? {name: {en: registered[did]!}} : undefined;
  return createVerifier({
    documentLoader, resolveDid, fetchRemote, lookupIssuer, publicBaseUrl: TEST_PUBLIC_BASE_URL,
    checkOwnStatus: checkOwnStatus ?? (async () => ({status: 'unset'})),
    validateSchema: validateSchema ?? (async () => ({valid: true})),
    now: () => now
  });
}

/** A local HTTP server for did:web documents and status lists; `routes` maps path → handler. */
export async function aLocalServer(routes: Record<string, RequestListener>):
  Promise<{server: Server; host: string; url: string; close(): Promise<void>}> {
  const server = createServer((req, res) => {
    const handler = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if(handler) {
      return handler(req, res);
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const {port} = server.address() as AddressInfo;
  return {
    server, host: `127.0.0.1:${port}`, url: `http://127.0.0.1:${port}`,
    close: () => new Promise(done => {
      server.closeAllConnections();
      server.close(() => done());
    })
  };
}

/** A handler that answers JSON. */
export function json(body: unknown, contentType = 'application/json'): RequestListener {
  return (_req, res) => {
    res.setHeader('content-type', contentType);
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}
