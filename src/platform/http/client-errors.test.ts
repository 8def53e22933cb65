import {createServer, type Server} from 'node:http';
import {connect} from 'node:net';

import {answerClientErrors, MAX_HEADER_BYTES} from './client-errors.js';

let server: Server;
let port: number;
let handled = 0;

beforeAll(async () => {
  server = createServer({maxHeaderSize: MAX_HEADER_BYTES}, (_req, res) => {
    handled++;
    res.end('ok');
  });
  answerClientErrors(server, 'https://carecred.example');
  await new Promise<void>(listening => server.listen(0, '127.0.0.1', listening));
  port = (server.address() as {port: number}).port;
});

afterAll(async () => {
  await new Promise(closed => server.close(closed));
});

/** Sends raw bytes and reads the whole answer (the server closes the connection). */
function exchange(raw: string): Promise<string> {
  return new Promise((answered, failed) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(raw));
    let text = '';
    socket.on('data', chunk => {
      text += String(chunk);
    });
    socket.on('close', () => answered(text));
    socket.on('error', failed);
  });
}

describe('requests the HTTP parser refuses', () => {
  test('when the query makes the request line longer than the limit, then 431 problem+json and no handler runs', async () => {
    const before = handled;

    const answer = await exchange(`GET /verify?share=${'x'.repeat(MAX_HEADER_BYTES + 10)} HTTP/1.1\r\nHost: a\r\n\r\n`);

    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(body!)).toMatchObject({status: 431,
      type: 'https://carecred.example/problems/request-header-fields-too-large'});
    expect(handled).toBe(before);
  });

  test('when the request line is not HTTP, then 400 problem+json', async () => {
    const answer = await exchange('NOT A REQUEST\r\n\r\n');

    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(answer.split('\r\n\r\n')[1]!)).toMatchObject({status: 400,
      type: 'https://carecred.example/problems/bad-request'});
  });

  test('when a long query stays under the limit, then the request reaches the handler', async () => {
    const answer = await exchange(`GET /?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`);

    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });
});
