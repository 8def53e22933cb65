/**
 * Request ids: a client's `X-Request-Id` is honoured when it is short and plain (so log lines can
 * be correlated across services), otherwise a new UUID is made. The id is echoed in the response.
 */
import {randomUUID} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * pino-http's `genReqId`: picks the request id and sets the response header.
 *
 * @returns the request id.
 */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const offered = req.headers['x-request-id'];
  const id = typeof offered === 'string' && SAFE_REQUEST_ID.test(offered) ? offered : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}
