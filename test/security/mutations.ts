/**
 * The tamper suite's data table: one row per class of attack on a credential carecred issued,
 * the credential kinds it applies to, and the check that must fail (with its code where the
 * class has one specific cause). Each row expands into concrete mutations of the issued
 * credentials; the systematic row alone changes, removes or adds every field of each document.
 *
 * Expected check: the first failing check of the report in report order (`format` before
 * `signature`). A mutation that breaks a MUST of the data model fails `format`; every other
 * change of signed content fails `signature`.
 */
import type {CheckId} from '../../src/verification/types.js';
import {flipBitBase64url, flipBitMultibase, type GeneratedChange, joinJws, pointer,
  signHs256, signJwsWith, splitJws, type StolenKey, systematicChanges} from './tamper-tools.js';

type Json = Record<string, unknown>;

/** The issued credentials under attack. */
export type Kind = 'ob3-di' | 'ob3-jwt' | 'edc-jwt';
export const KINDS: Kind[] = ['ob3-di', 'ob3-jwt', 'edc-jwt'];

/** The credentials of one learner: ob3 Data Integrity, ob3 VC-JOSE, edc VC-JOSE. */
export type IssuedSet = Record<Kind, Json | string>;

/** What the mutations are built from. */
export interface TamperContext {
  /** Organisation A's credentials for two learners; organisation B's for one. */
  a: IssuedSet;
  a2: IssuedSet;
  b: IssuedSet;
  aDid: string;
  bDid: string;
  /** A's Ed25519 public key (JWK `x`) and its Multikey value, as its DID document publishes them. */
  aPublicJwk: {kty: string; crv: string; x: string};
  aPublicKeyMultibase: string;
  bPublicJwk: {kty: string; crv: string; x: string};
  /** A key of A made after the credentials were issued (A rotated): listed, but not the signer. */
  aRotatedKey: Pick<StolenKey, 'jwkKid' | 'multikeyId'>;
  /** B's key, stolen: an attacker can sign anything with it. */
  bKey: StolenKey;
  /** Signs with B's key as carecred's signer does (Data Integrity). */
  signDiWithB(credential: Json): Promise<Json>;
}

/** The check that must fail, and its code where one cause is certain. */
export interface Expectation {
  check: CheckId;
  code?: string;
}

/** One concrete tampered credential. */
export interface Mutation {
  label: string;
  /** The body of POST /v1/verify. */
  body: Json;
  expect: Expectation;
}

/** One class of attack. */
export interface MutationClass {
  name: string;
  kinds: Kind[];
  /** Expected failure for every mutation of the class (generated rows give their own). */
  expect?: Expectation;
  mutate(options: {context: TamperContext; kind: Kind}): Promise<Mutation[]> | Mutation[];
}

const SIGNATURE: Expectation = {check: 'signature'};
const SIGNATURE_INVALID: Expectation = {check: 'signature', code: 'signature-invalid'};
const FORMAT: Expectation = {check: 'format', code: 'data-model-violation'};
const JWT_KINDS: Kind[] = ['ob3-jwt', 'edc-jwt'];
const ALL_KINDS = KINDS;

/**
 * Systematic changes that break a MUST of the VC Data Model 2.0 (so `format` fails first), each
 * with the rule it breaks. Everything else a systematic change does fails `signature`.
 */
export const DATA_MODEL_BREAKS: {operation: GeneratedChange['operation']; path: RegExp; rule: string;
  when?: (document: Json) => boolean;}[] = [
  {operation: 'remove', path: /^\/type(\/0)?$/, rule: '§4.5 type MUST include VerifiableCredential'},
  {operation: 'change', path: /^\/type\/0$/, rule: '§4.5 type MUST include VerifiableCredential'},
  {operation: 'remove', path: /^\/issuer(\/id)?$/, rule: '§4.7 issuer is required and is a URL'},
  {operation: 'remove', path: /^\/credentialSubject$/, rule: '§4.8 credentialSubject is required'},
  {operation: 'remove', path: /^\/credentialStatus(\/\d+)?\/type$/, rule: '§4.10 a status entry MUST have a type'},
  {operation: 'remove', path: /^\/credentialSchema\/\d+\/(id|type)$/, rule: '§4.11 a schema entry MUST have id and type'},
  {operation: 'remove', path: /^\/credentialSchema\/\d+$/, rule: '§4.11 credentialSchema is one or more schemas',
    when: document => (document.credentialSchema as unknown[]).length === 0},
  {operation: 'remove', path: /^\/proof(\/0)?(\/(type|proofPurpose|verificationMethod|proofValue|cryptosuite))?$/,
    rule: 'VC DI §2.1 a proof MUST have type, proofPurpose, verificationMethod, proofValue (and cryptosuite)'}
];

