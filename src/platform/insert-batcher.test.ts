import {jest} from '@jest/globals';
import {type Connection, Schema} from 'mongoose';

import {uniqueDatabaseName} from '../../test/support/test-app.js';
import {connectDatabase, ensureIndexes, isDuplicateKeyError, registerModel} from './db.js';
import {createInsertBatcher} from './insert-batcher.js';

interface Thing {
  _id: unknown;
  name: string;
  size: number;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
}

let db: Connection;

function thingModel() {
  const schema = new Schema<Thing>({
    name: {type: String, required: true},
    size: {type: Number, min: 0},
    tags: {type: [String], default: []}
  }, {timestamps: true, versionKey: false});
  schema.index({name: 1}, {unique: true});
  return registerModel(db, 'Thing', schema, 'things');
}

beforeAll(async () => {
  db = await connectDatabase({uri: process.env.CARECRED_TEST_MONGODB_URI!, dbName: uniqueDatabaseName('batch')});
  thingModel();
  await ensureIndexes(db);
});
afterAll(async () => {
  await db.dropDatabase().catch(() => undefined);
  await db.close();
});

describe('createInsertBatcher', () => {
  test('when inserts are submitted in one turn, then they travel as one command and all are stored', async () => {
    const Thing = thingModel();
    const batcher = createInsertBatcher(Thing);
    const insertMany = jest.spyOn(Thing.collection, 'insertMany');

    const stored = await Promise.all(Array.from({length: 20}, (_, i) => batcher.insert({name: `one-turn-${i}`})));

    expect(insertMany).toHaveBeenCalledTimes(1);
    insertMany.mockRestore();
    expect(await Thing.countDocuments({name: /^one-turn-/})).toBe(20);
    expect(stored.map(thing => thing.name)).toEqual(Array.from({length: 20}, (_, i) => `one-turn-${i}`));
  });

  test('when a document is inserted, then it is cast, defaulted and timestamped as create() does it', async () => {
    const Thing = thingModel();
    const batcher = createInsertBatcher(Thing);

    const stored = await batcher.insert({name: 'cast', size: '7' as unknown as number});

    const reread = await Thing.findById(stored._id).lean<Thing>();
    expect(reread).toEqual(stored);
    expect(stored).toMatchObject({name: 'cast', size: 7, tags: []});
    expect(stored.createdAt).toBeInstanceOf(Date);
    expect(stored.updatedAt).toBeInstanceOf(Date);
  });

  test('when one document of a batch is a duplicate, then only its caller fails, with a duplicate-key error', async () => {
    const Thing = thingModel();
    const batcher = createInsertBatcher(Thing);
    await batcher.insert({name: 'taken'});

    const outcomes = await Promise.allSettled([batcher.insert({name: 'free-1'}), batcher.insert({name: 'taken'}),
      batcher.insert({name: 'free-2'})]);

    expect(outcomes.map(outcome => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(isDuplicateKeyError((outcomes[1] as PromiseRejectedResult).reason)).toBe(true);
    expect(await Thing.countDocuments({name: {$in: ['free-1', 'free-2', 'taken']}})).toBe(3);
  });

  test('when a document is invalid, then its caller fails at once and nothing of it is stored', async () => {
    const Thing = thingModel();
    const batcher = createInsertBatcher(Thing);

    const outcomes = await Promise.allSettled([batcher.insert({name: 'valid'}),
      batcher.insert({name: 'negative', size: -1})]);

    expect(outcomes.map(outcome => outcome.status)).toEqual(['fulfilled', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({name: 'ValidationError'});
    expect(await Thing.countDocuments({name: 'negative'})).toBe(0);
  });
});
