/**
 * The typed errors of carecred. Every error that may reach a client is an `AppError` with a
 * stable kebab-case `code` (the problem `type` is derived from it), an HTTP status and a safe
 * `detail`. Anything else that is thrown is treated as a bug: logged in full, answered as a
 * generic 500 (see `http/problem.ts`).
 */

/** One failing field of a request: where (JSON pointer) and why. */
export interface FieldError {
  pointer: string;
  message: string;
}

/** Options of an `AppError`. */
export interface AppErrorOptions {
  /** Safe, human explanation of this occurrence. */
  detail?: string;
  /** The underlying error (logged, never sent). */
  cause?: unknown;
  /** Extra members of the problem document (allow-listed by the caller). */
  extensions?: Record<string, unknown>;
  /** Response headers to add (e.g. Retry-After, Allow). */
  headers?: Record<string, string>;
}

/** Base class of every error that carries an HTTP meaning. */
export class AppError extends Error {
  readonly detail: string;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: string,
    readonly status: number,
    readonly title: string,
    {detail, cause, extensions = {}, headers = {}}: AppErrorOptions = {}
  ) {
    super(detail ?? title, {cause});
    this.name = 'AppError';
    this.detail = detail ?? title;
    this.extensions = extensions;
    this.headers = headers;
  }
}

/** 400: the request does not match the contract. */
export class ValidationFailed extends AppError {
  constructor(errors: FieldError[], detail = 'The request does not match the API contract.') {
    super('validation-failed', 400, 'Request validation failed', {detail, extensions: {errors}});
  }
}

/** 400: the body could not be parsed (malformed JSON, bad CSV encoding, ...). */
export class MalformedBody extends AppError {
  constructor(detail: string, cause?: unknown) {
    super('malformed-body', 400, 'Malformed request body', {detail, cause});
  }
}

/** 401: no or an unknown credential. */
export class Unauthenticated extends AppError {
  constructor(detail = 'A valid API key is required: Authorization: Bearer <key>.') {
    super('unauthenticated', 401, 'Authentication required',
      {detail, headers: {'WWW-Authenticate': 'Bearer realm="carecred"'}});
  }
}

/** 403: authenticated, but the key lacks a scope. */
export class Forbidden extends AppError {
  constructor(detail: string) {
    super('forbidden', 403, 'Not allowed', {detail});
  }
}

/** 404: no such resource (also for another organisation's resource, so it cannot be probed). */
export class NotFound extends AppError {
  constructor(what: string, id?: string) {
    super('not-found', 404, 'Not found',
      {detail: id === undefined ? `${what} not found.` : `${what} '${id}' not found.`});
  }
}

/** 405: the path exists, the method does not. */
export class MethodNotAllowed extends AppError {
  constructor(method: string, allowed: string[]) {
    super('method-not-allowed', 405, 'Method not allowed', {
      detail: `${method} is not allowed here; allowed: ${allowed.join(', ')}.`,
      headers: {Allow: allowed.join(', ')}
    });
  }
}

/** 409: the request conflicts with the current state (duplicate, wrong lifecycle transition). */
export class Conflict extends AppError {
  constructor(detail: string, code = 'conflict') {
    super(code, 409, 'Conflict', {detail});
  }
}

/** 413: body larger than the route accepts. */
export class PayloadTooLarge extends AppError {
  constructor(limit: number) {
    super('payload-too-large', 413, 'Payload too large',
      {detail: `The request body exceeds the limit of ${limit} bytes.`});
  }
}

/** 415: a content type the operation does not accept. */
export class UnsupportedMediaType extends AppError {
  constructor(got: string | undefined, accepted: string[]) {
    super('unsupported-media-type', 415, 'Unsupported media type', {
      detail: `Content-Type ${got ?? '(none)'} is not accepted; use ${accepted.join(' or ')}.`,
      headers: {'Accept-Post': accepted.join(', ')}
    });
  }
}

/** 422: well-formed, but semantically unusable (e.g. idempotency key reused with another body). */
export class Unprocessable extends AppError {
  constructor(detail: string, code = 'unprocessable', extensions: Record<string, unknown> = {}) {
    super(code, 422, 'Unprocessable request', {detail, extensions});
  }
}

/** 429: rate limit hit. */
export class RateLimited extends AppError {
  constructor(retryAfterSeconds: number) {
    super('rate-limited', 429, 'Too many requests', {
      detail: `Rate limit reached; retry in ${retryAfterSeconds} s.`,
      headers: {'Retry-After': String(retryAfterSeconds)}
    });
  }
}

/** 503: the database (or another dependency) does not answer; nothing was changed. */
export class ServiceUnavailable extends AppError {
  constructor(detail = 'The database is unavailable; nothing was changed. Retry shortly.',
    cause?: unknown) {
    super('service-unavailable', 503, 'Service unavailable',
      {detail, cause, headers: {'Retry-After': '5'}});
  }
}
