/**
 * A carecred cluster for the reliability suites: one FerretDB, which a suite may kill and start
 * again on the same port, and N real carecred processes (`node dist/src/server.js`, as `npm start`
 * runs it) sharing it — the way carecred scales out behind a load balancer: the same
 * PUBLIC_BASE_URL, KEY_ENCRYPTION_KEY and ADMIN_TOKEN, and no state of their own.
 *
 * Each process listens on a free port of its own and counts as started when `/health` answers.
 * Its log lines are kept, so a suite can assert that no request ended in an unexpected error (a
 * 500) in any process, including one that was killed.
 */
import {type ChildProcess, spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createInterface} from 'node:readline';

import {connectDatabase, type Connection} from '../../../src/platform/db.js';
import {type EmbeddedDatabase, startEmbeddedDatabase} from '../../../src/platform/embedded-db.js';
import {createLogger} from '../../../src/platform/logger.js';
import {projectPath} from '../../../src/platform/paths.js';
import {listeningPort} from '../../support/listening.js';
import {send, sleep} from './http.js';

export const CLUSTER_ADMIN_TOKEN = 'reliability-admin-token-0123456789';
/** The address every process answers for (a load balancer's), so DIDs and status URLs agree. */
export const CLUSTER_BASE_URL = 'http://carecred.test';
const DATABASE_NAME = 'carecred';
const SERVER_ENTRY = projectPath('dist', 'src', 'server.js');
const FERRETDB_BINARY = projectPath('.tools', 'bin', 'ferretdb');
const START_TIMEOUT_MS = 60_000;
const KEPT_LOG_LINES = 20_000;
const silent = createLogger({level: 'silent'});

/** One carecred process. */
export interface CarecredProcess {
  readonly name: string;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly pid: number;
  /** Its log lines (pino JSON) and stderr, the newest last. */
  readonly logLines: string[];
  /** Resolves when the process has exited. */
  readonly exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
  /** Sends a signal (SIGKILL: a crash; SIGTERM: a graceful stop) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** The database of a cluster, which a suite may kill and start again. */
export interface ClusterDatabase {
  readonly uri: string;
  /** Kills FerretDB (SIGKILL): every connection drops, as in a crash. */
  kill(): Promise<void>;
  /** Starts FerretDB again on the same port and data folder. */
  restart(): Promise<void>;
}

/** A running cluster. */
export interface Cluster {
  readonly database: ClusterDatabase;
  /** The processes; `restartProcess` replaces an entry. */
  readonly processes: CarecredProcess[];
  /** A connection of the suite's own, for reading what the processes wrote. */
  readonly db: Connection;
  /** Starts process `index` again (after it was killed); returns the new one. */
  restartProcess(index: number): Promise<CarecredProcess>;
  /** Log lines of unexpected errors (500s, other error logs, stderr, exits) in any process so far. */
  unexpectedErrors(): string[];
  stop(): Promise<void>;
}

/** Options of a cluster. */
export interface ClusterOptions {
  /** Number of carecred processes. */
  processes?: number;
  /** Extra environment of every process (same names as the configuration). */
  env?: Record<string, string>;
  /** Options for node in every process. */
  nodeArgs?: string[];
}

function processEnvironment(uri: string, dataDir: string, kek: string, env: Record<string, string>):
  Record<string, string> {
  const inherited = Object.fromEntries(['PATH', 'HOME', 'TMPDIR', 'LANG']
    .flatMap(name => process.env[name] ? [[name, process.env[name]!]] : []));
  return {
    ...inherited, NODE_ENV: 'production', PUBLIC_BASE_URL: CLUSTER_BASE_URL,
    MONGODB_URI: uri, MONGODB_DATABASE: DATABASE_NAME, DATA_DIR: dataDir,
    ADMIN_TOKEN: CLUSTER_ADMIN_TOKEN, KEY_ENCRYPTION_KEY: kek, LOG_LEVEL: 'info',
    SEED_DEMO_DATA: 'false', SIGNING_WORKERS: '1', PUBLIC_RATE_LIMIT_PER_MINUTE: '0',
    DB_TIMEOUT_MS: '2000', ...env
  };
}

/**
 * Starts one carecred process and waits until it listens.
 *
 * @param options.name - a label for messages.
 * @param options.env - its complete environment.
 * @param options.nodeArgs - options for node (e.g. `--cpu-prof` to find where the time goes).
 * @returns the running process.
 * @throws Error with its last log lines when it exits or does not listen in time.
 */
export async function startCarecredProcess({name, env, nodeArgs = []}: {
  name: string; env: Record<string, string>; nodeArgs?: string[];
}): Promise<CarecredProcess> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, SERVER_ENTRY],
    {env: {...env, PORT: '0'}, stdio: ['ignore', 'pipe', 'pipe']});
  const logLines: string[] = [];
  let port: number | undefined;
  const keep = (line: string) => {
    port ??= listeningPort(line);
    logLines.push(line);
    if(logLines.length > KEPT_LOG_LINES) {
      logLines.splice(0, logLines.length - KEPT_LOG_LINES);
    }
  };
  createInterface({input: child.stdout!}).on('line', keep);
  createInterface({input: child.stderr!}).on('line', line => keep(`stderr: ${line}`));
  let killed = false;
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(done =>
    child.once('exit', (code, signal) => {
      if(!killed) {
        keep(`stderr: the process exited by itself (${code ?? signal})`);
      }
      done({code, signal});
    }));
  const deadline = Date.now() + START_TIMEOUT_MS;
  const url = () => `http://127.0.0.1:${port}`;
  while(port === undefined || (await send(url(), {path: '/health', timeoutMs: 1000})).status !== 200) {
    if(child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      killed = true;
      child.kill('SIGKILL');
      throw new Error(`${name} did not start:\n${logLines.slice(-20).join('\n')}`);
    }
    await sleep(100);
  }
  return {
    name, url: url(), pid: child.pid!, logLines, exited,
    async kill(signal = 'SIGKILL') {
      if(child.exitCode === null && child.signalCode === null) {
        killed = true;
        child.kill(signal);
      }
      await exited;
    }
  };
}

