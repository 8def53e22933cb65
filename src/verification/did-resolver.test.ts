import type {RequestListener} from 'node:http';

import {aCredential, aDidKeyIdentity, aDidWebIdentity, aDocumentLoader, signDataIntegrity,
  type TestIdentity} from '../../test/support/credentials.js';
import {aLocalServer, aTestVerifier, json} from '../../test/support/verifier.js';
import {createDidResolver, DidResolutionError} from './did-resolver.js';
import {createRemoteFetcher} from './safe-fetch.js';

const DID_V1 = 'https://www.w3.org/ns/did/v1';

let server: Awaited<ReturnType<typeof aLocalServer>>;
const routes: Record<string, RequestListener> = {};
let hits = 0;
let foreign: TestIdentity;

beforeAll(async () => {
  server = await aLocalServer(routes);
  foreign = await aDidWebIdentity({host: server.host, path: ['issuers', 'foreign']});
  routes['/issuers/foreign/did.json'] = (req, res) => {
    hits++;
    json(foreign.didDocument, 'application/did+json')(req, res);
  };
});
afterAll(async () => server.close());

function aResolver(overrides: Partial<Parameters<typeof createDidResolver>[0]> = {}) {
  const {fetchRemote} = createRemoteFetcher({timeoutMs: 500, maxBytes: 20_000, allowPrivateNetwork: true,
    cacheTtlMs: 0});
  return createDidResolver({resolveOwnDid: async () => undefined, fetchRemote, cacheTtlMs: 60_000,
    publicBaseUrl: 'http://carecred.test', ...overrides});
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch(error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('createDidResolver', () => {
  test('when a did:key is resolved, then its document is derived locally with the DID context first', async () => {
    const {did} = await aDidKeyIdentity();

    const document = await aResolver()(did) as Record<string, unknown>;

    expect(document.id).toBe(did);
    expect((document['@context'] as unknown[])[0]).toBe(DID_V1);
    expect(document.assertionMethod).toHaveLength(1);
  });

  test('when a foreign did:web is resolved twice, then it is fetched once (cached)', async () => {
    const resolveDid = aResolver();
    const before = hits;

    const first = await resolveDid(foreign.did);
    await resolveDid(foreign.did);

    expect(first).toMatchObject({id: foreign.did});
    expect(hits - before).toBe(1);
  });

  test('when a foreign DID document does not list the DID context first, then it is put first', async () => {
    const other = await aDidWebIdentity({host: server.host, path: ['issuers', 'plain']});
    const {'@context': _context, ...withoutContext} = other.didDocument;
    routes['/issuers/plain/did.json'] = json(withoutContext);

    const document = await aResolver()(other.did) as Record<string, unknown>;

    expect((document['@context'] as unknown[])[0]).toBe(DID_V1);
  });

  test('when carecred\'s own did:key has only revoked keys, then it does not resolve (not derived)', async () => {
    const {did} = await aDidKeyIdentity();

    const document = await aResolver({isOwnDid: async candidate => candidate === did})(did);

    expect(document).toBeUndefined();
  });

  test('when an own did:web is not in the database, then it is not fetched over HTTP', async () => {
    const resolveDid = aResolver({fetchRemote: async () => {
      throw new Error('must not fetch');
    }});

    expect(await resolveDid('did:web:carecred.test:issuers:gone')).toBeUndefined();
  });

  test.each([
    ['did:example:123', /only did:key and did:web/],
    ['did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme', /Ed25519/],
    ['did:web:127.0.0.1%3A1:nothing-listens', /could not be resolved/]
  ])('when %s is resolved, then a DidResolutionError says why', async (did, reason) => {
    const error = await rejection(aResolver()(did));

    expect(error).toBeInstanceOf(DidResolutionError);
    expect(error.message).toMatch(reason);
  });
});

describe('credentials of foreign did:web issuers', () => {
  test('when the issuer\'s document is served, then the credential is verified with a warning', async () => {
    const input = await signDataIntegrity({credential: aCredential(foreign.did), identity: foreign,
      documentLoader: aDocumentLoader([foreign])});

    const report = await aTestVerifier().verifyCredential({input});

    expect(report.verified).toBe(true);
  });

  test.each([
    ['hangs', '/issuers/hanging/did.json', (): RequestListener => () => undefined, /within/],
    ['is oversized', '/issuers/huge/did.json', (): RequestListener =>
      json({id: 'x', padding: 'x'.repeat(50_000)}), /larger than/]
  ])('when the issuer\'s DID server %s, then issuer and signature fail in bounded time', async (_what, path,
    handler, reason) => {
    const identity = await aDidWebIdentity({host: server.host, path: path.split('/').slice(1, -1)});
    routes[path] = handler();
    const input = await signDataIntegrity({credential: aCredential(identity.did), identity,
      documentLoader: aDocumentLoader([identity])});
    const started = Date.now();

    const report = await aTestVerifier({timeoutMs: 400, maxBytes: 20_000}).verifyCredential({input});

    expect(Date.now() - started).toBeLessThan(3000);
    expect(report.verified).toBe(false);
    expect(report.checks.find(check => check.id === 'issuer')).toMatchObject({passed: false,
      code: 'issuer-unresolvable', message: expect.stringMatching(reason)});
    expect(report.checks.find(check => check.id === 'signature')).toMatchObject({passed: false,
      code: 'key-not-found'});
  });
});
