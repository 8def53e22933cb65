/**
 * The one place that writes an error response: RFC 9457 `application/problem+json`.
 *
 * An `AppError` becomes a problem with `type` = `<base>/problems/<code>`; body-parser and
 * database-availability errors are classified here because they can surface from any route;
 * anything else is a bug and becomes a generic 500 that is logged in full (with the request id)
 * but shows nothing internal. Output members are allow-listed.
 */
import type {ErrorRequestHandler, Request, RequestHandler, Response} from 'express';

import {isDatabaseUnavailable} from '../db.js';
import {
  AppError, MalformedBody, NotFound, PayloadTooLarge, ServiceUnavailable, UnsupportedMediaType
} from '../errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The JSON body of a problem response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId?: string;
  [extension: string]: unknown;
}

/** Maps what body-parser and the database driver throw to typed errors; others pass through. */
function classify(error: unknown): unknown {
  if(error instanceof AppError) {
    return error;
  }
  const bodyError = error as {type?: string; limit?: number; status?: number; charset?: string};
  switch(bodyError?.type) {
    case 'entity.parse.failed':
      return new MalformedBody('The body is not valid JSON.', error);
    case 'entity.too.large':
      return new PayloadTooLarge(bodyError.limit ?? 0);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaType(`charset ${bodyError.charset ?? '?'}`, ['utf-8']);
    case 'request.aborted':
      return new MalformedBody('The request was aborted by the client.', error);
  }
  if(isDatabaseUnavailable(error)) {
    return new ServiceUnavailable(undefined, error);
  }
  return error;
}

/**
 * Builds the problem document for an error.
 *
 * @param options.error - what was thrown.
 * @param options.baseUrl - the public base URL, prefix of the `type` URI.
 * @param options.instance - the request path.
 * @param options.requestId - echoed so a user can quote it to support.
 * @returns the status, headers and body to send.
 */
export function toProblem({error, baseUrl, instance, requestId}: {
  error: unknown; baseUrl: string; instance: string; requestId?: string;
}): {status: number; headers: Record<string, string>; body: Problem} {
  const classified = classify(error);
  if(!(classified instanceof AppError)) {
    return {
      status: 500,
      headers: {},
      body: {
        type: `${baseUrl}/problems/internal-error`, title: 'Internal server error', status: 500,
        detail: 'An unexpected error occurred. It has been logged; quote the request id.',
        instance, ...(requestId ? {requestId} : {})
      }
    };
  }
  return {
    status: classified.status,
    headers: classified.headers,
    body: {
      ...classified.extensions,
      type: `${baseUrl}/problems/${classified.code}`,
      title: classified.title,
      status: classified.status,
      detail: classified.detail,
      instance,
      ...(requestId ? {requestId} : {})
    }
  };
}

/**
 * Sends a problem response for an error (used by the error middleware and by the few places that
 * answer before routing, such as the rate limiter).
 */
export function sendProblem(req: Request, res: Response, error: unknown, baseUrl: string): void {
  const requestId = typeof req.id === 'string' ? req.id : undefined;
  const {status, headers, body} = toProblem({error, baseUrl, instance: req.originalUrl, requestId});
  if(status >= 500) {
    req.log?.error({err: error, status}, status === 500 ? 'unexpected error' : 'dependency unavailable');
  } else {
    req.log?.info({code: body.type, status}, 'request refused');
  }
  if(res.headersSent) {
    res.destroy();
    return;
  }
  res.status(status).set(headers).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/** Express error middleware: the last one in the chain. */
export function problemHandler(baseUrl: string): ErrorRequestHandler {
  return (error, req, res, _next) => sendProblem(req, res, error, baseUrl);
}

/** Express middleware for a route nobody handles: 404 problem. */
export function notFoundHandler(baseUrl: string): RequestHandler {
  return (req, res) => sendProblem(req, res, new NotFound('Route', `${req.method} ${req.path}`),
    baseUrl);
}
