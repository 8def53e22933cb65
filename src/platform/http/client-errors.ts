/**
 * Answers requests that Node's HTTP parser refuses before express sees them — an oversized
 * request line or headers (431), a malformed request (400) — with problem+json like every other
 * error, instead of Node's default empty answer. Those requests never reach a handler, so nothing
 * was changed.
 */
import type {Server} from 'node:http';
import type {Duplex} from 'node:stream';

import {AppError} from '../errors.js';
import {PROBLEM_CONTENT_TYPE, toProblem} from './problem.js';

/** Largest request line plus headers the server reads (Node's default is 16 KiB). */
export const MAX_HEADER_BYTES = 64 * 1024;

const STATUS_TEXT: Record<number, string> = {400: 'Bad Request', 431: 'Request Header Fields Too Large'};

/** 431: the request line (a URL with a long query) or the headers exceed MAX_HEADER_BYTES. */
class HeaderFieldsTooLarge extends AppError {
  constructor() {
    super('request-header-fields-too-large', 431, 'Request header fields too large',
      {detail: `The request line and headers exceed ${MAX_HEADER_BYTES} bytes.`});
  }
}

/** 400: the HTTP request itself could not be parsed. */
class UnreadableRequest extends AppError {
  constructor() {
    super('bad-request', 400, 'Bad request', {detail: 'The HTTP request could not be parsed.'});
  }
}

/**
 * Installs the handler on a server.
 *
 * @param server - the HTTP server.
 * @param publicBaseUrl - the prefix of the problem `type` URIs.
 */
export function answerClientErrors(server: Server, publicBaseUrl: string): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if(!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const refused = error.code === 'HPE_HEADER_OVERFLOW' ? new HeaderFieldsTooLarge() : new UnreadableRequest();
    // The request was not read, so its own URL is unknown: the problem names the server root.
    const {status, body} = toProblem({error: refused, baseUrl: publicBaseUrl, instance: '/'});
    const json = JSON.stringify(body);
    socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`);
  });
}
