/** The secrets a carecred process starts with (see `resolveSecrets`). */
import {randomBytes} from 'node:crypto';

import {decodeKeyEncryptionKey} from './keys/index.js';
import {type Config, ConfigError} from './platform/config.js';
import type {Logger} from './platform/logger.js';
import {readOrCreateSecretFile} from './platform/secret-files.js';
import {randomSecret} from './platform/secrets.js';

/**
 * ADMIN_TOKEN and KEY_ENCRYPTION_KEY: from the environment, or generated into DATA_DIR (mode
 * 0600) in embedded mode. Shared by the server and `npm run seed`, so both encrypt issuer keys
 * with the same key-encryption key.
 *
 * @returns the admin token (if any) and the decoded key-encryption key.
 * @throws {ConfigError} when MONGODB_URI is set without KEY_ENCRYPTION_KEY.
 */
export function resolveSecrets(config: Config, logger: Logger): {adminToken?: string; kek: Uint8Array} {
  const embedded = !config.mongodbUri;
  let {adminToken} = config;
  if(!adminToken && embedded) {
    const file = readOrCreateSecretFile({
      dataDir: config.dataDir, name: 'admin-token', generate: () => randomSecret('cca')
    });
    adminToken = file.value;
    logger.info({path: file.path, created: file.created},
      'ADMIN_TOKEN is not set: the admin token is in this file (mode 0600)');
  } else if(!adminToken) {
    logger.warn('ADMIN_TOKEN is not set: the /v1/admin routes refuse every request');
  }
  let kekValue = config.keyEncryptionKey;
  if(!kekValue && !embedded) {
    throw new ConfigError(['KEY_ENCRYPTION_KEY is required when MONGODB_URI is set']);
  }
  if(!kekValue) {
    const file = readOrCreateSecretFile({
      dataDir: config.dataDir, name: 'key-encryption-key',
      generate: () => randomBytes(32).toString('base64url')
    });
    kekValue = file.value;
    logger.warn({path: file.path, created: file.created},
      'KEY_ENCRYPTION_KEY is not set: issuer keys are encrypted with a generated key kept in ' +
      'this file; set KEY_ENCRYPTION_KEY (from a secret store) in production');
  }
  return {adminToken, kek: decodeKeyEncryptionKey(kekValue)};
}
