import {uniqueDatabaseName} from '../../test/support/test-app.js';
import {connectDatabase, type Connection, isDuplicateKeyError} from './db.js';
import {createInsertBatcher} from './insert-batcher.js';

let db: Connection;

beforeAll(async () => {
  db = await connectDatabase({uri: process.env.CARECRED_TEST_MONGODB_URI!, dbName: uniqueDatabaseName('batcher')});
});
afterAll(async () => {
  await db.dropDatabase().catch(() => undefined);
  await db.close();
});

describe('createInsertBatcher', () => {
  test('when many inserts arrive at once, then they go out in few batches and each caller learns its own outcome', async () => {
    const collection = db.collection<{_id: string; n: number}>('batched');
    await collection.insertOne({_id: 'taken', n: 0});
    const calls: number[] = [];
    const insert = createInsertBatcher({collection: {insertMany: (documents, options) => {
      calls.push(documents.length);
      return collection.insertMany(documents as never, options);
    }}, maxBatch: 20});

    const outcomes = await Promise.allSettled([
      ...Array.from({length: 30}, (_, n) => insert({_id: `doc-${n}`, n})),
      insert({_id: 'taken', n: 1}), insert({_id: 'doc-3', n: 2})
    ]);

    expect(calls).toEqual([1, 20, 11]);
    expect(outcomes.slice(0, 30).every(outcome => outcome.status === 'fulfilled')).toBe(true);
    const refused = outcomes.slice(30);
    expect(refused.map(outcome => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(refused.every(outcome => isDuplicateKeyError((outcome as PromiseRejectedResult).reason)))
      .toBe(true);
    expect(await collection.countDocuments({})).toBe(31);
    expect(await collection.findOne({_id: 'taken'})).toEqual({_id: 'taken', n: 0});
  });

  test('when the whole batch fails, then every caller of that batch gets the error and the next batch still goes', async () => {
    let fail = true;
    const insert = createInsertBatcher({collection: {insertMany: async () => {
      if(fail) {
        fail = false;
        throw Object.assign(new Error('gone'), {name: 'MongoNetworkError'});
      }
      return {acknowledged: true, insertedCount: 1, insertedIds: {}};
    }}});

    const first = insert({_id: 'a'});
    const second = insert({_id: 'b'});

    await expect(first).rejects.toMatchObject({name: 'MongoNetworkError'});
    await expect(second).resolves.toBeUndefined();
  });
});
