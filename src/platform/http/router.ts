/**
 * Mounts the contract: every operation of the OpenAPI document becomes an express route with,
 * in order, authentication (from the operation's `security`), body parsing (from its
 * `requestBody` media types and `x-body-limit`), request validation (ajv, from the same
 * document) and the module's handler for that `operationId`. A path that exists with another
 * method answers 405 with `Allow`. The app refuses to start when an operation has no handler or a
 * handler has no operation, so the contract and the code cannot drift apart.
 *
 * The security of an operation also decides its HTTP policy: public operations (`security: []`)
 * get the CORS middleware on their answers and on the preflight of their path, so browsers of
 * any origin can use them; authenticated ones get no CORS at all (a browser of another origin
 * can neither preflight nor read them) and `Cache-Control: no-store` (answers may hold secrets,
 * such as a new API key).
 */
import express, {type NextFunction, type Request, type RequestHandler, type Response,
  Router} from 'express';

import {MethodNotAllowed, UnsupportedMediaType, ValidationFailed} from '../errors.js';
import {type Contract, type Operation, toFieldErrors} from './contract.js';

/** Checks a request against a security scheme of the contract and records the principal. */
export type Authenticator = (req: Request, scopes: string[]) => Promise<void>;

/** Options of `mountContract`. */
export interface MountOptions {
  contract: Contract;
  handlers: Record<string, RequestHandler>;
  /** One per security scheme name of the contract (`apiKey`, `adminToken`). */
  authenticators: Record<string, Authenticator>;
  /** Default body limit in bytes (`x-body-limit` overrides it per operation). */
  bodyLimitBytes: number;
  /** Middleware run before public operations (the rate limiter), unless `x-rate-limit: none`. */
  publicMiddleware?: RequestHandler[];
  /** CORS of the public operations: run on their answers and on their paths' preflight. */
  publicCors?: RequestHandler;
}

const JSON_MEDIA = /^application\/(.+\+)?json$/;
const FORM_MEDIA = 'application/x-www-form-urlencoded';

/** `/v1/units/{id}` → `/v1/units/:id`. */
function toExpressPath(path: string): string {
  return path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}

/** Literal segments before parameters, so `/x/new` is tried before `/x/{id}`. */
function routeOrder(a: string, b: string): number {
  const rank = (path: string) => path.split('/').map(s => s.startsWith('{') ? '1' : '0').join('');
  return rank(a).localeCompare(rank(b)) || a.localeCompare(b);
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined ||
    Number(req.headers['content-length'] ?? 0) > 0;
}

/** Picks the parser for the request's media type, after checking it is one the operation takes. */
function bodyParser(operation: Operation, defaultLimit: number): RequestHandler | undefined {
  const requestBody = operation.object.requestBody;
  if(!requestBody) {
    return undefined;
  }
  const mediaTypes = Object.keys(requestBody.content);
  const limit = operation.object['x-body-limit'] ?? defaultLimit;
  const json = express.json({limit, strict: false, type: () => true});
  const text = express.text({limit, type: () => true});
  // Flat string fields (no nested objects from `a[b]=c`): what an HTML form sends.
  const form = express.urlencoded({limit, extended: false, type: () => true});
  return (req, res, next) => {
    if(!hasBody(req)) {
      return next();
    }
    const matched = req.is(mediaTypes);
    if(!matched) {
      return next(new UnsupportedMediaType(req.headers['content-type'], mediaTypes));
    }
    res.locals.mediaType = mediaTypes.find(type => req.is(type)) ?? matched;
    if(operation.object['x-stream-body']) {
      return next();
    }
    const mediaType = String(res.locals.mediaType);
    const parse = JSON_MEDIA.test(mediaType) ? json : mediaType === FORM_MEDIA ? form : text;
    return parse(req, res, next);
  };
}