/** The expected failure of one systematic change. */
export function expectationOf(change: GeneratedChange, document: Json): Expectation {
  const path = pointer(change.path);
  return DATA_MODEL_BREAKS.some(rule => rule.operation === change.operation && rule.path.test(path) &&
    (!rule.when || rule.when(document))) ? FORMAT : SIGNATURE;
}

function isJwt(kind: Kind): boolean {
  return kind !== 'ob3-di';
}

/** The body that submits a credential of a kind. */
export function bodyOf(kind: Kind, credential: Json | string): Json {
  return isJwt(kind) ? {jwt: credential} : {credential};
}

/** The credential document (the JWT payload for VC-JOSE). */
export function documentOf(kind: Kind, credential: Json | string): Json {
  return isJwt(kind) ? splitJws(credential as string).payload : credential as Json;
}

/** Replaces the document and keeps the securing: the JWS keeps header and signature. */
function withDocument(kind: Kind, credential: Json | string, document: Json): Json {
  if(!isJwt(kind)) {
    return bodyOf(kind, document);
  }
  const {header, signature} = splitJws(credential as string);
  return bodyOf(kind, joinJws({header, payload: document, signature}));
}

/** A mutation of the document's content, secured as before. */
function contentMutation(label: string, kind: Kind, credential: Json | string,
  change: (document: Json) => Json, expect: Expectation = SIGNATURE): Mutation {
  const document = structuredClone(documentOf(kind, credential));
  return {label, expect, body: withDocument(kind, credential, change(document))};
}

/** A mutation of a JWS header (the signature is kept). */
function headerMutation(label: string, jwt: string, header: (header: Json) => Json, expect: Expectation,
  signature?: string): Mutation {
  const parts = splitJws(jwt);
  return {label, expect, body: {jwt: joinJws({header: header(parts.header), payload: parts.payload,
    signature: signature ?? parts.signature})}};
}

function proofOf(document: Json): Json {
  const proof = document.proof;
  return (Array.isArray(proof) ? proof[0] : proof) as Json;
}

function setProof(document: Json, change: (proof: Json) => void): Json {
  change(proofOf(document));
  return document;
}

function profileContexts(kind: Kind, context: TamperContext): unknown {
  return documentOf(kind, context.a[kind]!)['@context'];
}

const MULTIBASE_ED25519_PREFIX = Buffer.from([0xed, 0x01]);

