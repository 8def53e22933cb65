/**
 * The pino root logger. Secrets and personal data are redacted by path here, once, so that no
 * module has to remember it; modules log through `logger.child({module})`.
 */
import {type DestinationStream, type Logger,pino} from 'pino';

export type {Logger} from 'pino';

/** Paths that never reach a log line (keys, tokens, learner personal data). */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.apiKey',
  '*.adminToken',
  '*.token',
  '*.privateKey',
  '*.secretKey',
  '*.privateKeyMultibase',
  '*.keyEncryptionKey',
  '*.email',
  '*.givenName',
  '*.familyName',
  '*.birthDate'
];

/**
 * Creates the root logger.
 *
 * @param options.level - pino level name (LOG_LEVEL).
 * @param options.destination - where lines go; stdout when omitted (tests pass a capture stream).
 * @returns the logger.
 */
export function createLogger({level, destination}: {
  level: string; destination?: DestinationStream;
}): Logger {
  return pino({
    level,
    base: {service: 'carecred'},
    redact: {paths: REDACTED_PATHS, censor: '[redacted]'},
    timestamp: pino.stdTimeFunctions.isoTime
  }, destination);
}
