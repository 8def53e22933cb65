/**
 * The app factory: configuration and connections in, an express app out. It never listens and
 * holds no global state, so tests build as many apps as they need (each on its own database).
 */
import cors from 'cors';
import express, {type Express, type RequestHandler} from 'express';
import {rateLimit} from 'express-rate-limit';
import helmet from 'helmet';
import {pinoHttp} from 'pino-http';

import {achievementHandlers, achievementModels, createAchievementService} from './achievements/index.js';
import {catalogHandlers, catalogModels, createCatalogService} from './catalog/index.js';
import {createCredentialService, credentialHandlers, credentialModels} from './credentials/index.js';
import {credentialProfileHandlers, validateAgainstProfileSchema} from './credentials/profiles/index.js';
import {createSigner} from './credentials/signing/index.js';
import {createImportService, importHandlers, importModels} from './imports/index.js';
import {createKeyService, keyHandlers, keyModels} from './keys/index.js';
import {createLearnerService, learnerHandlers, learnerModels} from './learners/index.js';
import {createAuthenticators, createOrgService, orgHandlers, orgModels} from './orgs/index.js';
import type {Config} from './platform/config.js';
import {type Connection, pingDatabase} from './platform/db.js';
import {RateLimited} from './platform/errors.js';
import {type Contract, loadContract} from './platform/http/contract.js';
import {notFoundHandler, problemHandler, sendProblem} from './platform/http/problem.js';
import {requestId} from './platform/http/request-id.js';
import {mountContract} from './platform/http/router.js';
import {createIdempotency} from './platform/idempotency.js';
import {idempotencyModels} from './platform/idempotency-model.js';
import {createDocumentLoader} from './platform/jsonld/document-loader.js';
import type {Logger} from './platform/logger.js';
import {platformHandlers} from './platform/routes.js';
import {SERVICE_VERSION} from './platform/version.js';
import {auditModels} from './status/audit-model.js';
import {createStatusAllocator, SERVICE_STATUS_RESERVE, statusModels} from './status/index.js';
import {statusHandlers} from './status/routes.js';
import {createStatusService, parseListRef} from './status/service.js';
import {transitionModels} from './status/transition-model.js';
import {createVerificationModule, verificationHandlers} from './verification/index.js';
import {createWebService, webHandlers} from './web/index.js';

/** What the app is built from. */
export interface AppDependencies {
  config: Config;
  db: Connection;
  logger: Logger;
  /** The 32-byte key-encryption key for issuer private keys. */
  keyEncryptionKey: Uint8Array;
  /** The loaded contract; loaded from src/generated when omitted. */
  contract?: Contract;
}

/** A built app with its services and the resources to release on shutdown. */
export interface CarecredApp {
  app: Express;
  services: ReturnType<typeof createServices>;
  /** Releases what the app holds (worker threads, timers); the caller closes the database. */
  close(): Promise<void>;
}

/** Wires the domain services together (the only place that knows all of them). */
function createServices({config, db, logger, keyEncryptionKey}: AppDependencies) {
  const {publicBaseUrl} = config;
  const keys = createKeyService({
    models: keyModels(db), kek: keyEncryptionKey, publicBaseUrl,
    setIssuerDid: options => orgs.setIssuerDid(options)
  });
  const orgs = createOrgService({models: orgModels(db), provisionIssuer: keys.provisionIssuer});
  const idempotency = createIdempotency({models: idempotencyModels(db), leaseMs: config.idempotencyLeaseMs});
  const learners = createLearnerService({models: learnerModels(db),
    eraseRelatedData: options => credentials.eraseDocumentsOf(options)});
  const catalog = createCatalogService({models: catalogModels(db), orgs, publicBaseUrl});
  const signer = createSigner({documentLoader: createDocumentLoader({publicBaseUrl}),
    workers: config.signingWorkers, keyEncryptionKey, logger});
  const credentials = createCredentialService({models: credentialModels(db), catalog, learners, orgs, keys,
    allocator: createStatusAllocator({models: statusModels(db), reserve: SERVICE_STATUS_RESERVE}), signer,
    publicBaseUrl});
  const achievements = createAchievementService({models: achievementModels(db), catalog, learners,
    credentials, publicBaseUrl});
  const imports = createImportService({models: importModels(db), achievements, idempotency, publicBaseUrl,
    limitBytes: config.importLimitBytes, logger, ping: () => pingDatabase(db)});
  const status = createStatusService({
    models: {...auditModels(db), ...statusModels(db), ...transitionModels(db), ...credentialModels(db)},
    publicBaseUrl,
    findOrganisationBySlug: slug => orgs.findOrganisationBySlug(slug),
    signStatusList: async ({orgId, credential}) => signer.signDataIntegrity({
      credential: credential as Record<string, unknown>,
      key: await keys.getActiveKey(orgId)})
  });
  const verification = createVerificationModule({
    config, keys, orgs,
    checkOwnStatus: async ({statusListCredential, statusListIndex}) => {
      const [orgSlug, listRef] = statusListCredential.slice(`${publicBaseUrl}/status/`.length).split('/');
      if(!orgSlug || !listRef || !parseListRef(listRef)) {
        return {status: 'unknown', reason: 'not a carecred status list URL'};
      }
      return {status: await status.checkOwnStatus({orgSlug, listRef, index: statusListIndex})};
    },
    checkOwnCredential: async ({credentialId, issuer}) => {
      const record = await credentials.findByCredentialUri(credentialId);
      const bits = record && await status.statusOfIssued(record, issuer);
      return bits && {revocation: {status: bits.revocation}, suspension: {status: bits.suspension}};
    },
    validateSchema: async ({credential, profile}) => {
      // `proof` is a set in the data model; OB 3.0's schema only accepts its array form.
      const proof = (credential as {proof?: unknown}).proof;
      const normalised = proof && !Array.isArray(proof) ? {...credential, proof: [proof]} : credential;
      const result = validateAgainstProfileSchema(profile, normalised);
      return {valid: result.valid, errors: result.errors.map(error => ({path: error.pointer,
        message: error.message}))};
    }
  });
  const web = createWebService({credentials, orgs, verification, publicBaseUrl});
  return {keys, orgs, idempotency, learners, catalog, signer, credentials, achievements, imports, status,
    verification, web};
}

