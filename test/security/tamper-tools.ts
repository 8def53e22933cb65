/**
 * Tools of the tamper suite: systematic mutations of a JSON document (every leaf changed, every
 * member or element removed, a member added to every object), compact JWS surgery (payload,
 * header and signature replaced, bits flipped) and signing with a stored issuer key, the way an
 * attacker holding that key would.
 */
import {createHmac, createPrivateKey, sign} from 'node:crypto';

import {decryptSecret, type EncryptedSecret} from '../../src/keys/encryption.js';

type Json = Record<string, unknown>;
/** A JSON pointer as segments. */
export type Path = (string | number)[];

/** One generated change of a document. */
export interface GeneratedChange {
  operation: 'change' | 'remove' | 'add';
  path: Path;
  document: Json;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const DIGITS = /^\d+$/;
const URL_LIKE = /^(https?:|urn:|did:)/;

/** `/a/0/b` for a path. */
export function pointer(path: Path): string {
  return `/${path.map(segment => String(segment).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/**
 * Another value of the same kind, still well-formed, so that only the signature can tell:
 * date-times move a second, digit strings count up (a status index points elsewhere), URLs,
 * URNs and DIDs get a character more, other strings a suffix, numbers +1, booleans flip.
 */
export function changedValue(value: unknown): unknown {
  if(typeof value === 'string') {
    if(DATE_TIME.test(value)) {
      return new Date(Date.parse(value) + 1000).toISOString().replace('.000Z', 'Z');
    }
    if(DIGITS.test(value)) {
      return String(Number(value) + 1);
    }
    return URL_LIKE.test(value) ? `${value}x` : `${value} (tampered)`;
  }
  if(typeof value === 'number') {
    return value + 1;
  }
  if(typeof value === 'boolean') {
    return !value;
  }
  return 'tampered';
}

type Apply = (parent: Json | unknown[], key: string | number) => void;

function edit(document: Json, path: Path, apply: Apply): Json {
  const copy = structuredClone(document);
  let parent: unknown = copy;
  for(const segment of path.slice(0, -1)) {
    parent = (parent as Json)[segment as string];
  }
  apply(parent as Json | unknown[], path.at(-1)!);
  return copy;
}

function walk(value: unknown, path: Path, visit: (value: unknown, path: Path) => void): void {
  visit(value, path);
  if(Array.isArray(value)) {
    value.forEach((item, index) => walk(item, [...path, index], visit));
  } else if(typeof value === 'object' && value !== null) {
    for(const [key, item] of Object.entries(value)) {
      walk(item, [...path, key], visit);
    }
  }
}

/**
 * Every systematic mutation of a document: each leaf changed, each member and array element
 * removed, a member added to each object.
 *
 * @param options.skip - paths (prefixes) left alone, e.g. `@context` (mutated by its own class).
 */
export function systematicChanges(document: Json, {skip = []}: {skip?: Path[]} = {}): GeneratedChange[] {
  const skipped = (path: Path) =>
    skip.some(prefix => prefix.every((segment, index) => path[index] === segment));
  const changes: GeneratedChange[] = [];
  walk(document, [], (value, path) => {
    if(path.length === 0 || skipped(path)) {
      return;
    }
    if(typeof value !== 'object' || value === null) {
      changes.push({operation: 'change', path, document: edit(document, path, (parent, key) => {
        (parent as Json)[key as string] = changedValue(value);
      })});
    }
    changes.push({operation: 'remove', path, document: edit(document, path, (parent, key) => {
      if(Array.isArray(parent)) {
        parent.splice(key as number, 1);
      } else {
        delete parent[key as string];
      }
    })});
  });
  walk(document, [], (value, path) => {
    if(typeof value === 'object' && value !== null && !Array.isArray(value) && !skipped(path)) {
      changes.push({operation: 'add', path: [...path, 'tamperedBy'], document: edit(document, [...path, 'tamperedBy'],
        (parent, key) => {
          (parent as Json)[key as string] = 'an attacker';
        })});
    }
  });
  return changes;
}

/** The parts of a compact JWS. */
export function splitJws(jws: string):
  {header: Json; payload: Json; signature: string; signingInput: string} {
  const [header, payload, signature] = jws.split('.') as [string, string, string];
  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Json;
  return {header: decode(header), payload: decode(payload), signature, signingInput: `${header}.${payload}`};
}

/** A compact JWS from parts (the signature is kept as given, so it no longer fits). */
export function joinJws({header, payload, signature}: {header: Json | string; payload: Json | string;
  signature: string;}): string {
  const encode = (part: Json | string) => typeof part === 'string' ? part :
    Buffer.from(JSON.stringify(part)).toString('base64url');
  return `${encode(header)}.${encode(payload)}.${signature}`;
}

/** Flips one bit of base64url-encoded bytes. */
export function flipBitBase64url(encoded: string, bit = 17): string {
  const bytes = Buffer.from(encoded, 'base64url');
  bytes[bit >> 3]! ^= 1 << (bit & 7);
  return bytes.toString('base64url');
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58Decode(text: string): Buffer {
  let value = 0n;
  for(const char of text) {
    value = value * 58n + BigInt(BASE58.indexOf(char));
  }
  const hex = value.toString(16);
  const body = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  const zeros = text.length - text.replace(/^1+/, '').length;
  return Buffer.concat([Buffer.alloc(zeros), body]);
}

function base58Encode(bytes: Buffer): string {
  let value = BigInt(`0x${bytes.toString('hex') || '0'}`);
  let text = '';
  while(value > 0n) {
    text = BASE58[Number(value % 58n)] + text;
    value /= 58n;
  }
  const zeros = bytes.length - bytes.toString('hex').replace(/^(00)+/, '').length / 2;
  return '1'.repeat(zeros) + text;
}

/** Flips one bit of a multibase base58btc (`z…`) value such as a Data Integrity `proofValue`. */
export function flipBitMultibase(value: string, bit = 17): string {
  const bytes = base58Decode(value.slice(1));
  bytes[bit >> 3]! ^= 1 << (bit & 7);
  return `z${base58Encode(bytes)}`;
}

/** An issuer key as an attacker who stole it (and the key-encryption key) would hold it. */
export interface StolenKey {
  jwkKid: string;
  multikeyId: string;
  sign(data: Buffer): Buffer;
}

/**
 * Decrypts a stored issuer key with the key-encryption key (what a full compromise gives).
 *
 * @param options.record - the key document (`encryptedSeed`, `publicKeyJwk`, ids).
 */
export function stealKey({record, keyEncryptionKey}: {
  record: {encryptedSeed: EncryptedSecret; publicKeyJwk: {x: string}; multikeyId: string; jwkId: string};
  keyEncryptionKey: Uint8Array;
}): StolenKey {
  const seed = decryptSecret({kek: keyEncryptionKey, encrypted: record.encryptedSeed,
    associatedData: record.multikeyId});
  const key = createPrivateKey({format: 'jwk', key: {kty: 'OKP', crv: 'Ed25519',
    x: record.publicKeyJwk.x, d: seed.toString('base64url')}});
  return {jwkKid: record.jwkId, multikeyId: record.multikeyId, sign: data => sign(null, data, key)};
}

/** A compact JWS signed with a stolen key, with any header. */
export function signJwsWith({key, header, payload}: {key: StolenKey; header: Json; payload: Json}): string {
  const signingInput = joinJws({header, payload, signature: ''}).slice(0, -1);
  return `${signingInput}.${key.sign(Buffer.from(signingInput, 'ascii')).toString('base64url')}`;
}

/** A compact JWS "signed" with HMAC-SHA256 under a public value (the algorithm-confusion attack). */
export function signHs256({header, payload, secret}: {
  header: Json; payload: Json; secret: Buffer | string;
}): string {
  const signingInput = joinJws({header: {...header, alg: 'HS256'}, payload, signature: ''}).slice(0, -1);
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}
