import {randomBytes} from 'node:crypto';

import {createIndexPermutation} from './permutation.js';

const STATUS_LIST_SIZE = 131_072;

function aSeed(fill?: number): Uint8Array {
  return fill === undefined ? randomBytes(32) : new Uint8Array(32).fill(fill);
}

/** Applies the permutation to every counter and checks that every image is in range. */
function expectBijection(size: number, seed: Uint8Array): number[] {
  const permutation = createIndexPermutation({seed, size});
  const images = Array.from({length: size}, (_, counter) => permutation.permute(counter));
  expect(images.every(index => Number.isInteger(index) && index >= 0 && index < size)).toBe(true);
  return images;
}

describe('createIndexPermutation', () => {
  test('when applied to all 131,072 counters of a status list, then every index appears exactly once', () => {
    const seed = aSeed(7);

    const images = expectBijection(STATUS_LIST_SIZE, seed);

    expect(new Set(images).size).toBe(STATUS_LIST_SIZE);
  });

  test.each([1, 2, 3, 5, 7, 100, 1000, 1023, 1025, 4097, 65_537])(
    'when the size is %i (not only powers of two), then it is a bijection on [0, size) for several seeds',
    size => {
      for(const fill of [0, 1, 255]) {
        expect(new Set(expectBijection(size, aSeed(fill))).size).toBe(size);
      }
    });

  test.each([2, 1000, 4097, STATUS_LIST_SIZE])('when inverted, then invert(permute(n)) = n (size %i)', size => {
    const permutation = createIndexPermutation({seed: aSeed(), size});
    const counters = Array.from({length: Math.min(size, 2000)}, (_, i) => Math.floor(i * size / 2000));

    const roundTripped = counters.map(counter => permutation.invert(permutation.permute(counter)));

    expect(roundTripped).toEqual(counters);
  });

  test('when the seed is the same, then the order is the same (deterministic across instances)', () => {
    const seed = aSeed();

    const first = createIndexPermutation({seed, size: STATUS_LIST_SIZE});
    const second = createIndexPermutation({seed: Uint8Array.from(seed), size: STATUS_LIST_SIZE});

    const counters = Array.from({length: 100}, (_, i) => i * 1000);
    expect(counters.map(second.permute)).toEqual(counters.map(first.permute));
  });

  // Pinned: changing the algorithm would make existing lists hand out indexes already used.
  test.each([
    [131_072, [0, 1, 2, 3, 4, 131_071], [68_979, 65_602, 46, 62_971, 57_112, 83_754]],
    [1000, [0, 1, 2, 3, 4, 999], [814, 772, 181, 263, 961, 705]]
  ])('when the seed is fixed, then the order of size %i is the pinned one', (size, counters, expected) => {
    const permutation = createIndexPermutation({seed: aSeed(7), size});

    expect(counters.map(counter => permutation.permute(counter))).toEqual(expected);
  });

  test('when the seeds differ, then the orders differ', () => {
    const orders = [aSeed(1), aSeed(2), aSeed()].map(seed => {
      const permutation = createIndexPermutation({seed, size: STATUS_LIST_SIZE});
      return Array.from({length: 50}, (_, i) => permutation.permute(i)).join(',');
    });

    expect(new Set(orders).size).toBe(3);
  });

  test('when counters are consecutive, then indexes do not reveal the order (not monotonic, spread over the list)', () => {
    const permutation = createIndexPermutation({seed: aSeed(), size: STATUS_LIST_SIZE});

    const indexes = Array.from({length: 1000}, (_, i) => permutation.permute(i));

    const ascending = indexes.filter((index, i) => i > 0 && index > indexes[i - 1]!).length;
    expect(ascending).toBeGreaterThan(400);
    expect(ascending).toBeLessThan(600);
    const quarters = [0, 1, 2, 3].map(quarter =>
      indexes.filter(index => Math.floor(index / (STATUS_LIST_SIZE / 4)) === quarter).length);
    for(const count of quarters) {
      expect(count).toBeGreaterThan(180);
    }
  });

  test.each([
    ['a short seed', {seed: new Uint8Array(8), size: 10}],
    ['a zero size', {seed: new Uint8Array(32), size: 0}],
    ['a fractional size', {seed: new Uint8Array(32), size: 10.5}],
    ['a size above 2^32', {seed: new Uint8Array(32), size: 2 ** 32 + 1}]
  ])('when created with %s, then TypeError', (_what, options) => {
    expect(() => createIndexPermutation(options)).toThrow(TypeError);
  });

  test.each([-1, 10, 1.5, Number.NaN])('when the counter is %s for size 10, then RangeError', counter => {
    const permutation = createIndexPermutation({seed: aSeed(), size: 10});

    expect(() => permutation.permute(counter)).toThrow(RangeError);
    expect(() => permutation.invert(counter)).toThrow(RangeError);
  });
});
