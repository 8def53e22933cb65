import {jest} from '@jest/globals';
import type {Request} from 'express';
import {Types} from 'mongoose';

import {uniqueDatabaseName} from '../../test/support/test-app.js';
import {connectDatabase, type Connection, ensureIndexes} from './db.js';
import {AppError} from './errors.js';
import {createIdempotency, hashRequest, IdempotencyInProgress, IdempotencyKeyReused,
  idempotencyScopeOf, type IdempotentResponse} from './idempotency.js';
import {idempotencyModels} from './idempotency-model.js';

const HOUR = 60 * 60 * 1000;
let db: Connection;

beforeAll(async () => {
  db = await connectDatabase({uri: process.env.CARECRED_TEST_MONGODB_URI!, dbName: uniqueDatabaseName('idem')});
  idempotencyModels(db);
  await ensureIndexes(db);
});
afterAll(async () => {
  await db.dropDatabase().catch(() => undefined);
  await db.close();
});

function aScope(overrides: Partial<{orgId: string; key: string; requestHash: string}> = {}) {
  return {
    orgId: new Types.ObjectId().toHexString(), key: `key-${new Types.ObjectId().toHexString()}`,
    requestHash: hashRequest({method: 'POST', path: '/v1/achievements', body: {unitId: 'u1'}}),
    ...overrides
  };
}

/** An operation that counts its runs and answers 201 with a body. */
function aCountingRun(body: unknown = {id: 'a1', credentials: []}) {
  const run = jest.fn(async (): Promise<IdempotentResponse> => ({status: 201, body}));
  return run;
}

/** A service whose clock can be moved. */
function aService({leaseMs, retentionMs}: {leaseMs?: number; retentionMs?: number} = {}) {
  let offset = 0;
  const service = createIdempotency({models: idempotencyModels(db), leaseMs, retentionMs,
    clock: () => new Date(Date.now() + offset)});
  return {service, advance: (ms: number) => {
    offset += ms;
  }};
}

