/**
 * The database connection. carecred talks to MongoDB (replica set / Atlas in production) or to
 * the embedded FerretDB through the same mongoose connection, and stays inside what both servers
 * support: single-document atomic updates and unique indexes, no multi-document transactions,
 * no TTL or text indexes, no `$lookup` (see DESIGN.md and the README).
 *
 * Commands are not buffered while the server is away: an operation fails after `timeoutMs`
 * with a driver error that the edge turns into 503, instead of hanging.
 */
import mongoose, {type Connection, type Model, type Schema} from 'mongoose';

export type {Connection} from 'mongoose';

/**
 * Opens a connection (no global mongoose state: each app or test gets its own).
 *
 * @param options.uri - mongodb:// connection string.
 * @param options.dbName - database to use.
 * @param options.timeoutMs - server selection / connect timeout.
 * @param options.monitorCommands - emit the driver's command events (diagnostics and tests).
 * @returns the connected mongoose connection.
 */
export async function connectDatabase({uri, dbName, timeoutMs = 3000, monitorCommands = false}: {
  uri: string; dbName: string; timeoutMs?: number; monitorCommands?: boolean;
}): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: Math.max(30000, timeoutMs * 10),
    heartbeatFrequencyMS: 1000,
    maxPoolSize: 50,
    monitorCommands
  });
  await connection.asPromise();
  return connection;
}

/**
 * Creates the indexes every registered model declares (uniqueness and atomicity rely on them).
 *
 * @param connection - connection whose models are registered.
 */
export async function ensureIndexes(connection: Connection): Promise<void> {
  for(const model of Object.values(connection.models)) {
    await model.createCollection().catch((error: {codeName?: string; code?: number}) => {
      if(error.codeName !== 'NamespaceExists' && error.code !== 48) {
        throw error;
      }
    });
    await model.createIndexes();
  }
}

/**
 * Pings the server; used by `/ready`.
 *
 * @returns true when the database answers within the connection's selection timeout.
 */
export async function pingDatabase(connection: Connection): Promise<boolean> {
  try {
    const db = connection.db;
    if(!db) {
      return false;
    }
    await db.admin().command({ping: 1});
    return true;
  } catch {
    return false;
  }
}

/**
 * Registers a model on a connection once (modules call this when they are created; a second
 * call returns the same model).
 *
 * @returns the model bound to this connection.
 */
export function registerModel<T>(db: Connection, name: string, schema: Schema<T>,
  collection: string): Model<T> {
  return (db.models[name] as Model<T> | undefined) ?? db.model<T>(name, schema, collection);
}

/**
 * Tells whether a write failed on a unique index. MongoDB and FerretDB report a duplicate insert
 * as code 11000; FerretDB v1 reports a unique violation by an *update* as an InternalError
 * (code 1) whose message names the SQLite UNIQUE constraint.
 *
 * @returns true for a duplicate-key failure.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const {code, message} = (error ?? {}) as {code?: number; message?: string};
  return code === 11000 || (code === 1 && /UNIQUE constraint failed/.test(String(message)));
}

// By `name` (what the driver's classes report, which is not always the class name: the driver's
// PoolClearedError is named 'MongoPoolClearedError'), plus the network error class below, which
// the pool errors extend.
const DB_UNAVAILABLE_ERRORS = new Set([
  'MongoServerSelectionError', 'MongoNetworkError', 'MongoNetworkTimeoutError',
  'MongoNotConnectedError', 'MongoTopologyClosedError', 'MongoPoolClearedError', 'MongoPoolClosedError',
  'MongoWaitQueueTimeoutError', 'MongoServerClosedError', 'MongoOperationTimeoutError',
  'MongoClientClosedError', 'MongooseServerSelectionError', 'DatabaseUnavailable'
]);
const {MongoNetworkError} = mongoose.mongo;
/**
 * Server error codes that mean "no server can take this now" (shut down, stepped down, not
 * primary during a replica-set election), not "this request is wrong".
 */
const DB_UNAVAILABLE_CODES = new Set([6, 7, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436]);
/**
 * Node socket errors that the driver lets through unwrapped: a command written on a connection
 * whose server has just gone away fails in `socket.write` with Node's own EPIPE error ("This socket
 * has been ended by the other party"), not a MongoNetworkError (seen in the reliability suite when
 * FerretDB is killed during reads). Only the driver opens sockets inside a request's own work
 * (remote documents of verification go through safe-fetch, which turns failures into checks).
 */
const SOCKET_ERROR_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ENOTCONN']);
const MAX_ERROR_DEPTH = 5;

/**
 * Tells whether an error means "the database did not answer" (so: 503, retry later).
 *
 * Follows what wraps the driver's error: `cause`, and the `errorResponse` of a
 * `MongoBulkWriteError` (an `insertMany` cut off by a dropped connection is reported as a bulk
 * write error that holds the network error there, with no write errors).
 *
 * @param error - anything thrown.
 * @returns true for connectivity errors (the driver's, and socket errors it did not wrap) and
 *   "not available now" server errors, also wrapped.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const pending: unknown[] = [error];
  for(let depth = 0; pending.length > 0 && depth < MAX_ERROR_DEPTH * 2; depth++) {
    const current = pending.shift() as {name?: string; code?: unknown; message?: string; cause?: unknown;
      errorResponse?: unknown} | null | undefined;
    if(!current || typeof current !== 'object') {
      continue;
    }
    if(current instanceof MongoNetworkError || (current.name && DB_UNAVAILABLE_ERRORS.has(current.name)) ||
      (current.name === 'MongoServerError' && DB_UNAVAILABLE_CODES.has(Number(current.code))) ||
      (typeof current.code === 'string' && SOCKET_ERROR_CODES.has(current.code)) ||
      (current.name === 'MongooseError' &&
        /buffering timed out|not connected|Client must be connected/i.test(String(current.message)))) {
      return true;
    }
    pending.push(current.cause, current.errorResponse);
  }
  return false;
}
