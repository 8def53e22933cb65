import {readFileSync} from 'node:fs';
import {join} from 'node:path';

import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

import {anOb3Credential, CREDENTIALS_V2, OB3_303, variedOb3Credentials}
  from '../../../test/fixtures/ob3-credential.js';
import {standardsDir} from '../../../test/support/standards.js';
import {createDocumentLoader} from '../../platform/jsonld/document-loader.js';
import {createFastCanonize} from './canonize.js';

const DOCUMENTS = new Map<string, unknown>([['https://carecred.test/contexts/ext-v1.json', {
  '@context': {'@protected': true, ext: 'https://carecred.test/vocab#',
    annexI: {'@id': 'ext:annexI', '@context': {workload: {'@id': 'ext:workload', '@type': 'xsd:decimal'},
      xsd: 'http://www.w3.org/2001/XMLSchema#'}}}
}]]);
const documentLoader = createDocumentLoader({publicBaseUrl: 'http://carecred.test', documents: DOCUMENTS});
const OPTIONS = {documentLoader, base: null, safe: true};

function deepFreeze<T>(value: T): T {
  if(value && typeof value === 'object') {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
}

function libraryCanonize(input: object, options: object = OPTIONS): Promise<string> {
  return cryptosuite.canonize(input, options);
}

async function outcome(canonize: () => Promise<string>): Promise<string> {
  try {
    return await canonize();
  } catch(error) {
    const {name, message, details} = error as {name: string; message: string;
      details?: {event?: {code?: string}; code?: string}};
    return `error ${name}: ${message} ${details?.event?.code ?? details?.code ?? ''}`;
  }
}

/** Credentials beyond the OB3 fixtures: other JSON-LD features the canonicalizer must get right. */
function otherShapes(): [string, object, 'n-quads' | 'error'][] {
  const base = anOb3Credential({serial: 7});
  const example = JSON.parse(readFileSync(join(standardsDir(), 'ob3',
    'example-complete-openbadgecredential.json'), 'utf8'));
  delete example.proof;
  return [
    ['the 1EdTech complete OB 3.0 example (endorsements with embedded contexts)', example, 'n-quads'],
    ['a language value object and a direction', {...base,
      name: {'@value': 'Veilig toedienen', '@language': 'nl', '@direction': 'ltr'}}, 'n-quads'],
    ['an embedded object context with a scoped term', {...base,
      '@context': [CREDENTIALS_V2, OB3_303, {xmlNote: {'@id': 'https://carecred.test/vocab#note',
        '@type': '@json'}}], xmlNote: {b: [1, 2], a: 'é'}}, 'n-quads'],
    ['carecred-style extension context with a property-scoped context', {...base,
      '@context': [CREDENTIALS_V2, OB3_303, 'https://carecred.test/contexts/ext-v1.json'],
      annexI: {workload: '2.50'}}, 'n-quads'],
    ['a VC 1.1 credential', {'@context': ['https://www.w3.org/2018/credentials/v1',
      'https://w3id.org/security/data-integrity/v2'], type: ['VerifiableCredential'],
    issuer: 'did:web:carecred.test:issuers:a', issuanceDate: '2026-01-01T00:00:00Z',
    credentialSubject: {id: 'did:key:z6Mkabc'}}, 'n-quads'],
    ['undefined terms in an OB 3.0 credential (safe mode must refuse them)', {...base, shoeSize: 42},
      'error'],
    ['undefined terms under an embedded @vocab', {'@context': [CREDENTIALS_V2,
      {'@vocab': 'https://carecred.test/vocab#'}],
      type: ['VerifiableCredential', 'ExampleCredential'], issuer: 'did:web:carecred.test:issuers:a',
      credentialSubject: {shoeSize: 42, nested: {colour: 'blue', type: 'Shoe'}}}, 'n-quads'],
    ['blank nodes that hash alike (two equal evidence entries)', {...base, evidence: [
      {type: ['Evidence'], name: 'same'}, {type: ['Evidence'], name: 'same'}]}, 'n-quads'],
    ['a relative @type (safe mode must refuse it)', {...base,
      credentialSchema: [{id: 'https://example.org/schema.json', type: '1EdTechJsonSchemaValidator2019x'}]}, 'error'],
    ['an unknown context URL', {...base, '@context': [CREDENTIALS_V2, 'https://example.org/unknown']}, 'error'],
    ['a protected term redefined', {...base,
      '@context': [CREDENTIALS_V2, OB3_303, {name: 'https://example.org/name'}]}, 'error']
  ];
}

describe('createFastCanonize', () => {
  const canonize = createFastCanonize();

  test('when 600 varied OB 3.0 credentials are canonicalized, then every N-Quads string is byte-identical to the cryptosuite\'s', async () => {
    const credentials = variedOb3Credentials(600).map(deepFreeze);

    const mismatches: number[] = [];
    for(const [index, credential] of credentials.entries()) {
      if(await canonize(credential, OPTIONS) !== await libraryCanonize(credential)) {
        mismatches.push(index);
      }
    }

    expect(mismatches).toEqual([]);
  });

  test.each(otherShapes())('when %s is canonicalized, then the result (or error) is the library\'s', async (_name, input, expected) => {
    deepFreeze(input);

    const fast = await outcome(() => canonize(input, OPTIONS));
    const library = await outcome(() => libraryCanonize(input));

    expect(fast).toBe(library);
    expect(fast.startsWith('error') ? 'error' : 'n-quads').toBe(expected);
  });

  test('when the proof options are canonicalized with skipExpansion false, then the result is the library\'s', async () => {
    const proof = {'@context': [CREDENTIALS_V2, OB3_303], type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022', created: '2026-05-01T12:00:00Z', proofPurpose: 'assertionMethod',
      verificationMethod: 'did:web:carecred.test:issuers:a#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'};
    const options = {...OPTIONS, skipExpansion: false};

    expect(await canonize(proof, options)).toBe(await libraryCanonize(proof, options));
  });

  test('when options other than Data Integrity\'s are given, then it refuses (its memo would not be exact)', async () => {
    const credential = anOb3Credential();

    await expect(canonize(credential, {...OPTIONS, safe: false})).rejects.toThrow(TypeError);
    await expect(canonize(credential, {...OPTIONS, base: 'https://example.org/'})).rejects.toThrow(TypeError);
  });

  test('when the same credential is canonicalized again, then the result is the same (memoized contexts are not changed by use)', async () => {
    const credential = deepFreeze(anOb3Credential({serial: 3}));

    const first = await canonize(credential, OPTIONS);
    for(const other of variedOb3Credentials(50)) {
      await canonize(other, OPTIONS);
    }

    expect(await canonize(credential, OPTIONS)).toBe(first);
  });
});