/**
 * A log line that means a bug: anything on stderr (an unhandled rejection, a crash) and any
 * error or fatal log line except the 503 answers while the database is away.
 */
function isUnexpectedError(line: string): boolean {
  if(line.startsWith('stderr:')) {
    return true;
  }
  return /"level":(50|60)/.test(line) && !line.includes('"msg":"dependency unavailable"');
}

/** Starts a FerretDB of the suite's own in a temporary folder. */
async function startDatabase(dataDir: string): Promise<{database: ClusterDatabase; stop(): Promise<void>}> {
  let current: EmbeddedDatabase = await startEmbeddedDatabase({binary: FERRETDB_BINARY, dataDir,
    logger: silent});
  const {port, uri} = current;
  return {
    database: {
      uri,
      kill: () => current.kill(),
      async restart() {
        current = await startEmbeddedDatabase({binary: FERRETDB_BINARY, dataDir, port, logger: silent});
      }
    },
    stop: () => current.stop()
  };
}

/**
 * Starts FerretDB and `processes` carecred processes on it.
 *
 * @returns the running cluster; `stop()` ends everything and removes the data.
 */
export async function startCluster({processes = 3, env = {}, nodeArgs}: ClusterOptions = {}):
  Promise<Cluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'carecred-reliability-'));
  const {database, stop: stopDatabase} = await startDatabase(join(dataDir, 'ferretdb'));
  const kek = randomBytes(32).toString('base64url');
  const environment = processEnvironment(database.uri, dataDir, kek, env);
  const started = await Promise.allSettled(Array.from({length: processes}, (_, i) =>
    startCarecredProcess({name: `carecred-${i + 1}`, env: environment, nodeArgs})));
  const running = started.flatMap(result => result.status === 'fulfilled' ? [result.value] : []);
  const failed = started.find(result => result.status === 'rejected');
  if(failed) {
    await Promise.all(running.map(child => child.kill()));
    await stopDatabase();
    rmSync(dataDir, {recursive: true, force: true});
    throw (failed as PromiseRejectedResult).reason;
  }
  const everyProcess = [...running];
  const db = await connectDatabase({uri: database.uri, dbName: DATABASE_NAME, timeoutMs: 5000});
  return {
    database, processes: running, db,
    async restartProcess(index) {
      const restarted = await startCarecredProcess({name: running[index]!.name, env: environment, nodeArgs});
      running[index] = restarted;
      everyProcess.push(restarted);
      return restarted;
    },
    unexpectedErrors: () => everyProcess.flatMap(({name, logLines}) => logLines
      .filter(isUnexpectedError).map(line => `${name}: ${line.slice(0, 2000)}`)),
    async stop() {
      await Promise.all(running.map(child => child.kill('SIGTERM')));
      await db.close().catch(() => undefined);
      await stopDatabase();
      rmSync(dataDir, {recursive: true, force: true});
    }
  };
}

/**
 * Declares a cluster for the suites of a test file: started before them, stopped after.
 *
 * @returns a getter of the running cluster.
 */
export function useCluster(options: ClusterOptions = {}): () => Cluster {
  let cluster: Cluster | undefined;
  beforeAll(async () => {
    cluster = await startCluster(options);
  }, 120_000);
  afterAll(async () => cluster?.stop(), 60_000);
  return () => {
    if(!cluster) {
      throw new Error('the cluster is not running (beforeAll failed?)');
    }
    return cluster;
  };
}
