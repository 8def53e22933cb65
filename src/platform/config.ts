/**
 * Configuration from the environment, checked once at start.
 *
 * This is the only file that reads `process.env` (through `loadConfig`'s argument). Every key
 * has a description and, unless it is a secret, a default. A bad value stops the process with a
 * message that names every problem at once.
 */
import {Ajv} from 'ajv';

/** The validated, frozen service configuration. */
export interface Config {
  /** TCP port of the HTTP server. */
  readonly port: number;
  /** Address under which the service is reachable; used in DIDs, status list URLs, share links. */
  readonly publicBaseUrl: string;
  /** MongoDB connection string; unset = start the embedded FerretDB. */
  readonly mongodbUri: string | undefined;
  /** Database name inside the server. */
  readonly mongodbDatabase: string;
  /** Where the embedded database, generated secrets and job files live. */
  readonly dataDir: string;
  /** Bearer token for `/v1/admin/...`; generated into DATA_DIR in embedded mode when unset. */
  readonly adminToken: string | undefined;
  /** 32-byte key (base64 or hex) that encrypts issuer private keys at rest. */
  readonly keyEncryptionKey: string | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Path of the FerretDB binary for the embedded database. */
  readonly ferretdbBinary: string;
  /** How long a database operation may wait for a server before it fails with 503 (ms). */
  readonly dbTimeoutMs: number;
  /** Largest JSON body accepted (bytes). */
  readonly bodyLimitBytes: number;
  /** Largest bulk-import upload accepted (bytes). */
  readonly importLimitBytes: number;
  /** Requests per minute per client address on the public endpoints (0 = unlimited). */
  readonly publicRateLimitPerMinute: number;
  /** Signing worker threads; 0 = sign on the main thread. Default: one per core. */
  readonly signingWorkers: number;
  /** Load the demo organisations and units into an empty embedded database at first start. */
  readonly seedDemoData: boolean;
  /** How long a foreign did:web or status list fetch may take (ms). */
  readonly remoteFetchTimeoutMs: number;
  /** Allow fetching foreign documents from loopback/private addresses (tests and local demos only). */
  readonly allowPrivateNetworkFetch: boolean;
  /**
   * How long a request holds its Idempotency-Key (ms): after a crash of its process, a retry with
   * the key runs again after this. Must exceed the longest issuing request.
   */
  readonly idempotencyLeaseMs: number;
}

/** Values never echoed in an error message (a connection string may carry a password). */
const SECRET_KEYS = new Set(['ADMIN_TOKEN', 'KEY_ENCRYPTION_KEY', 'MONGODB_URI']);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const ENV_SCHEMA = {
  type: 'object',
  properties: {
    PORT: {type: 'integer', minimum: 0, maximum: 65535, default: 3000},
    PUBLIC_BASE_URL: {type: 'string', pattern: '^https?://[^/?#]+(/[^?#]*)?$'},
    MONGODB_URI: {type: 'string', pattern: '^mongodb(\\+srv)?://'},
    MONGODB_DATABASE: {type: 'string', pattern: '^[A-Za-z0-9_-]{1,63}$', default: 'carecred'},
    DATA_DIR: {type: 'string', minLength: 1, default: './data'},
    ADMIN_TOKEN: {type: 'string', minLength: 24},
    KEY_ENCRYPTION_KEY: {type: 'string', pattern: '^([A-Za-z0-9+/_-]{43}=?|[0-9a-fA-F]{64})$'},
    LOG_LEVEL: {enum: [...LOG_LEVELS], default: 'info'},
    FERRETDB_BIN: {type: 'string', minLength: 1, default: './.tools/bin/ferretdb'},
    DB_TIMEOUT_MS: {type: 'integer', minimum: 100, maximum: 120000, default: 3000},
    BODY_LIMIT_BYTES: {type: 'integer', minimum: 1024, default: 1048576},
    IMPORT_LIMIT_BYTES: {type: 'integer', minimum: 1024, default: 104857600},
    PUBLIC_RATE_LIMIT_PER_MINUTE: {type: 'integer', minimum: 0, default: 600},
    SIGNING_WORKERS: {type: 'integer', minimum: 0, maximum: 64},
    SEED_DEMO_DATA: {enum: ['true', 'false'], default: 'true'},
    REMOTE_FETCH_TIMEOUT_MS: {type: 'integer', minimum: 100, maximum: 60000, default: 5000},
    ALLOW_PRIVATE_NETWORK_FETCH: {enum: ['true', 'false'], default: 'false'},
    IDEMPOTENCY_LEASE_MS: {type: 'integer', minimum: 1000, maximum: 3600000, default: 60000}
  }
} as const;

/** Thrown when the environment does not describe a valid configuration. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const validateEnv = new Ajv({allErrors: true, coerceTypes: true, useDefaults: true})
  .compile(ENV_SCHEMA);

/**
 * Reads and checks the configuration.
 *
 * @param env - the environment, usually `process.env`.
 * @param defaultWorkers - signing workers when SIGNING_WORKERS is unset (server.ts: cores − 1, at least 1).
 * @returns the frozen configuration.
 * @throws {ConfigError} listing every bad value.
 */
export function loadConfig(env: Record<string, string | undefined>, defaultWorkers = 1): Config {
  const values: Record<string, unknown> = {};
  for(const key of Object.keys(ENV_SCHEMA.properties)) {
    const value = env[key];
    if(value !== undefined && value !== '') {
      values[key] = value;
    }
  }
  if(!validateEnv(values)) {
    throw new ConfigError((validateEnv.errors ?? []).map(error => {
      const key = error.instancePath.slice(1);
      const got = SECRET_KEYS.has(key) ? '(value hidden)' : `(got ${JSON.stringify(env[key])})`;
      return `${key || 'environment'}: ${error.message} ${got}`;
    }));
  }
  const port = values.PORT as number;
  const publicBaseUrl = ((values.PUBLIC_BASE_URL as string | undefined) ??
    `http://localhost:${port}`).replace(/\/+$/, '');
  return Object.freeze({
    port,
    publicBaseUrl,
    mongodbUri: values.MONGODB_URI as string | undefined,
    mongodbDatabase: values.MONGODB_DATABASE as string,
    dataDir: values.DATA_DIR as string,
    adminToken: values.ADMIN_TOKEN as string | undefined,
    keyEncryptionKey: values.KEY_ENCRYPTION_KEY as string | undefined,
    logLevel: values.LOG_LEVEL as Config['logLevel'],
    ferretdbBinary: values.FERRETDB_BIN as string,
    dbTimeoutMs: values.DB_TIMEOUT_MS as number,
    bodyLimitBytes: values.BODY_LIMIT_BYTES as number,
    importLimitBytes: values.IMPORT_LIMIT_BYTES as number,
    publicRateLimitPerMinute: values.PUBLIC_RATE_LIMIT_PER_MINUTE as number,
    signingWorkers: (values.SIGNING_WORKERS as number | undefined) ?? defaultWorkers,
    seedDemoData: values.SEED_DEMO_DATA === 'true',
    remoteFetchTimeoutMs: values.REMOTE_FETCH_TIMEOUT_MS as number,
    allowPrivateNetworkFetch: values.ALLOW_PRIVATE_NETWORK_FETCH === 'true',
    idempotencyLeaseMs: values.IDEMPOTENCY_LEASE_MS as number
  });
}