describe('withIdempotency', () => {
  test('when no key is given, then the operation runs every time', async () => {
    const {service} = aService();
    const run = aCountingRun();

    await service.withIdempotency(undefined, run);
    await service.withIdempotency(undefined, run);

    expect(run).toHaveBeenCalledTimes(2);
  });

  test('when the same key and body come again, then the stored answer is replayed and nothing runs', async () => {
    const {service} = aService();
    const scope = aScope();
    const run = aCountingRun({id: 'a1', nested: {'$odd': 1, 'dotted.key': [1, 2]}});

    const first = await service.withIdempotency(scope, run);
    const second = await service.withIdempotency(scope, run);

    expect(run).toHaveBeenCalledTimes(1);
    expect(first).toEqual({status: 201, body: {id: 'a1', nested: {'$odd': 1, 'dotted.key': [1, 2]}}, replayed: false});
    expect(second).toEqual({...first, replayed: true});
    const record = await db.collection('idempotency').findOne({key: scope.key});
    const answer = await db.collection('idempotencyresponses').findOne({_id: record!._id});
    expect(answer).toMatchObject({status: 201, response: JSON.stringify(first.body)});
  });

  test('when a record holds its answer itself (stored before answers had their own collection), then it is replayed', async () => {
    const {service} = aService();
    const scope = aScope();
    await db.collection('idempotency').insertOne({
      orgId: new Types.ObjectId(scope.orgId), key: scope.key, requestHash: scope.requestHash, state: 'done',
      status: 201, response: '{"id":"old"}', operationId: new Types.ObjectId(), createdAt: new Date(),
      expiresAt: new Date(Date.now() + HOUR)
    });
    const run = aCountingRun();

    const replayed = await service.withIdempotency(scope, run);

    expect(run).not.toHaveBeenCalled();
    expect(replayed).toEqual({status: 201, body: {id: 'old'}, replayed: true});
  });

  test('when the same key comes with another body, then 422 idempotency-key-reused and nothing runs', async () => {
    const {service} = aService();
    const scope = aScope();
    await service.withIdempotency(scope, aCountingRun());
    const run = aCountingRun();

    const attempt = service.withIdempotency({...scope, requestHash: 'another'}, run);

    await expect(attempt).rejects.toBeInstanceOf(IdempotencyKeyReused);
    await expect(attempt).rejects.toMatchObject({status: 422, code: 'idempotency-key-reused'});
    expect(run).not.toHaveBeenCalled();
  });

  test('when 20 requests with one key arrive at once, then the operation runs once and the others get its answer or 409', async () => {
    const {service} = aService();
    const scope = aScope();
    let release!: () => void;
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    const run = jest.fn(async (): Promise<IdempotentResponse> => {
      await gate;
      return {status: 201, body: {id: 'once'}};
    });

    const attempts = Array.from({length: 20}, () => service.withIdempotency(scope, run));
    await new Promise(resolve => setTimeout(resolve, 200));
    release();
    const outcomes = await Promise.allSettled(attempts);

    expect(run).toHaveBeenCalledTimes(1);
    const answered = outcomes.filter(outcome => outcome.status === 'fulfilled');
    const refused = outcomes.filter(outcome => outcome.status === 'rejected');
    expect(answered.length + refused.length).toBe(20);
    expect(answered.every(outcome => outcome.value.body !== undefined &&
      (outcome.value.body as {id: string}).id === 'once')).toBe(true);
    expect(refused.every(outcome => outcome.reason instanceof IdempotencyInProgress)).toBe(true);
    const retry = await service.withIdempotency(scope, run);
    expect(retry).toMatchObject({status: 201, body: {id: 'once'}, replayed: true});
    expect(run).toHaveBeenCalledTimes(1);
  });

  test('when the operation fails, then the key is released and a retry runs it again', async () => {
    const {service} = aService();
    const scope = aScope();
    const failing = jest.fn(async (): Promise<IdempotentResponse> => {
      throw new Error('signing failed');
    });
    const run = aCountingRun();

    await expect(service.withIdempotency(scope, failing)).rejects.toThrow('signing failed');
    const retried = await service.withIdempotency(scope, run);

    expect(run).toHaveBeenCalledTimes(1);
    expect(retried.replayed).toBe(false);
  });

  test('when the operation fails part-way, then a retry runs it again with the same operationId', async () => {
    const {service} = aService();
    const scope = aScope();
    const operationIds: string[] = [];
    const run = jest.fn(async ({operationId}: {operationId: string}): Promise<IdempotentResponse> => {
      operationIds.push(operationId);
      if(operationIds.length === 1) {
        throw new AppError('profile-not-applicable', 422, 'Profile not applicable');
      }
      return {status: 201, body: {ok: true}};
    });

    await expect(service.withIdempotency(scope, run)).rejects.toMatchObject({status: 422});
    const retried = await service.withIdempotency(scope, run);

    expect(retried).toMatchObject({status: 201, replayed: false});
    expect(operationIds).toHaveLength(2);
    expect(operationIds[1]).toBe(operationIds[0]);
  });

  test('when the stored record has expired, then it is treated as absent and the operation runs again', async () => {
    const {service, advance} = aService({retentionMs: HOUR});
    const scope = aScope();
    const run = aCountingRun();
    await service.withIdempotency(scope, run);

    advance(HOUR + 1000);
    const again = await service.withIdempotency(scope, run);

    expect(run).toHaveBeenCalledTimes(2);
    expect(again.replayed).toBe(false);
  });

  test('when an attempt died mid-request, then a retry after the lease takes it over with the same operationId', async () => {
    const {service, advance} = aService({leaseMs: 5000});
    const scope = aScope();
    const operationIds: string[] = [];
    const run = jest.fn(async ({operationId}: {operationId: string}): Promise<IdempotentResponse> => {
      operationIds.push(operationId);
      return {status: 201, body: {ok: true}};
    });
    const crashed = new Types.ObjectId();
    await db.collection('idempotency').insertOne({
      orgId: new Types.ObjectId(scope.orgId), key: scope.key, requestHash: scope.requestHash,
      state: 'in-progress', owner: 'dead-process', leaseUntil: new Date(Date.now() + 5000),
      operationId: crashed, createdAt: new Date(), expiresAt: new Date(Date.now() + HOUR)
    });

    const duringLease = service.withIdempotency(scope, run);
    await expect(duringLease).rejects.toBeInstanceOf(IdempotencyInProgress);
    advance(6000);
    const afterLease = await service.withIdempotency(scope, run);

    expect(afterLease).toMatchObject({status: 201, replayed: false});
    expect(operationIds).toEqual([crashed.toHexString()]);
  });

  test('when 20 retries race to take over a dead attempt, then the operation runs once', async () => {
    const {service} = aService();
    const scope = aScope();
    await db.collection('idempotency').insertOne({
      orgId: new Types.ObjectId(scope.orgId), key: scope.key, requestHash: scope.requestHash,
      state: 'in-progress', owner: 'dead-process', leaseUntil: new Date(Date.now() - 1000),
      operationId: new Types.ObjectId(), createdAt: new Date(), expiresAt: new Date(Date.now() + HOUR)
    });
    const run = jest.fn(async (): Promise<IdempotentResponse> => {
      await new Promise(resolve => setTimeout(resolve, 100));
      return {status: 201, body: {ok: true}};
    });

    await Promise.allSettled(Array.from({length: 20}, () => service.withIdempotency(scope, run)));

    expect(run).toHaveBeenCalledTimes(1);
  });

  test('when two organisations use the same key, then each has its own record', async () => {
    const {service} = aService();
    const key = 'shared-key';
    const run = aCountingRun();

    await service.withIdempotency(aScope({key}), run);
    await service.withIdempotency(aScope({key}), run);

    expect(run).toHaveBeenCalledTimes(2);
  });
});

