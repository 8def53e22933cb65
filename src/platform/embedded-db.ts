/**
 * The embedded database: a FerretDB v1 child process with the SQLite backend.
 *
 * When MONGODB_URI is unset, carecred starts FerretDB on a free loopback port with its data in
 * `<dataDir>/ferretdb`, waits until it answers the MongoDB wire protocol, and stops it on shutdown.
 * FerretDB's own output goes to our log (module `ferretdb`), not to the terminal.
 */
import {type ChildProcess, spawn} from 'node:child_process';
import {existsSync, mkdirSync} from 'node:fs';
import {createServer, Socket} from 'node:net';
import {resolve} from 'node:path';
import {createInterface} from 'node:readline';

import type {Logger} from './logger.js';

/** A running embedded database. */
export interface EmbeddedDatabase {
  /** mongodb:// URI of the running server. */
  readonly uri: string;
  readonly port: number;
  /** Stops the server (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
  /** Kills the server at once (SIGKILL), as a crash would; fault tests use it. */
  kill(): Promise<void>;
}

/** Finds a free TCP port on the loopback interface. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => typeof address === 'object' && address ?
        resolvePort(address.port) : reject(new Error('no port')));
    });
  });
}

/** Resolves when something accepts TCP connections on the port. */
async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while(Date.now() < deadline) {
    if(child.exitCode !== null) {
      throw new Error(`FerretDB exited with code ${child.exitCode} during start`);
    }
    const open = await new Promise<boolean>(done => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
      socket.connect(port, '127.0.0.1');
    });
    if(open) {
      return;
    }
    await new Promise(wait => setTimeout(wait, 50));
  }
  throw new Error(`FerretDB did not listen on port ${port} within ${timeoutMs} ms`);
}

/** Forwards each output line of the child to the log at a level that matches its own. */
function pipeToLog(stream: NodeJS.ReadableStream, logger: Logger): void {
  createInterface({input: stream}).on('line', line => {
    const level = /\b(ERROR|PANIC|FATAL)\b/.test(line) ? 'error' :
      /\bWARN\b/.test(line) ? 'warn' : 'debug';
    logger[level]({line}, 'ferretdb output');
  });
}

/**
 * Starts FerretDB as a child process.
 *
 * @param options.binary - path of the ferretdb binary (`npm run setup:ferretdb` builds it).
 * @param options.dataDir - folder for the SQLite files; created when missing.
 * @param options.port - port to listen on; a free one when omitted (pass it to restart in place).
 * @param options.logger - receives FerretDB's output.
 * @returns the running database.
 * @throws Error when the binary is missing or the server does not come up.
 */
export async function startEmbeddedDatabase({binary, dataDir, port, logger, startTimeoutMs = 20000}: {
  binary: string; dataDir: string; port?: number; logger: Logger; startTimeoutMs?: number;
}): Promise<EmbeddedDatabase> {
  const binaryPath = resolve(binary);
  if(!existsSync(binaryPath)) {
    throw new Error(`FerretDB binary not found at ${binaryPath}; run \`npm run setup:ferretdb\``);
  }
  const dir = resolve(dataDir);
  mkdirSync(dir, {recursive: true});
  const listenPort = port ?? await findFreePort();
  const child = spawn(binaryPath, [
    '--handler=sqlite', `--sqlite-url=file:${dir}/`, `--state-dir=${dir}`,
    `--listen-addr=127.0.0.1:${listenPort}`, '--telemetry=disable', '--debug-addr=-',
    '--log-format=text', '--log-level=warn'
  ], {stdio: ['ignore', 'pipe', 'pipe']});
  const log = logger.child({module: 'ferretdb'});
  pipeToLog(child.stdout!, log);
  pipeToLog(child.stderr!, log);
  const exited = new Promise<void>(done => child.once('exit', () => done()));
  try {
    await waitForPort(listenPort, child, startTimeoutMs);
  } catch(error) {
    child.kill('SIGKILL');
    throw error;
  }
  log.info({port: listenPort, dataDir: dir}, 'embedded FerretDB started');
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    uri: `mongodb://127.0.0.1:${listenPort}/`,
    port: listenPort,
    async kill() {
      if(running()) {
        child.kill('SIGKILL');
        await exited;
      }
    },
    async stop() {
      if(!running()) {
        return;
      }
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      log.info({port: listenPort}, 'embedded FerretDB stopped');
    }
  };
}
