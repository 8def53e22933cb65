import {createCheckedCanonize} from './engine.js';

const OPTIONS = {documentLoader: async () => ({})};

function library(result = 'library n-quads') {
  const calls: object[] = [];
  return {calls, canonize: async (input: object) => {
    calls.push(input);
    return result;
  }};
}

describe('createCheckedCanonize', () => {
  test('when the fast path agrees, then only every n-th document is also canonicalized by the library', async () => {
    const expected = library('same');
    const canonize = createCheckedCanonize({fast: async () => 'same', library: expected.canonize,
      crossCheckEvery: 3});
    const fallbacks: string[] = [];

    const results = [];
    for(let index = 0; index < 7; index++) {
      results.push(await canonize({index}, OPTIONS, reason => fallbacks.push(reason)));
    }

    expect(results).toEqual(Array(7).fill('same'));
    expect(expected.calls).toEqual([{index: 0}, {index: 3}, {index: 6}]);
    expect(fallbacks).toEqual([]);
  });

  test('when the fast path ever differs, then the library\'s bytes are used and the fast path is off for good', async () => {
    const expected = library('library n-quads');
    let fastCalls = 0;
    const canonize = createCheckedCanonize({library: expected.canonize, crossCheckEvery: 1,
      fast: async () => {
        fastCalls++;
        return 'wrong n-quads';
      }});
    const fallbacks: string[] = [];

    const first = await canonize({}, OPTIONS, reason => fallbacks.push(reason));
    const second = await canonize({}, OPTIONS, reason => fallbacks.push(reason));

    expect([first, second]).toEqual(['library n-quads', 'library n-quads']);
    expect(fastCalls).toBe(1);
    expect(fallbacks).toEqual(['fast canonicalization differed from the library; fast path disabled']);
  });

  test('when the fast path throws and the library succeeds, then the library\'s result is used and reported', async () => {
    const canonize = createCheckedCanonize({library: library().canonize, crossCheckEvery: 0,
      fast: async () => {
        throw new Error('internal change');
      }});
    const fallbacks: string[] = [];

    const result = await canonize({}, OPTIONS, reason => fallbacks.push(reason));

    expect(result).toBe('library n-quads');
    expect(fallbacks).toEqual(['fast canonicalization failed where the library succeeded: internal change']);
  });

  test('when both fail, then the library\'s error is thrown', async () => {
    const canonize = createCheckedCanonize({crossCheckEvery: 0, fast: async () => {
      throw new Error('fast failure');
    }, library: async () => {
      throw new Error('Safe mode validation error.');
    }});

    await expect(canonize({}, OPTIONS, () => undefined)).rejects.toThrow('Safe mode validation error.');
  });
});
