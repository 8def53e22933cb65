import {gunzipSync, gzipSync} from 'node:zlib';

import {createList, decodeList} from '@digitalbazaar/vc-bitstring-status-list';

import {decodeStatusList, encodeStatusList, isSet, MalformedStatusList,
  STATUS_LIST_MIN_LENGTH} from './bitstring.js';

/** The `encodedList` of the example BitstringStatusListCredential in the W3C spec (all zero). */
const SPEC_EXAMPLE = 'uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA';
const SOME_INDEXES = [0, 1, 7, 8, 94_567, 131_070, 131_071];

function setIndexesOf(encodedList: string): number[] {
  const bits = decodeStatusList(encodedList);
  return Array.from({length: bits.length}, (_, i) => i).filter(i => bits.isSet(i));
}

describe('encodeStatusList / decodeStatusList', () => {
  test('when the spec example is decoded, then it has 131,072 entries, none set', () => {
    const bits = decodeStatusList(SPEC_EXAMPLE);

    expect(bits.length).toBe(STATUS_LIST_MIN_LENGTH);
    expect(setIndexesOf(SPEC_EXAMPLE)).toEqual([]);
  });

  test('when a list of 131,072 entries is encoded and decoded, then exactly the set indexes are set', () => {
    const encoded = encodeStatusList({setIndexes: SOME_INDEXES});

    const set = setIndexesOf(encoded);

    expect(encoded.startsWith('uH4sI')).toBe(true);
    expect(set).toEqual(SOME_INDEXES);
  });

  test('when indexes 0 and 9 are set, then the bytes are 0x80 0x40 (index 0 is the left-most bit)', () => {
    const encoded = encodeStatusList({setIndexes: [0, 9]});

    const bytes = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));

    expect(bytes.length).toBe(16_384);
    expect([...bytes.subarray(0, 3)]).toEqual([0x80, 0x40, 0]);
  });

  test('when a larger list is encoded, then its length is kept', () => {
    const encoded = encodeStatusList({length: 2 * STATUS_LIST_MIN_LENGTH, setIndexes: [262_143]});

    const bits = decodeStatusList(encoded);

    expect(bits.length).toBe(262_144);
    expect(bits.isSet(262_143)).toBe(true);
  });

  test.each([
    ['shorter than the spec minimum', {length: 1024, setIndexes: []}],
    ['not a multiple of 8', {length: STATUS_LIST_MIN_LENGTH + 3, setIndexes: []}],
    ['an index past the end', {setIndexes: [STATUS_LIST_MIN_LENGTH]}],
    ['a negative index', {setIndexes: [-1]}],
    ['a fractional index', {setIndexes: [1.5]}]
  ])('when encoding a list %s, then RangeError', (_what, options) => {
    expect(() => encodeStatusList(options)).toThrow(RangeError);
  });
});

describe('isSet', () => {
  test.each([[0, true], [1, true], [2, false], [94_567, true], [94_568, false], [131_071, true]])(
    'when index %i is checked, then it is %s', (index, expected) => {
      const encoded = encodeStatusList({setIndexes: SOME_INDEXES});

      expect(isSet(encoded, index)).toBe(expected);
    });

  test.each([-1, STATUS_LIST_MIN_LENGTH, 0.5])('when the index %s is outside the list, then RangeError', index => {
    expect(() => isSet(SPEC_EXAMPLE, index)).toThrow(RangeError);
  });

  test.each([
    ['no multibase prefix and no GZIP', 'zAAAA'],
    ['characters outside base64url', 'uH4sI+/=='],
    ['an empty value', ''],
    ['only the prefix', 'u'],
    ['base64url that is not GZIP', `u${Buffer.from('not gzip at all').toString('base64url')}`],
    ['an empty bitstring', `u${gzipSync(Buffer.alloc(0)).toString('base64url')}`]
  ])('when the list has %s, then MalformedStatusList', (_what, encodedList) => {
    expect(() => isSet(encodedList, 0)).toThrow(MalformedStatusList);
  });

  test('when the list decompresses past the limit (a GZIP bomb), then MalformedStatusList', () => {
    const bomb = `u${gzipSync(Buffer.alloc(64 * 1024 * 1024)).toString('base64url')}`;

    expect(bomb.length).toBeLessThan(100_000);
    expect(() => decodeStatusList(bomb)).toThrow(/larger than/);
  });

  test('when a list has no multibase prefix (written before v1.0), then it still decodes', () => {
    expect(isSet(SPEC_EXAMPLE.slice(1), 5)).toBe(false);
  });
});

describe('cross-check with @digitalbazaar/vc-bitstring-status-list', () => {
  test('when the library encodes a list, then we read the same bits', async () => {
    const list = await createList({length: STATUS_LIST_MIN_LENGTH});
    SOME_INDEXES.forEach(index => list.setStatus(index, true));

    const encoded = await list.encode();

    expect(setIndexesOf(encoded)).toEqual(SOME_INDEXES);
  });

  test('when we encode a list, then the library reads the same bits', async () => {
    const encoded = encodeStatusList({setIndexes: SOME_INDEXES});

    const list = await decodeList({encodedList: encoded});

    expect(list.length).toBe(STATUS_LIST_MIN_LENGTH);
    const set = Array.from({length: list.length}, (_, i) => i).filter(i => list.getStatus(i));
    expect(set).toEqual(SOME_INDEXES);
  });

  test('when the library decodes the spec example, then it agrees with us', async () => {
    const list = await decodeList({encodedList: SPEC_EXAMPLE});

    expect(list.length).toBe(decodeStatusList(SPEC_EXAMPLE).length);
  });
});
