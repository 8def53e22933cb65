/**
 * Looks for secrets where they must never be: log lines, response bodies and the raw database.
 * A secret is searched in every encoding it could leak in — the Ed25519 seeds of the issuer keys
 * (decrypted here with the test's key-encryption key) as hex, base64 and base64url at every byte
 * alignment, base58, Multikey `secretKeyMultibase`, PKCS#8 and JWK `d`; API keys, the admin token
 * and the key-encryption key as written and encoded.
 */
import {createPrivateKey} from 'node:crypto';

import {decryptSecret, type EncryptedSecret} from '../../src/keys/encryption.js';
import type {TestApp} from './test-app.js';

/** A secret and the strings that would give it away. */
export interface Secret {
  what: string;
  needles: string[];
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const MULTICODEC_ED25519_PRIV = Buffer.from([0x80, 0x26]);
/** Member names that only private key material has. */
export const PRIVATE_KEY_MEMBERS = ['d', 'secretKeyMultibase', 'privateKeyMultibase', 'privateKeyJwk',
  'privateKeyPem', 'privateKey', 'secretKey'];

function base58(bytes: Buffer): string {
  let value = BigInt(`0x${bytes.toString('hex')}`);
  let text = '';
  while(value > 0n) {
    text = BASE58[Number(value % 58n)] + text;
    value /= 58n;
  }
  return text;
}

/** Inner base64/base64url runs of the bytes at each of the three alignments (36 characters each). */
function base64Runs(bytes: Buffer): string[] {
  return [0, 1, 2].flatMap(offset => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64').slice(4, 40);
    return [encoded, encoded.replace(/\+/g, '-').replace(/\//g, '_')];
  });
}

/** The needles of raw secret bytes (a seed, the key-encryption key). */
export function byteNeedles(bytes: Buffer): string[] {
  return [bytes.toString('hex'), bytes.toString('hex').toUpperCase(), ...base64Runs(bytes), base58(bytes)];
}

/** The needles of a text secret (an API key, the admin token): itself and its random part. */
export function textNeedles(secret: string): string[] {
  return [secret, secret.slice(secret.indexOf('_') + 1), Buffer.from(secret).toString('base64').slice(4, 40)];
}

/** The needles of an Ed25519 private key, from its seed and public key. */
export function seedSecret({what, seed, publicKey}: {what: string; seed: Buffer; publicKey: Buffer}): Secret {
  const pkcs8 = createPrivateKey({format: 'jwk', key: {kty: 'OKP', crv: 'Ed25519',
    x: publicKey.toString('base64url'), d: seed.toString('base64url')}}).export({format: 'der', type: 'pkcs8'});
  return {what, needles: [
    ...byteNeedles(seed),
    `z${base58(Buffer.concat([MULTICODEC_ED25519_PRIV, seed, publicKey]))}`,
    `z${base58(Buffer.concat([MULTICODEC_ED25519_PRIV, seed]))}`,
    Buffer.concat([seed, publicKey]).toString('base64url'),
    pkcs8.toString('base64').slice(20, 60)
  ]};
}

/**
 * The issuer keys' seeds, decrypted from the database with the app's key-encryption key.
 *
 * @returns one secret per stored key.
 */
export async function issuerKeySecrets(app: TestApp): Promise<Secret[]> {
  const records = await app.db.collection('keys').find().toArray();
  return records.map(record => seedSecret({
    what: `the seed of ${String(record.multikeyId)}`,
    seed: decryptSecret({kek: app.keyEncryptionKey, encrypted: record.encryptedSeed as EncryptedSecret,
      associatedData: record.multikeyId as string}),
    publicKey: Buffer.from((record.publicKeyJwk as {x: string}).x, 'base64url')
  }));
}

/** The key-encryption key and the admin token of a test app. */
export function platformSecrets(app: TestApp): Secret[] {
  return [
    {what: 'the key-encryption key', needles: byteNeedles(Buffer.from(app.keyEncryptionKey))},
    {what: 'the admin token', needles: textNeedles(app.config.adminToken!)}
  ];
}

/**
 * Where secrets occur in texts.
 *
 * @returns one line per secret found, naming the text and the secret.
 */
export function findSecrets(texts: {where: string; text: string}[], secrets: Secret[]): string[] {
  const found: string[] = [];
  for(const {where, text} of texts) {
    for(const secret of secrets) {
      if(secret.needles.some(needle => needle.length >= 16 && text.includes(needle))) {
        found.push(`${secret.what} in ${where}`);
      }
    }
  }
  return found;
}

function privateMembers(value: unknown, path: string, found: string[]): void {
  if(Array.isArray(value)) {
    value.forEach((item, index) => privateMembers(item, `${path}/${index}`, found));
  } else if(typeof value === 'object' && value !== null && !(value instanceof Date) &&
    !Buffer.isBuffer(value) && (value as {_bsontype?: string})._bsontype === undefined) {
    for(const [key, item] of Object.entries(value)) {
      // `d` is private only as a JWK member.
      if(PRIVATE_KEY_MEMBERS.includes(key) && (key !== 'd' || 'kty' in value)) {
        found.push(`${path}/${key}`);
      }
      privateMembers(item, `${path}/${key}`, found);
    }
  }
}

/**
 * Every document of the database as text, and the members that only private keys have.
 *
 * @returns the documents (for `findSecrets`) and the paths of private-key members.
 */
export async function rawDatabase(app: TestApp): Promise<{documents: {where: string; text: string}[];
  privateKeyMembers: string[];}> {
  const documents: {where: string; text: string}[] = [];
  const privateKeyMembers: string[] = [];
  for(const {name} of await app.db.db!.listCollections().toArray()) {
    for(const document of await app.db.collection(name).find().toArray()) {
      const where = `${name}/${String(document._id)}`;
      documents.push({where, text: JSON.stringify(document)});
      privateMembers(document, where, privateKeyMembers);
      // Credentials are stored as text: look into the JSON they hold too.
      for(const value of Object.values(document)) {
        if(typeof value === 'string' && value.startsWith('{')) {
          try {
            privateMembers(JSON.parse(value), `${where}(text)`, privateKeyMembers);
          } catch {
            // Not JSON: searched as text above.
          }
        }
      }
    }
  }
  return {documents, privateKeyMembers};
}

/**
 * What an app leaked so far: secrets in its log lines or its database, and private-key members
 * in the database.
 *
 * @param options.apiKeys - the API keys the test created (their secrets).
 * @returns one line per finding (empty when nothing leaked).
 */
export async function leakedSecrets(app: TestApp, {apiKeys}: {apiKeys: string[]}): Promise<string[]> {
  const secrets = [...await issuerKeySecrets(app), ...platformSecrets(app),
    ...apiKeys.map(key => ({what: 'an API key', needles: textNeedles(key)}))];
  const {documents, privateKeyMembers} = await rawDatabase(app);
  return [
    ...findSecrets(app.logLines.map((text, index) => ({where: `log line ${index}`, text})), secrets),
    ...findSecrets(documents, secrets),
    ...privateKeyMembers.map(member => `a private-key member at ${member}`)
  ];
}
