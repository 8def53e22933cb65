/**
 * Fetching documents of other issuers (did:web DID documents, status list credentials) without
 * letting a credential turn carecred into a tool against its own network.
 *
 * Design note. A credential names URLs that carecred then fetches, so each URL is untrusted:
 * - only `https:` (plain `http:` only to a loopback address, and only when
 *   ALLOW_PRIVATE_NETWORK_FETCH is on: tests and local demos);
 * - the host name is resolved here and every address is checked (no loopback, private,
 *   link-local, carrier-grade NAT, multicast, reserved ... unless private fetching is allowed);
 *   the connection then goes to the checked address (no second DNS answer: no DNS rebinding);
 * - redirects are followed by hand, at most `maxRedirects`, and each hop is checked the same way;
 * - one deadline for the whole fetch (all hops), enforced by aborting the request;
 * - the body is streamed and the request aborted as soon as it exceeds `maxBytes`;
 * - only JSON (or, when asked, JWT) media types are accepted;
 * - successes are kept in an LRU cache with a TTL; concurrent fetches of one URL share one request.
 * Nothing here is needed for correctness: the cache may be lost at any time.
 */
import {lookup as dnsLookup, type LookupAddress} from 'node:dns';
import {type IncomingMessage,request as httpRequest} from 'node:http';
import {request as httpsRequest} from 'node:https';
import type {LookupFunction} from 'node:net';

import ipaddr from 'ipaddr.js';
import {LRUCache} from 'lru-cache';

/** Why a fetch failed. */
export type RemoteFetchErrorCode = 'blocked-url' | 'blocked-address' | 'timeout' | 'too-large' |
  'too-many-redirects' | 'http-status' | 'content-type' | 'invalid-json' | 'network';

/** A remote document could not be fetched; `code` says why (the message is safe to show). */
export class RemoteFetchError extends Error {
  constructor(readonly code: RemoteFetchErrorCode, message: string, options?: {cause?: unknown}) {
    super(message, options);
    this.name = 'RemoteFetchError';
  }
}

/** A fetched document. */
export interface FetchedDocument {
  /** The URL the document came from (after redirects). */
  url: string;
  contentType: string;
  text: string;
  /** The parsed body, for JSON media types. */
  json?: unknown;
}

/** What may be accepted: JSON only, or JSON and compact JWTs (status list credentials). */
export type AcceptKind = 'json' | 'json-or-jwt';

/** Fetches a remote document. */
export type FetchRemote = (url: string, options?: {accept?: AcceptKind}) => Promise<FetchedDocument>;

/** Resolves a host name to all its addresses (injectable for tests). */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json$/;
const JWT_TYPE = /^application\/((vc|vp)\+)?jwt$|^application\/v[cp]\+ld\+json\+jwt$|^application\/v[cp]-ld\+jwt$/;
const ACCEPT_HEADER: Record<AcceptKind, string> = {
  'json': 'application/did+json, application/ld+json, application/json;q=0.9',
  'json-or-jwt': 'application/vc+ld+json, application/ld+json, application/json;q=0.9, application/vc+jwt;q=0.8'
};
const FAILURE_TTL_MS = 10_000;

const systemResolveHost: ResolveHost = hostname => new Promise((resolve, reject) => {
  dnsLookup(hostname, {all: true, verbatim: true}, (error, addresses) => error ?
    reject(error) : resolve(addresses));
});

/** Is this address one a public fetch may go to? */
export function isPublicAddress(address: string): boolean {
  return ipaddr.process(address).range() === 'unicast';
}

function isLoopback(address: string): boolean {
  return ipaddr.process(address).range() === 'loopback';
}

function checkScheme(url: URL, allowPrivateNetwork: boolean): void {
  if(url.username || url.password) {
    throw new RemoteFetchError('blocked-url', `URLs with credentials are not fetched: ${url.origin}`);
  }
  if(url.protocol !== 'https:' && !(url.protocol === 'http:' && allowPrivateNetwork)) {
    throw new RemoteFetchError('blocked-url', `Only https URLs are fetched, not ${url.protocol}`);
  }
}

