/**
 * A small keep-alive HTTP client for the benchmarks (node:http, no per-request overhead of
 * fetch's streams): one agent per client, JSON or text bodies in, status and text out.
 */
import {Agent, request as httpRequest} from 'node:http';

/** One answer. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A request. */
export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** A JSON value (sent as application/json) or a string sent as is. */
  body?: unknown;
  contentType?: string;
}

/** A keep-alive client bound to one base URL. */
export interface HttpClient {
  request(options: HttpRequest): Promise<HttpResponse>;
  /** Like `request`, and throws unless the status is the expected one; returns parsed JSON. */
  json<T = unknown>(options: HttpRequest & {expect: number}): Promise<T>;
  close(): void;
}

/**
 * Creates a client.
 *
 * @param options.maxSockets - connections kept open (default 256).
 * @returns the client.
 */
export function createClient({baseUrl, maxSockets = 256}: {baseUrl: string; maxSockets?: number}):
  HttpClient {
  const agent = new Agent({keepAlive: true, maxSockets});
  const {hostname, port} = new URL(baseUrl);

  /**
   * Sends; a request that failed on a kept-alive socket the server had closed meanwhile (idle
   * longer than its keep-alive timeout) is sent again (each failure drops one stale socket).
   */
  async function request(options: HttpRequest): Promise<HttpResponse> {
    for(let attempt = 0; ; attempt++) {
      try {
        return await send(options);
      } catch(error) {
        const stale = (error as {reusedSocket?: boolean}).reusedSocket &&
          (error as {code?: string}).code === 'ECONNRESET';
        if(!stale || attempt > maxSockets) {
          throw error;
        }
      }
    }
  }

  function send({method, path, headers = {}, body, contentType}: HttpRequest): Promise<HttpResponse> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = httpRequest({hostname, port, path, method, agent, headers: {
        ...payload === undefined ? {} : {'content-type': contentType ?? (typeof body === 'string' ?
          'text/plain' : 'application/json'), 'content-length': String(Buffer.byteLength(payload))},
        ...headers
      }}, res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk as Buffer));
        res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8')}));
        res.on('error', reject);
      });
      req.on('error', error => reject(Object.assign(error, {reusedSocket: req.reusedSocket})));
      req.end(payload);
    });
  }

  return {
    request,
    async json<T>(options: HttpRequest & {expect: number}): Promise<T> {
      const response = await request(options);
      if(response.status !== options.expect) {
        throw new Error(`${options.method} ${options.path}: ${response.status} ${response.text.slice(0, 2000)}`);
      }
      return JSON.parse(response.text) as T;
    },
    close: () => agent.destroy()
  };
}
