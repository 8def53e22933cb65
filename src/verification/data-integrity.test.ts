import {jest} from '@jest/globals';

import {aCredential, aDidKeyIdentity, aDocumentLoader, signDataIntegrity,
  type TestIdentity} from '../../test/support/credentials.js';
import {createDocumentLoader} from '../platform/jsonld/document-loader.js';
import {createDataIntegrityVerifier} from './data-integrity.js';

const EXTRA_CONTEXT = 'https://example.org/contexts/extra-v1.jsonld';
let issuer: TestIdentity;

beforeAll(async () => {
  issuer = await aDidKeyIdentity();
});

/** A loader that also serves a context that is not pinned (as a fetched context would be). */
function aLoaderWithExtraContext() {
  const pinned = aDocumentLoader([issuer]);
  const extra = createDocumentLoader({publicBaseUrl: 'http://carecred.test',
    documents: new Map([[EXTRA_CONTEXT, {'@context': {favouriteColour: 'https://example.org/vocab#favouriteColour'}}]])});
  return async (url: string) => url === EXTRA_CONTEXT ? extra(url) : pinned(url);
}

async function verify(credential: Record<string, unknown>, documentLoader = aDocumentLoader([issuer])) {
  const checkStatus = jest.fn(async () => undefined);
  const outcome = await createDataIntegrityVerifier({documentLoader}).verifyCredentialProof({credential,
    checkStatus});
  return {outcome, checkStatus};
}

describe('verifyCredentialProof', () => {
  test('when an eddsa-rdfc-2022 credential is checked, then its proof is valid', async () => {
    const signed = await signDataIntegrity({credential: aCredential(issuer.did), identity: issuer,
      documentLoader: aDocumentLoader([issuer])});

    const {outcome} = await verify(signed);

    expect(outcome).toEqual({valid: true, verificationMethod: issuer.vmId});
  });

  test('when a signed value was changed, then the proof is invalid (also by the library\'s own canonicalization)', async () => {
    const signed = await signDataIntegrity({credential: aCredential(issuer.did), identity: issuer,
      documentLoader: aDocumentLoader([issuer])});
    const tampered = {...signed, name: 'Another unit'};

    const {outcome, checkStatus} = await verify(tampered);

    expect(outcome).toMatchObject({valid: false, code: 'signature-invalid'});
    expect(checkStatus).not.toHaveBeenCalled();
  });

  test('when the credential uses a context that is not pinned, then it is canonicalized by the library and verifies', async () => {
    const documentLoader = aLoaderWithExtraContext();
    const credential = aCredential(issuer.did, {'@context': ['https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', EXTRA_CONTEXT], favouriteColour: 'teal'});
    const signed = await signDataIntegrity({credential, identity: issuer, documentLoader});

    const {outcome} = await verify(signed, documentLoader);
    const tampered = await verify({...signed, favouriteColour: 'red'}, documentLoader);

    expect(outcome).toMatchObject({valid: true});
    expect(tampered.outcome).toMatchObject({valid: false, code: 'signature-invalid'});
  });
});