/**
 * CORS of the public operations (the contract's `security: []`): any origin may read them, without
 * credentials; a preflight allows the headers they use (never `Authorization`). The router gives
 * organisation-scoped and operator routes no CORS at all.
 */
const PUBLIC_CORS = cors({
  origin: '*', credentials: false, maxAge: 600,
  allowedHeaders: ['Content-Type', 'Accept', 'Accept-Language', 'If-None-Match', 'X-Request-Id'],
  exposedHeaders: ['ETag', 'X-Request-Id', 'Retry-After', 'RateLimit', 'RateLimit-Policy']
});

function publicMiddleware(config: Config): RequestHandler[] {
  const middleware: RequestHandler[] = [];
  if(config.publicRateLimitPerMinute > 0) {
    middleware.push(rateLimit({
      windowMs: 60_000, limit: config.publicRateLimitPerMinute, standardHeaders: 'draft-7',
      legacyHeaders: false,
      handler: (req, res, _next, options) => sendProblem(req, res,
        new RateLimited(Math.ceil(options.windowMs / 1000)), config.publicBaseUrl)
    }));
  }
  return middleware;
}

/**
 * Builds the carecred app.
 *
 * @param dependencies - configuration, database connection, logger, key-encryption key.
 * @returns the app, its services and a close function.
 */
export async function buildApp(dependencies: AppDependencies): Promise<CarecredApp> {
  const {config, db, logger} = dependencies;
  const contract = dependencies.contract ?? loadContract();
  const services = createServices(dependencies);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(pinoHttp({
    logger, genReqId: requestId,
    // Errors are logged once, with their cause, by problem.ts; this is the access line.
    customLogLevel: () => 'info',
    customErrorMessage: (_req, res) => `request completed with ${res.statusCode}`,
    customAttributeKeys: {reqId: 'reqId', err: 'responseError'},
    serializers: {
      req: req => ({method: req.method, url: req.url, reqId: req.id}),
      res: res => ({statusCode: res.statusCode}),
      responseError: () => undefined
    }
  }));
  app.use(helmet({
    contentSecurityPolicy: {directives: {
      'default-src': ["'self'"], 'img-src': ["'self'", 'data:'],
      'style-src': ["'self'", "'unsafe-inline'"], 'script-src': ["'self'"]
    }},
    crossOriginResourcePolicy: {policy: 'cross-origin'}
  }));
  app.use(mountContract({
    contract,
    handlers: {
      ...platformHandlers({db, contract, version: SERVICE_VERSION}),
      ...orgHandlers(services),
      ...keyHandlers(services),
      ...learnerHandlers(services),
      ...catalogHandlers(services),
      ...achievementHandlers(services),
      ...importHandlers(services),
      ...credentialHandlers({...services, publicBaseUrl: config.publicBaseUrl,
        recordShareWithdrawal: ({orgId, credentialId, actor}) => services.status.recordAudit({orgId,
          action: 'share.withdrawn', actor, targetType: 'credential', targetId: credentialId})}),
      ...statusHandlers({...services, publicBaseUrl: config.publicBaseUrl}),
      ...credentialProfileHandlers({publicBaseUrl: config.publicBaseUrl}),
      ...verificationHandlers(services),
      ...webHandlers(services)
    },
    authenticators: createAuthenticators({orgs: services.orgs, adminToken: config.adminToken}),
    bodyLimitBytes: config.bodyLimitBytes,
    publicMiddleware: publicMiddleware(config),
    publicCors: PUBLIC_CORS
  }));
  app.use(notFoundHandler(config.publicBaseUrl));
  app.use(problemHandler(config.publicBaseUrl));
  const stopSweeper = services.idempotency.startSweeper();
  const stopImportChecks = services.imports.startPolling();
  return {app, services, close: async () => {
    stopSweeper();
    stopImportChecks();
    await services.imports.close();
    await services.signer.close();
  }};
}
