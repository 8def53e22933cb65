/**
 * Test issuers and credentials: did:key and did:web identities with Ed25519 (and P-256) keys,
 * credentials and presentations secured with eddsa-rdfc-2022, Ed25519Signature2020 and
 * VC-JOSE (EdDSA, ES256). Builders take overrides; nothing here talks to a network.
 */
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import {Ed25519VerificationKey2020} from '@digitalbazaar/ed25519-verification-key-2020';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import {exportJWK, generateKeyPair, importJWK, type JWK, SignJWT} from 'jose';
import jsigs from 'jsonld-signatures';

import {DID_CONTEXT_URL, JSON_WEB_KEY_CONTEXT, MULTIKEY_CONTEXT_URL} from '../../src/keys/index.js';
import {createDocumentLoader, type DocumentLoader} from '../../src/platform/jsonld/document-loader.js';

export const V2 = 'https://www.w3.org/ns/credentials/v2';
export const V1 = 'https://www.w3.org/2018/credentials/v1';
export const OB3 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const ED25519_2020 = 'https://w3id.org/security/suites/ed25519-2020/v1';

/** A test identity: its DID, DID document, Multikey key pair and JWKs. */
export interface TestIdentity {
  did: string;
  /** Verification method id used for Data Integrity proofs and as JOSE `kid`. */
  vmId: string;
  didDocument: Record<string, unknown>;
  keyPair: Ed25519Multikey.Ed25519KeyPair;
  publicJwk: JWK;
  privateJwk: JWK;
}

/** An Ed25519 did:key identity (the DID document is what any did:key resolver derives). */
export async function aDidKeyIdentity(): Promise<TestIdentity> {
  const generated = await Ed25519Multikey.generate();
  const did = `did:key:${generated.publicKeyMultibase}`;
  const vmId = `${did}#${generated.publicKeyMultibase}`;
  const keyPair = await Ed25519Multikey.from({
    ...await generated.export({publicKey: true, secretKey: true, includeContext: true}),
    id: vmId, controller: did
  });
  const publicJwk = await Ed25519Multikey.toJwk({keyPair}) as JWK;
  const fullJwk = await Ed25519Multikey.toJwk({keyPair, secretKey: true}) as JWK;
  // The library's `d` is seed + public key (64 bytes); JOSE wants the 32-byte seed.
  const privateJwk = {...fullJwk, d: Buffer.from(fullJwk.d!, 'base64url').subarray(0, 32).toString('base64url')};
  const didDocument = {
    '@context': [DID_CONTEXT_URL, MULTIKEY_CONTEXT_URL], id: did,
    verificationMethod: [{id: vmId, type: 'Multikey', controller: did,
      publicKeyMultibase: generated.publicKeyMultibase}],
    assertionMethod: [vmId], authentication: [vmId]
  };
  return {did, vmId, didDocument, keyPair, publicJwk, privateJwk};
}

/**
 * A did:web identity (Ed25519 key listed as Multikey and JsonWebKey; or a P-256 JsonWebKey).
 *
 * @param options.host - host and port, e.g. `127.0.0.1:4321`.
 * @param options.path - path segments after the host.
 * @param options.curve - `Ed25519` (default) or `P-256`.
 */
export async function aDidWebIdentity({host, path = ['issuers', 'foreign'], curve = 'Ed25519'}: {
  host: string; path?: string[]; curve?: 'Ed25519' | 'P-256';
}): Promise<TestIdentity> {
  const did = ['did:web', host.replace(':', '%3A'), ...path].join(':');
  if(curve === 'P-256') {
    const {publicKey, privateKey} = await generateKeyPair('ES256', {extractable: true});
    const publicJwk = await exportJWK(publicKey);
    const vmId = `${did}#p256`;
    const didDocument = {
      '@context': [DID_CONTEXT_URL, JSON_WEB_KEY_CONTEXT], id: did,
      verificationMethod: [{id: vmId, type: 'JsonWebKey', controller: did, publicKeyJwk: publicJwk}],
      assertionMethod: [vmId], authentication: [vmId]
    };
    const identity = await aDidKeyIdentity();
    return {...identity, did, vmId, didDocument, publicJwk, privateJwk: await exportJWK(privateKey)};
  }
  const identity = await aDidKeyIdentity();
  const vmId = `${did}#key-1`;
  const keyPair = await Ed25519Multikey.from({
    ...await identity.keyPair.export({publicKey: true, secretKey: true, includeContext: true}),
    id: vmId, controller: did
  });
  const didDocument = {
    '@context': [DID_CONTEXT_URL, MULTIKEY_CONTEXT_URL, JSON_WEB_KEY_CONTEXT], id: did,
    verificationMethod: [
      {id: vmId, type: 'Multikey', controller: did, publicKeyMultibase: keyPair.publicKeyMultibase},
      {id: `${did}#jwk-1`, type: 'JsonWebKey', controller: did, publicKeyJwk: identity.publicJwk}
    ],
    assertionMethod: [vmId, `${did}#jwk-1`], authentication: [vmId, `${did}#jwk-1`]
  };
  return {...identity, did, vmId, didDocument, keyPair};
}