/** Resolves the host and checks every address; returns the address to connect to. */
async function checkedAddress({url, allowPrivateNetwork, resolveHost}: {
  url: URL; allowPrivateNetwork: boolean; resolveHost: ResolveHost;
}): Promise<LookupAddress> {
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: LookupAddress[];
  try {
    addresses = ipaddr.isValid(hostname) ?
      [{address: hostname, family: ipaddr.parse(hostname).kind() === 'ipv6' ? 6 : 4}] :
      await resolveHost(hostname);
  } catch(error) {
    throw new RemoteFetchError('network', `The host ${hostname} could not be resolved`, {cause: error});
  }
  if(addresses.length === 0) {
    throw new RemoteFetchError('network', `The host ${hostname} has no address`);
  }
  for(const {address} of addresses) {
    if(!allowPrivateNetwork && !isPublicAddress(address)) {
      throw new RemoteFetchError('blocked-address',
        `The host ${hostname} resolves to a non-public address; it is not fetched`);
    }
    if(url.protocol === 'http:' && !isLoopback(address)) {
      throw new RemoteFetchError('blocked-url', 'Plain http is only fetched from a loopback address');
    }
  }
  return addresses[0]!;
}

/** Reads the body, aborting past `maxBytes`. */
function readBody(response: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(response.headers['content-length'] ?? 0);
    if(declared > maxBytes) {
      response.destroy();
      return reject(new RemoteFetchError('too-large', `The document is larger than ${maxBytes} bytes`));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if(size > maxBytes) {
        response.destroy();
        reject(new RemoteFetchError('too-large', `The document is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', error => reject(error));
    // A settled promise ignores later calls, so 'close' after 'end' changes nothing.
    response.on('close', () => reject(new RemoteFetchError('network', 'The connection was closed')));
  });
}

/** One HTTP GET to a checked address; resolves with the response head. */
function get({url, address, accept, signal}: {
  url: URL; address: LookupAddress; accept: AcceptKind; signal: AbortSignal;
}): Promise<IncomingMessage> {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if((options as {all?: boolean}).all) {
      (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, [address]);
    } else {
      callback(null, address.address, address.family);
    }
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, {
      method: 'GET', lookup, signal, agent: false,
      headers: {'accept': ACCEPT_HEADER[accept], 'accept-encoding': 'identity',
        'user-agent': 'carecred-verifier'}
    }, resolve);
    request.on('error', reject);
    request.end();
  });
}

function mediaTypeOf(response: IncomingMessage): string {
  return String(response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Creates the fetcher for foreign documents.
 *
 * @param options.timeoutMs - deadline for one fetch, all redirects included (REMOTE_FETCH_TIMEOUT_MS).
 * @param options.maxBytes - largest body accepted.
 * @param options.allowPrivateNetwork - allow loopback/private addresses and http to loopback
 *   (ALLOW_PRIVATE_NETWORK_FETCH; tests and demos only).
 * @param options.cacheTtlMs - how long a fetched document is reused.
 * @param options.maxRedirects - redirects followed at most.
 * @param options.resolveHost - DNS resolution (tests inject one).
 * @returns `fetchRemote(url, {accept})` and `clearCache()`.
 */
export function createRemoteFetcher({timeoutMs, maxBytes = 1_048_576, allowPrivateNetwork = false,
  cacheTtlMs = 300_000, maxRedirects = 3, cacheSize = 1000, resolveHost = systemResolveHost}: {
  timeoutMs: number; maxBytes?: number; allowPrivateNetwork?: boolean; cacheTtlMs?: number;
  maxRedirects?: number; cacheSize?: number; resolveHost?: ResolveHost;
}): {fetchRemote: FetchRemote; clearCache(): void} {
  if(!(timeoutMs > 0) || !(maxBytes > 0)) {
    throw new TypeError('"timeoutMs" and "maxBytes" must be positive numbers.');
  }
  const cache = new LRUCache<string, FetchedDocument | RemoteFetchError>({
    max: cacheSize, ttl: Math.max(cacheTtlMs, 1)
  });
  const inFlight = new Map<string, Promise<FetchedDocument>>();

  /** Caches a success (or, briefly, a failure, so a dead host is not asked on every verification). */
  function remember(key: string, value: FetchedDocument | RemoteFetchError, ttl: number): void {
    if(ttl > 0) {
      cache.set(key, value, {ttl});
    }
  }

  async function fetchOnce(start: string, accept: AcceptKind, signal: AbortSignal):
    Promise<FetchedDocument> {
    let url = parseUrl(start);
    for(let hop = 0; ; hop++) {
      checkScheme(url, allowPrivateNetwork);
      const address = await checkedAddress({url, allowPrivateNetwork, resolveHost});
      const response = await get({url, address, accept, signal});
      const status = response.statusCode ?? 0;
      if(status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        if(hop >= maxRedirects) {
          throw new RemoteFetchError('too-many-redirects', `More than ${maxRedirects} redirects`);
        }
        url = parseUrl(response.headers.location, url);
        continue;
      }
      if(status !== 200) {
        response.resume();
        throw new RemoteFetchError('http-status', `The server answered HTTP ${status}`);
      }
      return toDocument({url, response, accept, maxBytes});
    }
  }

  async function fetchWithDeadline(url: string, accept: AcceptKind): Promise<FetchedDocument> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await fetchOnce(url, accept, controller.signal);
    } catch(error) {
      if(controller.signal.aborted) {
        throw new RemoteFetchError('timeout', `No complete answer within ${timeoutMs} ms`, {cause: error});
      }
      throw error instanceof RemoteFetchError ? error :
        new RemoteFetchError('network', 'The document could not be fetched', {cause: error});
    } finally {
      clearTimeout(timer);
    }
  }

  async function fetchRemote(url: string, {accept = 'json'}: {accept?: AcceptKind} = {}):
    Promise<FetchedDocument> {
    const key = `${accept} ${url}`;
    const hit = cache.get(key);
    if(hit instanceof RemoteFetchError) {
      throw hit;
    }
    if(hit) {
      return hit;
    }
    let pending = inFlight.get(key);
    if(!pending) {
      pending = fetchWithDeadline(url, accept);
      inFlight.set(key, pending);
      pending.then(document => remember(key, document, cacheTtlMs),
        (error: RemoteFetchError) => remember(key, error, Math.min(FAILURE_TTL_MS, cacheTtlMs)))
        .finally(() => inFlight.delete(key));
    }
    return pending;
  }

  return {fetchRemote, clearCache: () => cache.clear()};
}

function parseUrl(value: string, base?: URL): URL {
  try {
    return new URL(value, base);
  } catch(error) {
    throw new RemoteFetchError('blocked-url', 'Not a valid URL', {cause: error});
  }
}

async function toDocument({url, response, accept, maxBytes}: {
  url: URL; response: IncomingMessage; accept: AcceptKind; maxBytes: number;
}): Promise<FetchedDocument> {
  const contentType = mediaTypeOf(response);
  const isJson = JSON_TYPE.test(contentType);
  if(!isJson && !(accept === 'json-or-jwt' && JWT_TYPE.test(contentType))) {
    response.resume();
    throw new RemoteFetchError('content-type',
      `The document has media type '${contentType || 'none'}', not JSON`);
  }
  const text = await readBody(response, maxBytes);
  if(!isJson) {
    return {url: url.href, contentType, text: text.trim()};
  }
  try {
    return {url: url.href, contentType, text, json: JSON.parse(text)};
  } catch(error) {
    throw new RemoteFetchError('invalid-json', 'The document is not valid JSON', {cause: error});
  }
}
