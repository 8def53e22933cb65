import {setTimeout as sleep} from 'node:timers/promises';

import {createHotReads} from './hot-reads.js';

/** A lookup that counts its calls and answers from `values` (or fails while `failing`). */
function aLookup(values: Record<string, {name: string}>) {
  const calls: string[] = [];
  const lookup = {
    failing: false,
    calls,
    load: async (key: string) => {
      calls.push(key);
      await sleep(5);
      if(lookup.failing) {
        throw new Error('database away');
      }
      return values[key];
    }
  };
  return lookup;
}

describe('createHotReads', () => {
  test('when a value is read again within the TTL, then it is loaded once, also by concurrent reads', async () => {
    const lookup = aLookup({a: {name: 'A'}});
    const reads = createHotReads(lookup.load, 1000);

    const answers = await Promise.all([reads.get('a'), reads.get('a'), reads.get('a')]);
    const again = await reads.get('a');

    expect(answers).toEqual([{name: 'A'}, {name: 'A'}, {name: 'A'}]);
    expect(again).toEqual({name: 'A'});
    expect(lookup.calls).toEqual(['a']);
  });

  test('when the TTL has passed, then the value is loaded again', async () => {
    const values = {a: {name: 'A'}};
    const lookup = aLookup(values);
    const reads = createHotReads(lookup.load, 30);
    await reads.get('a');
    values.a = {name: 'A2'};

    await sleep(60);

    expect(await reads.get('a')).toEqual({name: 'A2'});
    expect(lookup.calls).toEqual(['a', 'a']);
  });

  test('when a key is forgotten or the cache cleared, then the next read loads again', async () => {
    const lookup = aLookup({a: {name: 'A'}, b: {name: 'B'}});
    const reads = createHotReads(lookup.load, 60_000);
    await Promise.all([reads.get('a'), reads.get('b')]);

    reads.forget('a');
    await Promise.all([reads.get('a'), reads.get('b')]);
    reads.clear();
    await reads.get('b');

    expect(lookup.calls).toEqual(['a', 'b', 'a', 'b']);
  });

  test('when a key is forgotten while it loads, then the read in flight still gets its value and the next read loads again',
    async () => {
      const lookup = aLookup({a: {name: 'A'}});
      const reads = createHotReads(lookup.load, 60_000);

      const inFlight = reads.get('a');
      reads.forget('a');
      const next = await reads.get('a');

      expect(await inFlight).toEqual({name: 'A'});
      expect(next).toEqual({name: 'A'});
      expect(lookup.calls).toEqual(['a', 'a']);
    });

  test('when nothing is found, then nothing is kept (a new value is seen at once)', async () => {
    const values: Record<string, {name: string}> = {};
    const lookup = aLookup(values);
    const reads = createHotReads(lookup.load, 60_000);

    expect(await reads.get('new')).toBeUndefined();
    values.new = {name: 'New'};

    expect(await reads.get('new')).toEqual({name: 'New'});
    expect(lookup.calls).toEqual(['new', 'new']);
  });

  test('when the load fails, then the failure reaches the caller and is not kept', async () => {
    const lookup = aLookup({a: {name: 'A'}});
    const reads = createHotReads(lookup.load, 60_000);
    lookup.failing = true;

    await expect(reads.get('a')).rejects.toThrow('database away');
    lookup.failing = false;

    expect(await reads.get('a')).toEqual({name: 'A'});
    expect(lookup.calls).toEqual(['a', 'a']);
  });

  test('when the TTL is 0, then every read loads', async () => {
    const lookup = aLookup({a: {name: 'A'}});
    const reads = createHotReads(lookup.load, 0);

    await reads.get('a');
    await reads.get('a');

    expect(lookup.calls).toEqual(['a', 'a']);
  });
});
