import {Types} from 'mongoose';

import {uniqueDatabaseName} from '../../test/support/test-app.js';
import {connectDatabase, type Connection, ensureIndexes} from '../platform/db.js';
import {createStatusAllocator, type StatusIndex} from './allocation.js';
import {statusModels} from './model.js';

const dbName = uniqueDatabaseName('status');
let first: Connection;
let second: Connection;

async function connect(): Promise<Connection> {
  const db = await connectDatabase({uri: process.env.CARECRED_TEST_MONGODB_URI!, dbName});
  statusModels(db);
  await ensureIndexes(db);
  return db;
}

/** Two allocators on two connections: what two carecred processes sharing a database do. */
function twoProcesses(size?: number) {
  return [first, second].map(db => createStatusAllocator({models: statusModels(db), size}));
}

function keyOf({listId, index}: StatusIndex): string {
  return `${listId}:${index}`;
}

beforeAll(async () => {
  first = await connect();
  second = await connect();
});
afterAll(async () => {
  await first.dropDatabase().catch(() => undefined);
  await Promise.all([first.close(), second.close()]);
});

describe('allocateStatusIndex', () => {
  test('when 2,000 allocations run at once from two processes, then every (list, index) is distinct', async () => {
    const orgId = new Types.ObjectId().toHexString();
    const allocators = twoProcesses();

    const results = await Promise.all(Array.from({length: 2000}, (_, i) =>
      allocators[i % 2]!.allocateStatusIndex({orgId, purpose: 'revocation'})));

    expect(new Set(results.map(keyOf)).size).toBe(2000);
    expect(results.every(({listId, index}) => listId === 1 && index >= 0 && index < 131_072)).toBe(true);
    const list = await first.collection('statuslists').findOne({orgId: new Types.ObjectId(orgId)});
    const claims = await first.collection('statusallocations').countDocuments({list: list?._id});
    expect(claims).toBe(2000);
  });

  test('when small lists fill up under concurrency, then they roll over exactly when full, without gaps or duplicates', async () => {
    const orgId = new Types.ObjectId().toHexString();
    const size = 37;
    const allocators = twoProcesses(size);

    const results = await Promise.all(Array.from({length: 4 * size}, (_, i) =>
      allocators[i % 2]!.allocateStatusIndex({orgId, purpose: 'suspension'})));

    expect(new Set(results.map(keyOf)).size).toBe(4 * size);
    for(const listId of [1, 2, 3, 4]) {
      const indexes = results.filter(result => result.listId === listId).map(result => result.index);
      expect(indexes.sort((a, b) => a - b)).toEqual(Array.from({length: size}, (_, i) => i));
    }
    const lists = await first.collection('statuslists').find({orgId: new Types.ObjectId(orgId)})
      .sort({listId: 1}).toArray();
    expect(lists.map(list => list.listId)).toEqual([1, 2, 3, 4]);
    for(const list of lists) {
      const claims = await first.collection('statusallocations').find({list: list._id}).toArray();
      expect(claims.map(claim => claim.position).sort((a, b) => a - b))
        .toEqual(Array.from({length: size}, (_, i) => i));
    }
  });

  test('when a list has room left, then no new list is opened', async () => {
    const orgId = new Types.ObjectId().toHexString();
    const allocators = twoProcesses(10);

    await Promise.all(Array.from({length: 15}, (_, i) =>
      allocators[i % 2]!.allocateStatusIndex({orgId, purpose: 'revocation'})));

    const lists = await first.collection('statuslists').find({orgId: new Types.ObjectId(orgId)})
      .sort({listId: 1}).toArray();
    expect(lists.map(list => list.listId)).toEqual([1, 2]);
    const claims = await first.collection('statusallocations').find({list: lists[1]!._id}).toArray();
    expect(claims.map(claim => claim.position).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
  });

  test('when the counter falls behind (a lost update on FerretDB), then no index is handed out twice', async () => {
    const orgId = new Types.ObjectId().toHexString();
    const [allocator] = twoProcesses(100);
    const before = await Promise.all(Array.from({length: 10}, () =>
      allocator!.allocateStatusIndex({orgId, purpose: 'revocation'})));
    await first.collection('statuslists').updateOne({orgId: new Types.ObjectId(orgId)}, {$set: {counter: 3}});

    const after = await Promise.all(Array.from({length: 10}, () =>
      allocator!.allocateStatusIndex({orgId, purpose: 'revocation'})));

    expect(new Set([...before, ...after].map(keyOf)).size).toBe(20);
  });

  test('when purposes or organisations differ, then they have lists of their own', async () => {
    const [allocator] = twoProcesses();
    const orgA = new Types.ObjectId().toHexString();
    const orgB = new Types.ObjectId().toHexString();

    await allocator!.allocateStatusIndex({orgId: orgA, purpose: 'revocation'});
    await allocator!.allocateStatusIndex({orgId: orgA, purpose: 'suspension'});
    await allocator!.allocateStatusIndex({orgId: orgB, purpose: 'revocation'});

    const lists = await first.collection('statuslists')
      .find({orgId: {$in: [orgA, orgB].map(id => new Types.ObjectId(id))}}).toArray();
    expect(lists).toHaveLength(3);
    expect(lists.every(list => list.listId === 1 && list.counter === 1)).toBe(true);
  });

  test('when an index is allocated, then the result holds only listId and index (never the seed)', async () => {
    const [allocator] = twoProcesses();
    const orgId = new Types.ObjectId().toHexString();

    const result = await allocator!.allocateStatusIndex({orgId, purpose: 'revocation'});

    expect(Object.keys(result).sort()).toEqual(['index', 'listId']);
    const stored = await first.collection('statuslists').findOne({orgId: new Types.ObjectId(orgId)});
    expect(stored?.seed).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const viaModel = await statusModels(first).StatusList.findOne({orgId}).lean();
    expect(viaModel).not.toHaveProperty('seed');
  });

  test('when two processes allocate with a reserve, then every index is distinct and few stay unused', async () => {
    const orgId = new Types.ObjectId().toHexString();
    const allocators = [first, second].map(db =>
      createStatusAllocator({models: statusModels(db), reserve: 16}));

    const results = await Promise.all(Array.from({length: 500}, (_, i) =>
      allocators[i % 2]!.allocateStatusIndex({orgId, purpose: 'revocation'})));

    expect(new Set(results.map(keyOf)).size).toBe(500);
    const list = await first.collection('statuslists').findOne({orgId: new Types.ObjectId(orgId)});
    const claims = await first.collection('statusallocations').countDocuments({list: list?._id});
    expect(claims).toBeGreaterThanOrEqual(500);
    expect(claims).toBeLessThanOrEqual(500 + 2 * 16);
  });

  test('when a reserve is left, then the next callers are served from it without taking positions', async () => {
    const orgId = new Types.ObjectId().toHexString();
    const allocator = createStatusAllocator({models: statusModels(first), reserve: 8});
    const counter = async () => (await first.collection('statuslists')
      .findOne({orgId: new Types.ObjectId(orgId)}))?.counter;

    const firstNine = [];
    for(let i = 0; i < 9; i++) {
      firstNine.push(await allocator.allocateStatusIndex({orgId, purpose: 'suspension'}));
    }
    const afterNine = await counter();
    const tenth = await allocator.allocateStatusIndex({orgId, purpose: 'suspension'});

    expect(afterNine).toBe(9);
    expect(await counter()).toBe(18);
    expect(new Set([...firstNine, tenth].map(keyOf)).size).toBe(10);
  });

  test.each([
    ['an unknown purpose', {orgId: new Types.ObjectId().toHexString(), purpose: 'refresh'}],
    ['a bad organisation id', {orgId: 'nope', purpose: 'revocation'}]
  ])('when called with %s, then TypeError', async (_what, options) => {
    const [allocator] = twoProcesses();

    await expect(allocator!.allocateStatusIndex(options as never)).rejects.toThrow(TypeError);
  });
});