describe('sweepExpired', () => {
  test('when records have expired, then the sweep deletes them and keeps the others', async () => {
    const {service, advance} = aService({retentionMs: HOUR});
    const old = aScope();
    await service.withIdempotency(old, aCountingRun());
    advance(HOUR + 1000);
    const fresh = aScope();
    await service.withIdempotency(fresh, aCountingRun());
    const [oldId, freshId] = await Promise.all([old, fresh].map(async scope =>
      (await db.collection('idempotency').findOne({key: scope.key}))!._id));

    await service.sweepExpired();

    expect(await db.collection('idempotency').countDocuments({key: old.key})).toBe(0);
    expect(await db.collection('idempotency').countDocuments({key: fresh.key})).toBe(1);
    expect(await db.collection('idempotencyresponses').countDocuments({_id: oldId})).toBe(0);
    expect(await db.collection('idempotencyresponses').countDocuments({_id: freshId})).toBe(1);
  });
});

describe('idempotencyScopeOf', () => {
  function aRequest(key: string | undefined, body: unknown = {a: 1, b: [1, 2]}): Request {
    return {method: 'POST', originalUrl: '/v1/achievements', body,
      get: (name: string) => name.toLowerCase() === 'idempotency-key' ? key : undefined} as unknown as Request;
  }

  test('when the header is absent, then there is no scope', () => {
    expect(idempotencyScopeOf(aRequest(undefined), 'org')).toBeUndefined();
  });

  test('when the same body comes with its keys in another order, then the hash is the same', () => {
    const first = idempotencyScopeOf(aRequest('k1', {a: 1, b: [1, 2]}), 'org');
    const second = idempotencyScopeOf(aRequest('k1', {b: [1, 2], a: 1}), 'org');

    expect(second).toEqual(first);
    expect(first?.requestHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('when method, path or body differ, then the hash differs', () => {
    const base = {method: 'POST', path: '/v1/achievements', body: {a: 1}};

    const hashes = [base, {...base, method: 'PUT'}, {...base, path: '/v1/imports'}, {...base, body: {a: 2}}]
      .map(hashRequest);

    expect(new Set(hashes).size).toBe(4);
  });

  test.each([['empty', ''], ['too long', 'k'.repeat(256)], ['non-ASCII', 'clé'], ['a control character', 'a\tb']])(
    'when the key is %s, then 400 names the header', (_what, key) => {
      let error: unknown;
      try {
        idempotencyScopeOf(aRequest(key), 'org');
      } catch(caught) {
        error = caught;
      }

      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({status: 400, extensions: {errors: [{pointer: '/header/idempotency-key'}]}});
    });
});
