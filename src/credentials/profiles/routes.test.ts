import jsonld from 'jsonld';
import request from 'supertest';

import {expectContract} from '../../../test/support/contract.js';
import {aCredentialInput} from '../../../test/support/credential-inputs.js';
import {startTestApp, type TestApp} from '../../../test/support/test-app.js';
import {createDocumentLoader} from '../../platform/jsonld/document-loader.js';
import {buildOb3Credential} from './ob3.js';

let carecred: TestApp;
beforeAll(async () => {
  carecred = await startTestApp();
});
afterAll(async () => carecred.stop());

describe('getMicroCredentialContext', () => {
  test('when the context URL is fetched, then the bundled context is served as JSON-LD', async () => {
    const response = await request(carecred.app).get('/contexts/microcredential/v1');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/ld\+json/);
    expectContract(response, 'getMicroCredentialContext');
    const loader = createDocumentLoader({publicBaseUrl: carecred.config.publicBaseUrl});
    const bundled = await loader(`${carecred.config.publicBaseUrl}/contexts/microcredential/v1`);
    expect(response.body).toEqual(bundled.document);
    expect(JSON.stringify(response.body)).not.toContain('{PUBLIC_BASE_URL}');
  });

  test('when a credential is expanded with the served context, then its terms use the vocabulary', async () => {
    const served = (await request(carecred.app).get('/contexts/microcredential/v1')).body as unknown;
    const base = carecred.config.publicBaseUrl;
    const loader = createDocumentLoader({publicBaseUrl: 'http://elsewhere.test',
      documents: new Map([[`${base}/contexts/microcredential/v1`, served]])});

    const expanded = await jsonld.expand(buildOb3Credential(aCredentialInput({publicBaseUrl: base})),
      {documentLoader: loader, safe: true});

    expect(JSON.stringify(expanded)).toContain(`${base}/vocab/microcredential#qualityAssurance`);
  });
});
