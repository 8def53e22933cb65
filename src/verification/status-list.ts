/**
 * Decoding a status list's `encodedList` (Bitstring Status List v1.0 §2.2 / §3.2): multibase
 * base64url (`u` prefix, no padding) of a GZIP-compressed bitstring; the legacy StatusList2021
 * form has no multibase prefix. Index 0 is the left-most bit of the first byte.
 *
 * `DecodeStatusList` is the seam for the status module's decoder (src/status/bitstring.ts);
 * this local one is used until the integrator passes that one. Decompression is bounded, so a
 * small "gzip bomb" cannot take the process's memory.
 */
import {gunzip} from 'node:zlib';

/** Decodes an `encodedList` into the raw bitstring bytes; rejects when it is malformed. */
export type DecodeStatusList = (encodedList: string) => Promise<Uint8Array>;

/** The smallest list the Bitstring Status List specification allows: 16 KiB = 131,072 entries. */
export const MIN_STATUS_LIST_BITS = 131_072;
/** Largest decompressed list accepted (far beyond any real list; bounds memory). */
const MAX_DECODED_BYTES = 16 * 1024 * 1024;

/** The local decoder (multibase `u` + base64url + GZIP), bounded to 16 MiB. */
export const decodeStatusListLocally: DecodeStatusList = encodedList => {
  const base64url = encodedList.startsWith('u') ? encodedList.slice(1) : encodedList;
  if(!/^[A-Za-z0-9_-]+={0,2}$/.test(base64url)) {
    return Promise.reject(new Error('encodedList is not base64url'));
  }
  const compressed = Buffer.from(base64url, 'base64url');
  return new Promise((resolve, reject) => {
    gunzip(compressed, {maxOutputLength: MAX_DECODED_BYTES}, (error, bytes) => error ?
      reject(error) : resolve(new Uint8Array(bytes)));
  });
};

/**
 * Reads one status bit.
 *
 * @returns the bit, or undefined when the index is past the end of the list.
 */
export function readStatusBit(bits: Uint8Array, index: number): boolean | undefined {
  const byte = bits[Math.floor(index / 8)];
  return byte === undefined ? undefined : (byte & (0x80 >> (index % 8))) !== 0;
}
