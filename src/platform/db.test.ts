import {createRequire} from 'node:module';

import mongoose from 'mongoose';

import {isDatabaseUnavailable, isDuplicateKeyError} from './db.js';

const {MongoBulkWriteError, MongoNetworkError, MongoServerError, MongoServerSelectionError} = mongoose.mongo;

function aBulkWriteErrorCutOffBy(cause: Error) {
  // What insertMany throws when the connection drops mid-way: no write errors, the cause inside.
  return new MongoBulkWriteError(cause as unknown as ConstructorParameters<typeof MongoBulkWriteError>[0],
    {insertedCount: 0, matchedCount: 0, modifiedCount: 0, deletedCount: 0, upsertedCount: 0,
      upsertedIds: {}, insertedIds: {}} as unknown as ConstructorParameters<typeof MongoBulkWriteError>[1]);
}

// The driver's pool errors are not exported from its entry point; these are its own classes.
type PoolErrorClass = new (pool: {address: string}) => Error;
const {PoolClearedError, PoolClosedError} = createRequire(import.meta.url)('mongodb/lib/cmap/errors.js') as
  {PoolClearedError: PoolErrorClass; PoolClosedError: PoolErrorClass};

describe('isDatabaseUnavailable', () => {
  test.each([
    ['a dropped connection', new MongoNetworkError('connection 5 to 127.0.0.1:1 closed')],
    ['no server to select', new MongoServerSelectionError('Server selection timed out after 2000 ms',
      {} as ConstructorParameters<typeof MongoServerSelectionError>[1])],
    ['an insertMany cut off by a dropped connection', aBulkWriteErrorCutOffBy(
      new MongoNetworkError('connection 11 to 127.0.0.1:1 closed'))],
    ['a server shutting down', new MongoServerError({message: 'interrupted at shutdown', code: 11600})],
    ['a primary stepping down', new MongoServerError({message: 'not primary', code: 10107})],
    ['a wrapped network error', new Error('loading the unit failed',
      {cause: new MongoNetworkError('connection reset')})],
    // Found by the import outage test under load: the pool is cleared when its server dies.
    ['a cleared connection pool', new PoolClearedError({address: '127.0.0.1:1'})],
    ['a closed connection pool', new PoolClosedError({address: '127.0.0.1:1'})],
    // Found by the import outage test: Node's write-after-FIN error, thrown through the driver unwrapped.
    ['a write on a connection the server has ended', Object.assign(
      new Error('This socket has been ended by the other party'), {code: 'EPIPE'})],
    ['a connection reset', Object.assign(new Error('read ECONNRESET'), {code: 'ECONNRESET'})]
  ])('when the error is %s, then the database is unavailable', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  test.each([
    ['a duplicate key', new MongoServerError({message: 'E11000 duplicate key', code: 11000})],
    ['a bad query', new MongoServerError({message: 'unknown operator', code: 2})],
    ['a bug', new TypeError('x is undefined')],
    ['a file that is not there', Object.assign(new Error('ENOENT: no such file'), {code: 'ENOENT'})],
    ['nothing', undefined]
  ])('when the error is %s, then it is not about availability', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  test('when a duplicate key comes from an insert or from FerretDB\'s update, then it is a duplicate', () => {
    expect(isDuplicateKeyError(new MongoServerError({message: 'E11000', code: 11000}))).toBe(true);
    expect(isDuplicateKeyError({code: 1, message: 'UNIQUE constraint failed: t.x'})).toBe(true);
    expect(isDuplicateKeyError(new MongoNetworkError('closed'))).toBe(false);
  });
});
