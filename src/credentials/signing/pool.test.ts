import {randomBytes} from 'node:crypto';

import {anOb3Credential} from '../../../test/fixtures/ob3-credential.js';
import {aTestIssuer} from '../../../test/fixtures/signing-key.js';
import {startSigningPool, workerModuleUrl} from './pool.js';

describe('startSigningPool', () => {
  test('when the pool is closed, then tasks already submitted finish and the worker threads are released', async () => {
    const issuer = await aTestIssuer();
    const pool = startSigningPool({workers: 2, keyEncryptionKey: issuer.keyEncryptionKey, contexts: [],
      canonicalization: 'fast', crossCheckEvery: 0});
    await pool.run({op: 'jwt', credential: anOb3Credential(), key: issuer.key});
    const running = pool.threads();
    const submitted = [1, 2, 3].map(serial =>
      pool.run({op: 'jwt', credential: anOb3Credential({serial}), key: issuer.key}));

    await pool.close();

    expect(running).toBe(2);
    expect(pool.threads()).toBe(0);
    expect((await Promise.all(submitted)).map(result => result.ok)).toEqual([true, true, true]);
  });

  test('when a worker lacks a context, then it answers with the missing URL instead of failing', async () => {
    const issuer = await aTestIssuer();
    const pool = startSigningPool({workers: 1, keyEncryptionKey: issuer.keyEncryptionKey, contexts: [],
      canonicalization: 'fast', crossCheckEvery: 0});

    const result = await pool.run({op: 'di', credential: anOb3Credential(), key: issuer.key,
      created: '2026-01-01T00:00:00Z'});
    await pool.close();

    expect(result).toEqual({ok: false, missingContext: 'https://www.w3.org/ns/credentials/v2'});
  });

  test('when a task carries a key the worker cannot decrypt, then the answer is a wire error', async () => {
    const issuer = await aTestIssuer();
    const pool = startSigningPool({workers: 1, keyEncryptionKey: randomBytes(32), contexts: [],
      canonicalization: 'fast', crossCheckEvery: 0});

    const result = await pool.run({op: 'jwt', credential: anOb3Credential(), key: issuer.key});
    await pool.close();

    expect(result).toEqual({ok: false, error: {code: 'signing-key-unusable',
      reason: 'it does not decrypt with the key-encryption key'}});
  });

  test.each([
    ['file:///app/src/credentials/signing/pool.ts', 'file:///app/src/credentials/signing/worker-bootstrap.mjs'],
    ['file:///app/dist/src/credentials/signing/pool.js', 'file:///app/dist/src/credentials/signing/worker.js']
  ])('when the pool module is %s, then the worker module is %s', (moduleUrl, expected) => {
    expect(workerModuleUrl(moduleUrl)).toBe(expected);
  });
});
