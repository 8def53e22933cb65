import {ConfigError, loadConfig} from './config.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch(error) {
    if(error instanceof ConfigError) {
      return error;
    }
    throw error;
  }
  throw new Error('loadConfig accepted an invalid environment');
}

describe('loadConfig', () => {
  test('when nothing is set, then the documented defaults apply', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({port: 3000, publicBaseUrl: 'http://localhost:3000',
      dataDir: './data', logLevel: 'info', mongodbUri: undefined, signingWorkers: 1});
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('when IDEMPOTENCY_LEASE_MS is unset, then a key is held 60 s; below a second it is refused', () => {
    expect(loadConfig({}).idempotencyLeaseMs).toBe(60_000);
    expect(loadConfig({IDEMPOTENCY_LEASE_MS: '8000'}).idempotencyLeaseMs).toBe(8000);
    expect(configError({IDEMPOTENCY_LEASE_MS: '10'}).message).toContain('IDEMPOTENCY_LEASE_MS');
  });

  test('when PORT is set without PUBLIC_BASE_URL, then the base URL follows the port', () => {
    expect(loadConfig({PORT: '8080'}).publicBaseUrl).toBe('http://localhost:8080');
  });

  test('when PUBLIC_BASE_URL has a trailing slash, then it is removed', () => {
    expect(loadConfig({PUBLIC_BASE_URL: 'https://cc.example.org/'}).publicBaseUrl)
      .toBe('https://cc.example.org');
  });

  test('when several values are bad, then one error lists every one of them', () => {
    const error = configError({PORT: 'eighty', LOG_LEVEL: 'loud', MONGODB_URI: 'postgres://x',
      ADMIN_TOKEN: 'short'});

    const text = error.message;
    for(const key of ['PORT', 'LOG_LEVEL', 'MONGODB_URI', 'ADMIN_TOKEN']) {
      expect(text).toContain(key);
    }
  });

  test('when a secret is invalid, then its value is not echoed', () => {
    const error = configError({KEY_ENCRYPTION_KEY: 'not-a-key-but-a-secret', ADMIN_TOKEN: 'tiny',
      MONGODB_URI: 'mongo://user:pa55word@db'});

    expect(error.problems).toHaveLength(3);
    expect(error.message).not.toMatch(/not-a-key-but-a-secret|tiny|pa55word/);
  });
});
