/**
 * The unsigned credentials of both profiles can be secured as the issuance module will secure
 * them, and verified with the unmodified libraries: OB3 with Data Integrity `eddsa-rdfc-2022`
 * (@digitalbazaar/vc), EDC as a VC-JOSE compact JWS (jose), for every unit in every language.
 */
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import {decodeProtectedHeader, importJWK, type JWK, jwtVerify, SignJWT} from 'jose';

import {buildEdcCredential, buildOb3Credential, validateAgainstProfileSchema}
  from '../../src/credentials/profiles/index.js';
import {unitLanguages} from '../../src/credentials/profiles/language.js';
import {buildDidDocument} from '../../src/keys/index.js';
import {createDocumentLoader} from '../../src/platform/jsonld/document-loader.js';
import {aCredentialInput, SAMPLE_UNITS, TEST_ISSUER_DID, TEST_PUBLIC_BASE_URL,
  unitFixtures} from '../support/credential-inputs.js';

const MATRIX = [...SAMPLE_UNITS, ...unitFixtures()].flatMap(({name, content}) =>
  unitLanguages(content).map(language => ({name, language, content})));
const KEY_ID = `${TEST_ISSUER_DID}#key-1`;
const VERIFY_OPTIONS = {suite: new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
  checkStatus: async () => ({verified: true})};
const JWK_ID = `${TEST_ISSUER_DID}#key-1-jwk`;

let keyPair: Ed25519Multikey.Ed25519KeyPair;
let didDocument: ReturnType<typeof buildDidDocument>;
let documentLoader: ReturnType<typeof createDocumentLoader>;

beforeAll(async () => {
  keyPair = await Ed25519Multikey.generate({id: KEY_ID, controller: TEST_ISSUER_DID});
  const {x} = await Ed25519Multikey.toJwk({keyPair}) as {x: string};
  const publicKeyJwk = {kty: 'OKP' as const, crv: 'Ed25519' as const, x};
  didDocument = buildDidDocument({did: TEST_ISSUER_DID, keys: [{multikeyId: KEY_ID, jwkId: JWK_ID,
    publicKeyMultibase: keyPair.publicKeyMultibase, publicKeyJwk}]});
  documentLoader = createDocumentLoader({publicBaseUrl: TEST_PUBLIC_BASE_URL,
    resolveDid: async did => did === TEST_ISSUER_DID ? didDocument : undefined});
});

/**
 * The private key as a JOSE key. ed25519-multikey's JWK `d` is the 64-byte secret key (seed and
 * public key); RFC 8037 wants the 32-byte seed.
 */
async function privateJoseKey() {
  const jwk = await Ed25519Multikey.toJwk({keyPair, secretKey: true}) as JWK & {d: string};
  const seed = Buffer.from(jwk.d, 'base64url').subarray(0, 32).toString('base64url');
  return importJWK({...jwk, d: seed}, 'EdDSA');
}

/** OB3's schema wants `proof` as an array (a proof set of one); vc.issue writes one object. */
function withProofArray(signed: Record<string, unknown>): Record<string, unknown> {
  return {...signed, proof: [signed.proof]};
}

/** The public key a JOSE verifier finds in the DID document for a `kid`. */
async function publicKeyFor(kid: string) {
  const method = didDocument.verificationMethod.find(candidate => candidate.id === kid);
  if(!method || !('publicKeyJwk' in method)) {
    throw new Error(`no JsonWebKey ${kid} in the DID document`);
  }
  return importJWK(method.publicKeyJwk as JWK, 'EdDSA');
}

describe('OB3 secured with eddsa-rdfc-2022', () => {
  test.each(MATRIX)('when $name in $language is signed, then @digitalbazaar/vc verifies it', async input => {
    const credential = buildOb3Credential(aCredentialInput(input));
    const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite: eddsaRdfc2022});

    const issued = await vc.issue({credential: structuredClone(credential), suite, documentLoader});
    const signed = withProofArray(issued);
    const result = await vc.verifyCredential({credential: signed, documentLoader, ...VERIFY_OPTIONS});

    expect(result.error).toBeUndefined();
    expect(result.verified).toBe(true);
    expect(signed.proof).toMatchObject([{type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022',
      verificationMethod: KEY_ID, proofPurpose: 'assertionMethod'}]);
    expect(validateAgainstProfileSchema('ob3', signed)).toEqual({valid: true, errors: []});
  });

  test('when a signed OB3 credential is changed, then it no longer verifies', async () => {
    const credential = buildOb3Credential(aCredentialInput());
    const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite: eddsaRdfc2022});
    const signed = await vc.issue({credential: structuredClone(credential), suite, documentLoader});

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const tampered = structuredClone(signed) as Record<string, any>;
    tampered.credentialSubject.achievement.microCredential.workloadHours = 280;
    const result = await vc.verifyCredential({credential: tampered, documentLoader, ...VERIFY_OPTIONS});

    expect(result.verified).toBe(false);
  });
});

describe('EDC secured as VC-JOSE (compact JWS, typ vc+jwt)', () => {
  test.each(MATRIX)('when $name in $language is signed, then jose verifies it with the DID document key',
    async input => {
      const credential = await buildEdcCredential(aCredentialInput(input));
      const privateKey = await privateJoseKey();

      const jwt = await new SignJWT(credential)
        .setProtectedHeader({alg: 'EdDSA', typ: 'vc+jwt', cty: 'vc', kid: JWK_ID})
        .sign(privateKey);
      const header = decodeProtectedHeader(jwt);
      const {payload} = await jwtVerify(jwt, await publicKeyFor(header.kid!),
        {typ: 'vc+jwt', algorithms: ['EdDSA']});

      expect(payload).toEqual(credential);
      expect(validateAgainstProfileSchema('edc', payload).valid).toBe(true);
    });
});