/** Validates parameters (coercing them) and the parsed body against the contract. */
function requestValidator(operation: Operation, contract: Contract): RequestHandler {
  const validateParameters = contract.parameterValidator(operation.id);
  const requestBody = operation.object.requestBody;
  return (req, res, next) => {
    const parameters = {path: {...req.params}, query: {...req.query}, header: {...req.headers}};
    if(!validateParameters(parameters)) {
      return next(new ValidationFailed(toFieldErrors(validateParameters.errors)));
    }
    req.params = parameters.path as Request['params'];
    Object.defineProperty(req, 'query', {value: parameters.query, writable: true});
    if(!requestBody || operation.object['x-stream-body']) {
      return next();
    }
    const mediaType = res.locals.mediaType as string | undefined;
    if(!mediaType) {
      return requestBody.required ?
        next(new ValidationFailed([{pointer: '/body', message: 'a request body is required'}])) :
        next();
    }
    const validateBody = contract.bodyValidator(operation.id, mediaType);
    if(validateBody && !validateBody(req.body)) {
      return next(new ValidationFailed(toFieldErrors(validateBody.errors, '/body')));
    }
    return next();
  };
}

const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

function authentication(operation: Operation, authenticators: MountOptions['authenticators']):
  RequestHandler[] {
  if(operation.security.length === 0) {
    return [];
  }
  // The contract uses one requirement per operation; several would mean "any of".
  const [requirement] = operation.security;
  const [[scheme, scopes] = []] = Object.entries(requirement ?? {});
  const authenticate = scheme ? authenticators[scheme] : undefined;
  if(!scheme || !authenticate) {
    throw new Error(`contract: no authenticator for ${operation.id} (${scheme})`);
  }
  return [noStore, (req: Request, _res: Response, next: NextFunction) => {
    authenticate(req, scopes ?? []).then(() => next(), next);
  }];
}

/** OPTIONS of a path: `Allow`, and the CORS preflight answer when the path has a public operation. */
function optionsHandlers(operations: Operation[], publicCors: RequestHandler | undefined): RequestHandler[] {
  const allowed = operations.map(op => op.method.toUpperCase());
  if(allowed.includes('GET')) {
    allowed.push('HEAD');
  }
  const hasPublic = operations.some(op => op.security.length === 0);
  return [
    (_req, res, next) => {
      res.set('Allow', [...allowed, 'OPTIONS'].join(', '));
      next();
    },
    ...(hasPublic && publicCors ? [publicCors] : []),
    (_req, res) => {
      res.status(204).end();
    }
  ];
}

/**
 * Builds the router for every operation of the contract.
 *
 * @returns an express router.
 * @throws Error when handlers and operations do not match one to one.
 */
export function mountContract(
  {contract, handlers, authenticators, bodyLimitBytes, publicMiddleware = [], publicCors}: MountOptions
): Router {
  const missing = [...contract.operations.keys()].filter(id => !handlers[id]);
  const unknown = Object.keys(handlers).filter(id => !contract.operations.has(id));
  if(missing.length > 0 || unknown.length > 0) {
    throw new Error(`contract and handlers differ: no handler for [${missing.join(', ')}], ` +
      `no operation for [${unknown.join(', ')}]`);
  }
  const router = Router();
  const byPath = new Map<string, Operation[]>();
  for(const operation of contract.operations.values()) {
    byPath.set(operation.path, [...byPath.get(operation.path) ?? [], operation]);
  }
  for(const path of [...byPath.keys()].sort(routeOrder)) {
    const operations = byPath.get(path)!;
    const expressPath = toExpressPath(path);
    for(const operation of operations) {
      const isPublic = operation.security.length === 0;
      const rateLimited = isPublic && operation.object['x-rate-limit'] !== 'none';
      const chain = [
        ...(isPublic && publicCors ? [publicCors] : []),
        ...(rateLimited ? publicMiddleware : []),
        ...authentication(operation, authenticators),
        bodyParser(operation, bodyLimitBytes),
        requestValidator(operation, contract),
        handlers[operation.id]!
      ].filter((handler): handler is RequestHandler => handler !== undefined);
      router[operation.method](expressPath, ...chain);
    }
    const allowed = operations.map(op => op.method.toUpperCase());
    if(allowed.includes('GET')) {
      allowed.push('HEAD');
    }
    router.options(expressPath, ...optionsHandlers(operations, publicCors));
    router.all(expressPath, (req, _res, next) => next(new MethodNotAllowed(req.method, allowed)));
  }
  return router;
}
