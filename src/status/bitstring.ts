/**
 * The `encodedList` of a W3C Bitstring Status List v1.0 credential: the bitstring, GZIP-compressed
 * (RFC 1952), base64url without padding (RFC 4648), with the multibase prefix `u`. Index 0 is the
 * left-most bit of the first byte (`0x80`), the last index the right-most bit of the last byte.
 * The uncompressed bitstring is at least 16 KB (131,072 entries).
 *
 * Written on node:zlib rather than @digitalbazaar/bitstring (which the tests cross-check against)
 * because decoding also reads lists of other issuers: decompression is bounded here, so a small
 * "gzip bomb" cannot exhaust memory, and malformed input raises one typed error.
 */
import {gunzipSync, gzipSync} from 'node:zlib';

/** The spec's minimum list length: 16 KB of bits. */
export const STATUS_LIST_MIN_LENGTH = 131_072;
/** Largest bitstring `decodeStatusList` accepts by default: 16 MiB (134,217,728 entries). */
export const MAX_DECODED_BYTES = 16 * 1024 * 1024;

const MULTIBASE_BASE64URL = 'u';
/** base64url of the GZIP magic bytes: a list written before the multibase prefix was added. */
const UNPREFIXED_GZIP = 'H4sI';

/** An `encodedList` that cannot be decoded (not base64url, not GZIP, too large, empty). */
export class MalformedStatusList extends Error {
  readonly code = 'malformed-status-list';

  constructor(detail: string, cause?: unknown) {
    super(`Malformed status list: ${detail}`, {cause});
    this.name = 'MalformedStatusList';
  }
}

/** A decoded status list. */
export interface StatusBits {
  /** Number of entries (bits). */
  readonly length: number;
  /** Whether the bit at `index` is set. @throws RangeError outside `[0, length)`. */
  isSet(index: number): boolean;
}

function checkIndex(index: number, length: number): void {
  if(!Number.isInteger(index) || index < 0 || index >= length) {
    throw new RangeError(`Status list index ${index} is outside [0, ${length}).`);
  }
}

/**
 * Encodes a status list from the indexes whose bit is set.
 *
 * @param options.length - number of entries, a multiple of 8, at least 131,072 (the default).
 * @param options.setIndexes - the set bits (e.g. revoked credentials' indexes).
 * @returns the `encodedList` value (`u` + base64url(gzip(bits))).
 * @throws RangeError for a bad length or an index outside the list.
 */
export function encodeStatusList({length = STATUS_LIST_MIN_LENGTH, setIndexes}: {
  length?: number; setIndexes: Iterable<number>;
}): string {
  if(!Number.isInteger(length) || length < STATUS_LIST_MIN_LENGTH || length % 8 !== 0) {
    throw new RangeError(`A status list has a multiple of 8 entries, at least ${STATUS_LIST_MIN_LENGTH}.`);
  }
  const bits = new Uint8Array(length / 8);
  for(const index of setIndexes) {
    checkIndex(index, length);
    bits[index >> 3]! |= 0x80 >> (index & 7);
  }
  return MULTIBASE_BASE64URL + gzipSync(bits, {level: 9}).toString('base64url');
}

/**
 * Decodes an `encodedList` (with the multibase `u` prefix; a bare GZIP base64url value of an
 * older list is accepted too, since it cannot be mistaken for anything else).
 *
 * @param encodedList - the credential subject's `encodedList`.
 * @param options.maxBytes - refuse bitstrings larger than this once decompressed.
 * @returns the decoded bits.
 * @throws MalformedStatusList when the value cannot be decoded or is too large.
 */
export function decodeStatusList(encodedList: string, {maxBytes = MAX_DECODED_BYTES} = {}):
  StatusBits {
  if(typeof encodedList !== 'string') {
    throw new MalformedStatusList('encodedList is not a string');
  }
  const body = encodedList.startsWith(MULTIBASE_BASE64URL) ? encodedList.slice(1) :
    encodedList.startsWith(UNPREFIXED_GZIP) ? encodedList : undefined;
  if(body === undefined || !/^[A-Za-z0-9_-]+$/.test(body)) {
    throw new MalformedStatusList('expected multibase base64url ("u" followed by base64url characters)');
  }
  let bits: Uint8Array;
  try {
    bits = gunzipSync(Buffer.from(body, 'base64url'), {maxOutputLength: maxBytes});
  } catch(error) {
    const tooLarge = (error as {code?: string}).code === 'ERR_BUFFER_TOO_LARGE';
    throw new MalformedStatusList(tooLarge ? `larger than ${maxBytes} bytes uncompressed` :
      'not a GZIP stream', error);
  }
  if(bits.length === 0) {
    throw new MalformedStatusList('empty bitstring');
  }
  const length = bits.length * 8;
  return {
    length,
    isSet(index) {
      checkIndex(index, length);
      return (bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
    }
  };
}

/**
 * Tells whether the bit at `index` of an `encodedList` is set (decodes it each time; use
 * `decodeStatusList` to check several indexes).
 *
 * @returns true when set (revoked / suspended).
 * @throws MalformedStatusList for an undecodable list; RangeError for an index outside it.
 */
export function isSet(encodedList: string, index: number): boolean {
  return decodeStatusList(encodedList).isSet(index);
}
