/**
 * Starts carecred as a separate process for the HTTP benchmarks, the way it runs in production:
 * the built server (`dist/src/server.js`, or the TypeScript sources through tsx with
 * `--server=tsx`) with its embedded FerretDB (a fresh data directory) and the signing worker pool
 * at its default size (one worker per core). Also reads the process's CPU time and memory from
 * /proc, and the embedded database's (the FerretDB child), so a run can say where the time went.
 */
import {type ChildProcess, spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {createServer as createNetServer} from 'node:net';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

import {createClient, type HttpClient} from './http.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLOCK_TICKS_PER_SECOND = 100;

/** A running carecred process. */
export interface BenchServer {
  baseUrl: string;
  adminToken: string;
  pid: number;
  client: HttpClient;
  /** CPU seconds (user + system) and resident memory of carecred and of its FerretDB child. */
  usage(): {serverCpu: number; databaseCpu: number; serverRssMb: number; serverPeakRssMb: number;
    databaseRssMb: number};
  /** SIGTERM, wait for the exit (the server writes its --cpu-prof files then), remove the data. */
  stop(): Promise<void>;
}

/** How to start the server. */
export interface ServerOptions {
  /** `dist` (built JavaScript, default) or `tsx` (the TypeScript sources). */
  mode?: 'dist' | 'tsx';
  /** Extra environment (e.g. SIGNING_WORKERS). */
  env?: Record<string, string>;
  /** Node flags, e.g. `--cpu-prof --cpu-prof-dir=...`. */
  nodeFlags?: string[];
}

function procStat(pid: number): {cpu: number; rssMb: number} | undefined {
  try {
    // Fields after the parenthesised command: utime is the 14th field, stime the 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return {cpu, rssMb: rssKb / 1024};
  } catch {
    return undefined;
  }
}

function peakRssMb(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap(task =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

async function waitUntilReady(client: HttpClient, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while(Date.now() < deadline) {
    if(child.exitCode !== null) {
      throw new Error(`carecred exited with ${child.exitCode} during start:\n${output()}`);
    }
    const ready = await client.request({method: 'GET', path: '/ready'}).catch(() => undefined);
    if(ready?.status === 200) {
      return;
    }
    await new Promise(wait => setTimeout(wait, 100));
  }
  throw new Error(`carecred did not become ready within 60 s:\n${output()}`);
}

/** The flags `npm start` and the image run the server with (package.json, Dockerfile). */
const PRODUCTION_NODE_FLAGS = ['--max-old-space-size=192'];

/**
 * A free port below the system's ephemeral range (32768+ on Linux). The server's URL must be known
 * before it starts (PUBLIC_BASE_URL); a port picked by bind(0) could be handed out again to the
 * server's own embedded FerretDB before the server listens on it (EADDRINUSE).
 *
 * @returns the port.
 */
export async function portBelowEphemeralRange(): Promise<number> {
  for(let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>(done => {
      const probe = createNetServer();
      probe.once('error', () => done(false));
      probe.listen(port, () => probe.close(() => done(true)));
    });
    if(free) {
      return port;
    }
  }
  throw new Error('no free port between 20000 and 32000');
}

/**
 * Starts carecred on a free loopback port with a fresh embedded database.
 *
 * @returns the running server; `stop()` it at the end.
 * @throws Error when the build or the FerretDB binary is missing, or the server does not start.
 */
export async function startServer({mode = 'dist', env = {}, nodeFlags = []}: ServerOptions = {}):
  Promise<BenchServer> {
  const entry = mode === 'dist' ? join(ROOT, 'dist/src/server.js') : join(ROOT, 'src/server.ts');
  if(!existsSync(entry)) {
    throw new Error(`${entry} is missing: run \`npm run build\` first (or pass --server=tsx)`);
  }
  const port = await portBelowEphemeralRange();
  const dataDir = mkdtempSync(join(tmpdir(), 'carecred-bench-'));
  const adminToken = `bench-admin-${randomBytes(16).toString('hex')}`;
  const child = spawn(process.execPath, [...PRODUCTION_NODE_FLAGS, ...nodeFlags, ...mode === 'tsx' ? ['--import', 'tsx'] : [], entry], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir,
      ADMIN_TOKEN: adminToken, SEED_DEMO_DATA: 'false', LOG_LEVEL: 'warn',
      PUBLIC_RATE_LIMIT_PER_MINUTE: '0', FERRETDB_BIN: join(ROOT, '.tools/bin/ferretdb'), ...env
    }
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>(done => child.once('exit', () => done()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const client = createClient({baseUrl});
  try {
    await waitUntilReady(client, child, () => output);
  } catch(error) {
    child.kill('SIGKILL');
    rmSync(dataDir, {recursive: true, force: true});
    throw error;
  }
  const pid = child.pid!;
  return {
    baseUrl, adminToken, pid, client,
    usage() {
      const server = procStat(pid);
      const database = childPids(pid).map(procStat).filter(Boolean)[0];
      return {serverCpu: server?.cpu ?? 0, databaseCpu: database?.cpu ?? 0, serverRssMb: server?.rssMb ?? 0,
        serverPeakRssMb: peakRssMb(pid), databaseRssMb: database?.rssMb ?? 0};
    },
    async stop() {
      client.close();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      rmSync(dataDir, {recursive: true, force: true});
    },
    get output() {
      return output;
    }
  } as BenchServer;
}