/** The table. */
export const MUTATION_CLASSES: MutationClass[] = [
  {
    name: 'every field changed, removed or added (systematic)', kinds: ALL_KINDS,
    mutate: ({context, kind}) => systematicChanges(documentOf(kind, context.a[kind]!), {skip: [['@context']]})
      .map(change => ({label: `${change.operation} ${pointer(change.path)}`, expect: expectationOf(change, change.document),
        body: withDocument(kind, context.a[kind]!, change.document)}))
  },
  {
    name: 'contexts swapped with the other profile\'s', kinds: ALL_KINDS, expect: SIGNATURE,
    mutate: ({context, kind}) => [contentMutation('@context of the other profile', kind, context.a[kind]!,
      document => ({...document, '@context': profileContexts(kind === 'edc-jwt' ? 'ob3-jwt' : 'edc-jwt', context)}))]
  },
  {
    name: 'contexts extended, redefined or cut', kinds: ALL_KINDS, expect: SIGNATURE,
    mutate: ({context, kind}) => {
      const contexts = profileContexts(kind, context) as unknown[];
      const variants: [string, unknown[]][] = [
        ['an unknown context appended', [...contexts, 'https://attacker.example/context.jsonld']],
        ['an inline context redefining "name" appended', [...contexts, {name: 'https://attacker.example/name'}]],
        ['a profile context removed', contexts.slice(0, -1)],
        ['the profile context replaced by an older version', [contexts[0], ...contexts.slice(1).map(url =>
          String(url).replace('context-3.0.3.json', 'context-3.0.2.json')
            .replace('http://data.europa.eu/snb/model/context/edc-ap', 'https://www.w3.org/2018/credentials/examples/v1'))]]
      ];
      return variants.map(([label, value]) => contentMutation(label, kind, context.a[kind]!,
        document => ({...document, '@context': value})));
    }
  },
  {
    name: 'base context replaced by VC 1.1\'s', kinds: ALL_KINDS, expect: FORMAT,
    mutate: ({context, kind}) => [contentMutation('@context[0] = VC 1.1', kind, context.a[kind]!, document =>
      ({...document, '@context': ['https://www.w3.org/2018/credentials/v1', ...(document['@context'] as unknown[]).slice(1)]}),
    FORMAT)]
  },
  {
    name: 'issuer replaced by another organisation\'s DID', kinds: ALL_KINDS,
    mutate: ({context, kind}) => {
      // VC-JOSE checks the kid against the issuer first; Data Integrity checks the signature first.
      const expect = isJwt(kind) ? {check: 'signature' as const, code: 'kid-not-signer'} : SIGNATURE_INVALID;
      return [contentMutation('issuer.id = B', kind, context.a[kind]!, document => {
        const issuer = document.issuer;
        return {...document, issuer: typeof issuer === 'object' ? {...issuer as Json, id: context.bDid} : context.bDid};
      }, expect)];
    }
  },
  {
    name: 'credential subject, id, status and validity taken from another credential', kinds: ALL_KINDS,
    expect: SIGNATURE_INVALID,
    mutate: ({context, kind}) => {
      const other = documentOf(kind, context.a2[kind]!);
      const b = documentOf(kind, context.b[kind]!);
      const tenYears = (date: unknown) => new Date(Date.parse(String(date ?? '2030-01-01T00:00:00Z')) +
        10 * 365 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
      return [
        ['credentialSubject of another learner', (d: Json) => ({...d, credentialSubject: other.credentialSubject})],
        ['id of another credential', (d: Json) => ({...d, id: other.id})],
        ['credentialStatus of another credential (another index)', (d: Json) => ({...d, credentialStatus: other.credentialStatus})],
        ['credentialStatus pointed to another organisation\'s list', (d: Json) => ({...d, credentialStatus: b.credentialStatus})],
        ['validUntil extended by ten years', (d: Json) => ({...d, validUntil: tenYears(d.validUntil)})],
        ['validUntil removed', (d: Json) => ({...d, validUntil: undefined})],
        ['validFrom moved a year back', (d: Json) => ({...d, validFrom: new Date(Date.parse(String(d.validFrom)) -
          365 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z')})]
      ].filter(([label]) => kind !== 'edc-jwt' || label !== 'credentialStatus pointed to another organisation\'s list' ||
        b.credentialStatus !== undefined)
        .map(([label, change]) => contentMutation(label as string, kind, context.a[kind]!,
          // A JSON round trip drops the members set to undefined (removed).
          document => JSON.parse(JSON.stringify((change as (d: Json) => Json)(document))) as Json,
          SIGNATURE_INVALID));
    }
  },
  {
    name: 'proof swapped between credentials', kinds: ['ob3-di'],
    mutate: ({context}) => [
      {label: 'proof of another credential of the same issuer', expect: SIGNATURE_INVALID,
        body: {credential: {...context.a['ob3-di'] as Json, proof: (context.a2['ob3-di'] as Json).proof}}},
      {label: 'proof of another organisation\'s credential', expect: SIGNATURE_INVALID,
        body: {credential: {...context.a['ob3-di'] as Json, proof: (context.b['ob3-di'] as Json).proof}}}
    ]
  },
  {
    name: 'proof value bit-flipped', kinds: ['ob3-di'], expect: SIGNATURE_INVALID,
    mutate: ({context}) => [0, 17, 255, 511].map(bit => contentMutation(`proofValue bit ${bit}`, 'ob3-di',
      context.a['ob3-di']!, document => setProof(document, proof => {
        proof.proofValue = flipBitMultibase(String(proof.proofValue), bit);
      }), SIGNATURE_INVALID))
  },
  {
    name: 'verification method swapped', kinds: ['ob3-di'],
    mutate: ({context}) => [
      contentMutation('verificationMethod = another organisation\'s key', 'ob3-di', context.a['ob3-di']!,
        document => setProof(document, proof => {
          proof.verificationMethod = context.bKey.multikeyId;
        }), SIGNATURE_INVALID),
      contentMutation('verificationMethod = the issuer\'s newer (rotated) key', 'ob3-di', context.a['ob3-di']!,
        document => setProof(document, proof => {
          proof.verificationMethod = context.aRotatedKey.multikeyId;
        }), SIGNATURE_INVALID),
      contentMutation('verificationMethod = a key the issuer does not have', 'ob3-di', context.a['ob3-di']!,
        document => setProof(document, proof => {
          proof.verificationMethod = `${context.aDid}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK`;
        }), {check: 'signature', code: 'key-not-found'})
    ]
  },
  {
    name: 'proof suite, purpose or creation changed', kinds: ['ob3-di'], expect: SIGNATURE,
    mutate: ({context}) => [
      ...['ecdsa-rdfc-2019', 'eddsa-jcs-2022', 'eddsa-2022', 'bbs-2023'].map(cryptosuite => contentMutation(
        `cryptosuite = ${cryptosuite}`, 'ob3-di', context.a['ob3-di']!, document => setProof(document, proof => {
          proof.cryptosuite = cryptosuite;
        }), {check: 'signature', code: 'proof-type-unsupported'})),
      contentMutation('type = Ed25519Signature2020', 'ob3-di', context.a['ob3-di']!, document =>
        setProof(document, proof => {
          proof.type = 'Ed25519Signature2020';
          delete proof.cryptosuite;
        })),
      contentMutation('proofPurpose = authentication', 'ob3-di', context.a['ob3-di']!, document =>
        setProof(document, proof => {
          proof.proofPurpose = 'authentication';
        })),
      contentMutation('created a year earlier', 'ob3-di', context.a['ob3-di']!, document =>
        setProof(document, proof => {
          proof.created = '2020-01-01T00:00:00Z';
        }), SIGNATURE_INVALID)
    ]
  },
  {
    name: 'forged with another organisation\'s stolen key', kinds: ALL_KINDS,
    mutate: async ({context, kind}) => {
      const document = documentOf(kind, context.a[kind]!);
      if(!isJwt(kind)) {
        const {proof: _proof, ...unsigned} = document;
        const altered = {...unsigned, name: 'Forged achievement'};
        const forged = await context.signDiWithB(unsigned);
        const second = await context.signDiWithB(altered);
        return [
          {label: 'content re-signed by B, issuer A kept', expect: {check: 'signature', code: 'key-not-issuer'},
            body: {credential: forged}},
          {label: 'content altered, B\'s proof added beside A\'s', expect: SIGNATURE,
            body: {credential: {...altered, proof: [proofOf(document), proofOf(second)]}}}
        ];
      }
      const header = splitJws(context.a[kind] as string).header;
      return [
        {label: 'signed by B with B\'s kid, issuer A kept', expect: {check: 'signature', code: 'kid-not-signer'},
          body: {jwt: signJwsWith({key: context.bKey, header: {...header, kid: context.bKey.jwkKid},
            payload: document})}},
        {label: 'signed by B with A\'s kid', expect: SIGNATURE_INVALID,
          body: {jwt: signJwsWith({key: context.bKey, header, payload: document})}},
        {label: 'signed by B with A\'s kid and B\'s key embedded as "jwk"', expect: SIGNATURE_INVALID,
          body: {jwt: signJwsWith({key: context.bKey, payload: document,
            header: {...header, jwk: context.bPublicJwk}})}}
      ];
    }
  },
  {
    name: '"alg: none" and algorithm confusion', kinds: JWT_KINDS,
    mutate: ({context, kind}) => {
      const jwt = context.a[kind] as string;
      const {header, payload} = splitJws(jwt);
      const rawKey = Buffer.from(context.aPublicJwk.x, 'base64url');
      const notAllowed = {check: 'signature' as const, code: 'alg-not-allowed'};
      return [
        ...['none', 'None', 'NONE', ''].map(alg => headerMutation(`alg "${alg}", no signature`, jwt,
          h => ({...h, alg}), notAllowed, '')),
        headerMutation('alg removed', jwt, ({alg: _alg, ...h}) => h, notAllowed),
        ...['RS256', 'PS256', 'HS512', 'Ed25519', 'eddsa'].map(alg => headerMutation(`alg ${alg}`, jwt,
          h => ({...h, alg}), notAllowed)),
        ...[['the raw public key', rawKey], ['the public JWK as JSON', JSON.stringify(context.aPublicJwk)],
          ['the JWK "x"', context.aPublicJwk.x], ['the Multikey value', context.aPublicKeyMultibase],
          ['the Multikey bytes', Buffer.concat([MULTIBASE_ED25519_PREFIX, rawKey])]]
          .map(([what, secret]) => ({label: `HS256 keyed with ${what as string}`, expect: notAllowed,
            body: {jwt: signHs256({header, payload, secret: secret as Buffer | string})}})),
        headerMutation('ES256 over the EdDSA signature', jwt, h => ({...h, alg: 'ES256'}),
          {check: 'signature', code: 'alg-key-mismatch'})
      ];
    }
  },
  {
    name: 'kid swapped or removed', kinds: JWT_KINDS,
    mutate: ({context, kind}) => {
      const jwt = context.a[kind] as string;
      return [
        headerMutation('kid = another organisation\'s key', jwt, h => ({...h, kid: context.bKey.jwkKid}),
          {check: 'signature', code: 'kid-not-signer'}),
        headerMutation('kid = the issuer\'s newer (rotated) key', jwt, h => ({...h, kid: context.aRotatedKey.jwkKid}),
          SIGNATURE_INVALID),
        headerMutation('kid = a method the DID document does not list', jwt, h => ({...h, kid: `${context.aDid}#jwk-other`}),
          {check: 'signature', code: 'key-not-found'}),
        headerMutation('kid = a did:key', jwt, h => ({...h,
          kid: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'}),
        {check: 'signature', code: 'kid-not-signer'}),
        headerMutation('kid removed', jwt, ({kid: _kid, ...h}) => h, {check: 'signature', code: 'kid-missing'})
      ];
    }
  },
  {
    name: 'JWS header members changed', kinds: JWT_KINDS,
    mutate: ({context, kind}) => {
      const jwt = context.a[kind] as string;
      return [
        headerMutation('typ = JWT', jwt, h => ({...h, typ: 'JWT'}), FORMAT),
        headerMutation('b64: false', jwt, h => ({...h, b64: false, crit: ['b64']}), FORMAT),
        headerMutation('crit with an unknown extension', jwt, h => ({...h, crit: ['urn:attacker'], 'urn:attacker': 1}),
          SIGNATURE_INVALID),
        headerMutation('cty added', jwt, h => ({...h, cty: 'vc'}), SIGNATURE_INVALID),
        headerMutation('x5u and jku added', jwt, h => ({...h, x5u: 'https://attacker.example/x5u',
          jku: 'https://attacker.example/jwks.json'}), SIGNATURE_INVALID)
      ];
    }
  },
  {
    name: 'JWS signature and payload swapped or damaged', kinds: JWT_KINDS, expect: SIGNATURE_INVALID,
    mutate: ({context, kind}) => {
      const jwt = splitJws(context.a[kind] as string);
      const other = splitJws(context.a2[kind] as string);
      const parts = (signature: string, payload: Json = jwt.payload) =>
        ({jwt: joinJws({header: jwt.header, payload, signature})});
      return [
        ...[0, 17, 255, 511].map(bit => ({label: `signature bit ${bit}`, expect: SIGNATURE_INVALID,
          body: parts(flipBitBase64url(jwt.signature, bit))})),
        {label: 'signature empty', expect: SIGNATURE_INVALID, body: parts('')},
        {label: 'signature truncated', expect: SIGNATURE_INVALID, body: parts(jwt.signature.slice(0, 43))},
        {label: 'signature of another credential', expect: SIGNATURE_INVALID, body: parts(other.signature)},
        {label: 'payload of another credential', expect: SIGNATURE_INVALID, body: parts(jwt.signature, other.payload)},
        {label: 'enveloped in a data: URL with another payload', expect: SIGNATURE_INVALID, body: {credential: {
          '@context': ['https://www.w3.org/ns/credentials/v2'], type: 'EnvelopedVerifiableCredential',
          id: `data:application/vc+jwt,${joinJws({header: jwt.header, payload: other.payload, signature: jwt.signature})}`}}}
      ];
    }
  },
  {
    name: 'JWT claims added', kinds: JWT_KINDS,
    mutate: ({context, kind}) => {
      const credential = context.a[kind]!;
      return [
        contentMutation('iss = another organisation', kind, credential, d => ({...d, iss: context.bDid}), FORMAT),
        contentMutation('exp as a string', kind, credential, d => ({...d, exp: '4102444800'}), FORMAT),
        contentMutation('VC 1.1 "vc" claim', kind, credential, d => ({vc: d, iss: (d.issuer as Json).id ?? d.issuer}), FORMAT),
        contentMutation('exp far in the future', kind, credential, d => ({...d, exp: 4102444800}), SIGNATURE_INVALID),
        contentMutation('nbf in the past', kind, credential, d => ({...d, nbf: 946684800}), SIGNATURE_INVALID)
      ];
    }
  }
];
