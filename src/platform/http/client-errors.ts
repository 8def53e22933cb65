/**
 * Answers requests that Node's HTTP parser refuses before express sees them — an oversized
 * request line or headers (431), a malformed request (400) — with problem+json like every other
 * error, instead of Node's default empty answer. Those requests never reach a handler, so nothing
 * was changed.
 */
import type {Server} from 'node:http';
import type {Duplex} from 'node:stream';

/** Largest request line plus headers the server reads (Node's default is 16 KiB). */
export const MAX_HEADER_BYTES = 64 * 1024;

const STATUS_TEXT: Record<number, string> = {400: 'Bad Request', 431: 'Request Header Fields Too Large'};

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
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const code = tooLarge ? 'request-header-fields-too-large' : 'bad-request';
    const body = JSON.stringify({type: `${publicBaseUrl}/problems/${code}`, title: STATUS_TEXT[status], status,
      detail: tooLarge ? `The request line and headers exceed ${MAX_HEADER_BYTES} bytes.` :
        'The HTTP request could not be parsed.'});
    socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}
