import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

import {CREDENTIALS_V2, OB3_303} from '../../../test/fixtures/ob3-credential.js';
import {createDocumentLoader} from '../../platform/jsonld/document-loader.js';
import {ProofTemplates} from './proof.js';

const documentLoader = createDocumentLoader({publicBaseUrl: 'http://carecred.test'});
const suite = new DataIntegrityProof({cryptosuite});
const CONTEXTS = [[CREDENTIALS_V2, OB3_303], [CREDENTIALS_V2],
  ['https://www.w3.org/2018/credentials/v1']];
const METHODS = ['did:web:carecred.test:issuers:a#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
  'did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH#z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH'];
const DATES = ['2026-01-01T00:00:00Z', '1999-12-31T23:59:59Z', '2026-11-26T23:17:08Z', '9999-12-31T23:59:59Z'];

function proofOf(verificationMethod: string, created: string): Record<string, unknown> {
  return {type: 'DataIntegrityProof', created, verificationMethod, cryptosuite: 'eddsa-rdfc-2022',
    proofPurpose: 'assertionMethod'};
}

describe('ProofTemplates', () => {
  const cases = CONTEXTS.flatMap(context => METHODS.flatMap(method => DATES.map(created =>
    [JSON.stringify(context), method.slice(0, 14), created, context, method] as const)));

  test.each(cases)('when proof options under %s for %s… created %s come from a template, then they are the library\'s canonical form',
    async (_contexts, _method, created, context, verificationMethod) => {
      const templates = new ProofTemplates();
      const document = {'@context': context};
      const canonizeProof = (proof: Record<string, unknown>) => suite.canonizeProof(proof,
        {documentLoader, document});
      await templates.canonize({proof: proofOf(verificationMethod, '2030-06-06T06:06:06Z'), context,
        canonizeProof});
      let calls = 0;

      const templated = await templates.canonize({proof: proofOf(verificationMethod, created), context,
        canonizeProof: proof => {
          calls++;
          return canonizeProof(proof);
        }});

      expect(templated).toBe(await canonizeProof(proofOf(verificationMethod, created)));
      expect(calls).toBe(0);
    });

  test('when the proof has other members or a date with milliseconds, then it is canonicalized in full', async () => {
    const templates = new ProofTemplates();
    const context = [CREDENTIALS_V2];
    let calls = 0;
    const canonizeProof = (proof: Record<string, unknown>) => {
      calls++;
      return suite.canonizeProof(proof, {documentLoader, document: {'@context': context}});
    };

    await templates.canonize({proof: {...proofOf(METHODS[0]!, DATES[0]!), challenge: 'abc'}, context,
      canonizeProof});
    await templates.canonize({proof: proofOf(METHODS[0]!, '2026-01-01T00:00:00.123Z'), context,
      canonizeProof});

    expect(calls).toBe(2);
  });
});
