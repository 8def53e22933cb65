import type {RequestListener} from 'node:http';

import {aLocalServer, json} from '../../test/support/verifier.js';
import {createRemoteFetcher, isPublicAddress, RemoteFetchError} from './safe-fetch.js';

let server: Awaited<ReturnType<typeof aLocalServer>>;
const routes: Record<string, RequestListener> = {};
let hits = 0;

beforeAll(async () => {
  server = await aLocalServer(routes);
  routes['/doc.json'] = (req, res) => {
    hits++;
    json({ok: true})(req, res);
  };
  routes['/page.html'] = (_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end('<html></html>');
  };
  routes['/big.json'] = json({padding: 'x'.repeat(5000)});
  routes['/big-chunked.json'] = (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.write('{"padding":"');
    res.write('x'.repeat(5000));
    res.end('"}');
  };
  routes['/hang'] = () => undefined;
  routes['/slow-body'] = (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.write('{');
  };
  routes['/gone'] = (_req, res) => {
    res.statusCode = 410;
    res.end();
  };
  routes['/loop'] = (_req, res) => {
    res.statusCode = 302;
    res.setHeader('location', '/loop');
    res.end();
  };
  routes['/to-metadata'] = (_req, res) => {
    res.statusCode = 301;
    res.setHeader('location', 'http://metadata.internal/latest/meta-data');
    res.end();
  };
  routes['/to-file'] = (_req, res) => {
    res.statusCode = 302;
    res.setHeader('location', 'file:///etc/passwd');
    res.end();
  };
  routes['/redirect'] = (_req, res) => {
    res.statusCode = 307;
    res.setHeader('location', '/doc.json');
    res.end();
  };
});
afterAll(async () => server.close());

async function failure(promise: Promise<unknown>): Promise<RemoteFetchError> {
  try {
    await promise;
  } catch(error) {
    return error as RemoteFetchError;
  }
  throw new Error('expected the fetch to fail');
}

function aFetcher(overrides: Partial<Parameters<typeof createRemoteFetcher>[0]> = {}) {
  return createRemoteFetcher({timeoutMs: 500, maxBytes: 1000, allowPrivateNetwork: true, cacheTtlMs: 0,
    resolveHost: async host => host === 'metadata.internal' ? [{address: '169.254.169.254', family: 4}] :
      [{address: '127.0.0.1', family: 4}], ...overrides}).fetchRemote;
}

describe('createRemoteFetcher', () => {
  test('when a JSON document is fetched, then it is parsed, and a redirect on the way is followed', async () => {
    const fetched = await aFetcher()(`${server.url}/redirect`);

    expect(fetched).toMatchObject({url: `${server.url}/doc.json`, json: {ok: true}});
  });

  test.each([
    ['plain http when private fetching is off', () => aFetcher({allowPrivateNetwork: false})(`${server.url}/doc.json`),
      'blocked-url'],
    ['an https host that resolves to a private address', () => aFetcher({allowPrivateNetwork: false,
      resolveHost: async () => [{address: '10.1.2.3', family: 4}]})('https://intranet.example/did.json'),
    'blocked-address'],
    ['an https host with one loopback address among public ones', () => aFetcher({allowPrivateNetwork: false,
      resolveHost: async () => [{address: '93.184.216.34', family: 4}, {address: '::1', family: 6}]})(
      'https://mixed.example/did.json'), 'blocked-address'],
    ['a redirect to plain http on a non-loopback address', () => aFetcher()(`${server.url}/to-metadata`), 'blocked-url'],
    ['a redirect to a file: URL', () => aFetcher()(`${server.url}/to-file`), 'blocked-url'],
    ['a redirect loop', () => aFetcher()(`${server.url}/loop`), 'too-many-redirects'],
    ['an HTML page', () => aFetcher()(`${server.url}/page.html`), 'content-type'],
    ['an error status', () => aFetcher()(`${server.url}/gone`), 'http-status'],
    ['a declared oversized body', () => aFetcher()(`${server.url}/big.json`), 'too-large'],
    ['a streamed oversized body', () => aFetcher()(`${server.url}/big-chunked.json`), 'too-large'],
    ['a server that never answers', () => aFetcher()(`${server.url}/hang`), 'timeout'],
    ['a body that never ends', () => aFetcher()(`${server.url}/slow-body`), 'timeout']
  ])('when the target is %s, then the fetch is refused', async (_what, fetch, code) => {
    const started = Date.now();

    const error = await failure(fetch());

    expect(error).toBeInstanceOf(RemoteFetchError);
    expect(error.code).toBe(code);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('when the same URL is fetched twice within the cache TTL, then the server is asked once', async () => {
    const fetchRemote = aFetcher({cacheTtlMs: 60_000});
    const before = hits;

    await Promise.all([fetchRemote(`${server.url}/doc.json`), fetchRemote(`${server.url}/doc.json`)]);
    await fetchRemote(`${server.url}/doc.json`);

    expect(hits - before).toBe(1);
  });
});

describe('isPublicAddress', () => {
  test.each([
    ['93.184.216.34', true], ['2606:4700:4700::1111', true], ['127.0.0.1', false], ['::1', false],
    ['10.0.0.1', false], ['172.16.0.1', false], ['192.168.1.1', false], ['169.254.169.254', false],
    ['100.64.0.1', false], ['fe80::1', false], ['fc00::1', false], ['::ffff:127.0.0.1', false],
    ['0.0.0.0', false], ['224.0.0.1', false]
  ])('when the address is %s, then public is %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