/** A document loader that knows the given identities' DID documents (and the pinned contexts). */
export function aDocumentLoader(identities: TestIdentity[]): DocumentLoader {
  const byDid = new Map(identities.map(identity => [identity.did, identity.didDocument]));
  return createDocumentLoader({publicBaseUrl: 'http://carecred.test',
    resolveDid: async did => byDid.get(did)});
}

/** An unsigned VC DM 2.0 Open Badges 3.0 credential from an issuer. */
export function aCredential(issuer: string, overrides: Record<string, unknown> = {}):
  Record<string, unknown> {
  return {
    '@context': [V2, OB3],
    id: 'urn:uuid:5f1a3e52-8f0e-4b8a-9d57-2f4c0c1b7a11',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: {id: issuer, type: ['Profile'], name: 'Claimed Issuer Name'},
    name: 'Wound care informatics',
    validFrom: '2024-01-01T00:00:00Z',
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [{type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: 'Sam Jansen'}],
      achievement: {
        id: 'https://carecred.test/units/wound-care', type: ['Achievement'],
        name: 'Wound care informatics', description: 'Digital wound documentation.',
        criteria: {narrative: 'Pass the assessment.'}
      }
    },
    ...overrides
  };
}

/** A VC DM 1.1 credential (the shape of most OB 3.0 credentials in circulation). */
export function aV1Credential(issuer: string, overrides: Record<string, unknown> = {}):
  Record<string, unknown> {
  const {validFrom: _validFrom, ...rest} = aCredential(issuer);
  return {...rest, '@context': [V1, OB3, ED25519_2020], issuanceDate: '2024-01-01T00:00:00Z', ...overrides};
}

/** Signs with a DataIntegrityProof (eddsa-rdfc-2022). */
export async function signDataIntegrity({credential, identity, documentLoader}: {
  credential: Record<string, unknown>; identity: TestIdentity; documentLoader: DocumentLoader;
}): Promise<Record<string, unknown>> {
  const suite = new DataIntegrityProof({signer: identity.keyPair.signer(), cryptosuite: eddsaRdfc2022});
  return jsigs.sign(structuredClone(credential), {
    suite, purpose: new vc.CredentialIssuancePurpose(), documentLoader
  });
}

/** Signs with an Ed25519Signature2020 proof. */
export async function signEd25519Signature2020({credential, identity, documentLoader}: {
  credential: Record<string, unknown>; identity: TestIdentity; documentLoader: DocumentLoader;
}): Promise<Record<string, unknown>> {
  const exported = await identity.keyPair.export({publicKey: true, secretKey: true});
  const key = await Ed25519VerificationKey2020.from({
    id: identity.vmId, controller: identity.did, type: 'Ed25519VerificationKey2020',
    publicKeyMultibase: exported.publicKeyMultibase, privateKeyMultibase: exported.secretKeyMultibase
  });
  const suite = new Ed25519Signature2020({key});
  return jsigs.sign(structuredClone(credential), {
    suite, purpose: new vc.CredentialIssuancePurpose(), documentLoader
  });
}

/** Signs a presentation (authentication proof with challenge and domain). */
export async function signPresentationDataIntegrity({presentation, identity, documentLoader,
  challenge, domain}: {
  presentation: Record<string, unknown>; identity: TestIdentity; documentLoader: DocumentLoader;
  challenge: string; domain?: string;
}): Promise<Record<string, unknown>> {
  const suite = new DataIntegrityProof({signer: identity.keyPair.signer(), cryptosuite: eddsaRdfc2022});
  return jsigs.sign(structuredClone(presentation), {
    suite, purpose: new jsigs.purposes.AuthenticationProofPurpose({challenge, domain}), documentLoader
  });
}

/**
 * Signs a compact JWS over a JSON payload.
 *
 * @param options.alg - `EdDSA` (the identity's Ed25519 key) or `ES256` (its P-256 key).
 * @param options.header - extra or overriding protected header members.
 */
export async function signJwt({payload, identity, alg = 'EdDSA', typ = 'vc+jwt', kid, header = {}}: {
  payload: Record<string, unknown>; identity: TestIdentity; alg?: string; typ?: string; kid?: string;
  header?: Record<string, unknown>;
}): Promise<string> {
  const key = await importJWK(identity.privateJwk, alg);
  return new SignJWT(payload)
    .setProtectedHeader({alg, typ, kid: kid ?? identity.vmId, ...header})
    .sign(key);
}

/** A `data:` URL enveloping a compact JWT credential. */
export function envelope(jwt: string, mediaType = 'application/vc+jwt'): Record<string, unknown> {
  return {'@context': [V2], id: `data:${mediaType},${jwt}`, type: 'EnvelopedVerifiableCredential'};
}
