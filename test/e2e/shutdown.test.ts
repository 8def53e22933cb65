/**
 * The process itself: it starts on the embedded database (generating its secrets into DATA_DIR,
 * mode 0600, without logging them), and on SIGTERM it stops accepting, lets an in-flight request
 * finish, closes the database, stops the embedded FerretDB and exits 0.
 */
import {type ChildProcess, spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import {request as httpRequest} from 'node:http';
import {connect} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {projectPath} from '../../src/platform/paths.js';
import {listeningPort} from '../support/listening.js';

let dataDir: string;
let server: ChildProcess;
let output = '';
let port: number;

function waitForLog(pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in: ${output.slice(-2000)}`)), timeoutMs);
    const check = () => {
      const line = output.split('\n').find(candidate => pattern.test(candidate));
      if(line) {
        clearTimeout(timer);
        resolve(line);
      } else {
        setTimeout(check, 50);
      }
    };
    check();
  });
}

function portOpen(target: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect(target, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'carecred-process-'));
  server = spawn(process.execPath, ['--import', 'tsx', projectPath('src', 'server.ts')], {
    cwd: projectPath(), env: {...process.env, PORT: '0', DATA_DIR: dataDir,
      SEED_DEMO_DATA: 'false', SIGNING_WORKERS: '1', MONGODB_URI: '', LOG_LEVEL: 'info'},
    stdio: ['ignore', 'pipe', 'pipe']
  });
  server.stdout!.on('data', chunk => {
    output += String(chunk);
  });
  server.stderr!.on('data', chunk => {
    output += String(chunk);
  });
  port = listeningPort(await waitForLog(/carecred listening/, 60_000))!;
}, 90_000);

afterAll(async () => {
  if(server.exitCode === null) {
    server.kill('SIGKILL');
  }
  rmSync(dataDir, {recursive: true, force: true});
});

describe('the carecred process', () => {
  test('when started without secrets, then it generates them into DATA_DIR (0600) and never logs them', () => {
    const adminToken = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const keyEncryptionKey = readFileSync(join(dataDir, 'key-encryption-key'), 'utf8').trim();

    expect(statSync(join(dataDir, 'admin-token')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'key-encryption-key')).mode & 0o777).toBe(0o600);
    expect(output).not.toContain(adminToken);
    expect(output).not.toContain(keyEncryptionKey);
    expect(output).toContain(join(dataDir, 'admin-token'));
  });

  test('when SIGTERM arrives during a request, then the request finishes and the process exits 0', async () => {
    const ferretdbLine = JSON.parse(await waitForLog(/embedded FerretDB started/, 1000)) as {port: number};
    const body = JSON.stringify({jwt: 'not.a.jwt'});
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = httpRequest({host: '127.0.0.1', port, method: 'POST', path: '/v1/verify',
        headers: {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)}},
      res => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.write(body.slice(0, 5));
      setTimeout(() => {
        server.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(5)), 300);
      }, 100);
    });
    const exited = new Promise<number | null>(resolve => server.once('exit', code => resolve(code)));

    expect(await inFlight).toBe(400);
    expect(await exited).toBe(0);
    expect(output).toMatch(/shutting down/);
    expect(await portOpen(ferretdbLine.port)).toBe(false);
  }, 30_000);
});
