import {createHash} from 'node:crypto';

import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

import {PACKAGED_CONTEXTS} from './contexts.js';
import {createDocumentLoader, DocumentNotFound} from './document-loader.js';

// Pinned by hash: a dependency update that changes a context changes what every credential
// means, so it must be a deliberate change to this table.
const PINNED_CONTEXT_HASHES: Record<string, string> = {
  'https://www.w3.org/2018/credentials/v1': '778eb3a2ffad5df9',
  'https://www.w3.org/ns/credentials/v2': 'bf6fd611e6773d58',
  'https://w3id.org/security/data-integrity/v2': 'be223c58c54657e9',
  'https://w3id.org/security/multikey/v1': '91f130b30b6705ee',
  'https://www.w3.org/ns/credentials/status/v1': '1d5d557d174395f4',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': 'e407ae98563c7b47',
  'https://www.w3.org/ns/did/v1': '922d86fef06acc07',
  'https://w3id.org/security/suites/ed25519-2020/v1': '9ccf2b2a579a86c1'
};

function hashOf(document: unknown): string {
  return createHash('sha256').update(JSON.stringify(document)).digest('hex').slice(0, 16);
}

describe('createDocumentLoader', () => {
  const loader = createDocumentLoader({publicBaseUrl: 'http://carecred.test'});

  test('when a bundled context is asked for, then it is served offline, the same object each time', async () => {
    const first = await loader('https://www.w3.org/ns/credentials/v2');
    const second = await loader('https://www.w3.org/ns/credentials/v2');

    expect(first.document).toBe(second.document);
    expect(Object.isFrozen(first.document)).toBe(true);
  });

  test('when an unknown URL is asked for, then DocumentNotFound names it (no network)', async () => {
    await expect(loader('https://example.com/context.json')).rejects.toThrow(DocumentNotFound);
    await expect(loader('https://example.com/context.json')).rejects.toThrow(/example\.com/);
  });

  test('when the bundled contexts are hashed, then they match the pinned table', () => {
    const hashes = Object.fromEntries([...PACKAGED_CONTEXTS].map(([url, doc]) => [url, hashOf(doc)]));

    expect(hashes).toEqual(expect.objectContaining(PINNED_CONTEXT_HASHES));
    expect(Object.keys(hashes)).toEqual(expect.arrayContaining([
      'https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/2018/credentials/v1',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      'https://w3id.org/security/data-integrity/v2', 'https://w3id.org/security/multikey/v1',
      'https://www.w3.org/ns/credentials/status/v1', 'https://www.w3.org/ns/did/v1'
    ]));
  });

  test('when a DID URL with a fragment is asked for, then the verification method is returned', async () => {
    const did = 'did:web:carecred.test:issuers:a';
    const withDid = createDocumentLoader({
      publicBaseUrl: 'http://carecred.test',
      resolveDid: async requested => requested === did ? {
        '@context': ['https://www.w3.org/ns/did/v1'], id: did,
        verificationMethod: [{id: `${did}#k1`, type: 'Multikey', controller: did}]
      } : undefined
    });

    const method = await withDid(`${did}#k1`);

    expect(method.document).toMatchObject({id: `${did}#k1`, type: 'Multikey'});
    await expect(withDid(`${did}#k2`)).rejects.toThrow(DocumentNotFound);
    await expect(withDid('did:web:other')).rejects.toThrow(DocumentNotFound);
  });

  test('when two credentials are canonicalized, then jsonld resolves the pinned contexts only once (they are tagged static)', async () => {
    const requested: string[] = [];
    const counting = async (url: string) => {
      requested.push(url);
      return loader(url);
    };
    const credential = {'@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'],
      issuer: 'did:web:carecred.test:issuers:a', credentialSubject: {id: 'did:key:z6Mkabc'}};

    await cryptosuite.canonize(credential, {documentLoader: counting, base: null, safe: true});
    const afterFirst = requested.length;
    await cryptosuite.canonize({...credential, id: 'urn:uuid:2'}, {documentLoader: counting, base: null, safe: true});

    expect(requested.length).toBe(afterFirst);
    expect((await loader('https://www.w3.org/ns/credentials/v2')).tag).toBe('static');
  });
});
