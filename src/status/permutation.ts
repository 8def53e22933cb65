/**
 * A keyed pseudo-random permutation of `[0, size)`: the status index of the n-th credential of a
 * list is `permute(n)`, so indexes look random (a list does not reveal issuance order, and
 * neighbouring indexes do not belong to credentials issued one after the other) while staying
 * unique without any lookup or retry against the database.
 *
 * Construction: a Feistel network over the `bits = ceil(log2(size))` bits of the value, in the
 * numeric (FF1-style) form that also works for an odd number of bits: the value is split into a
 * left part of `u = floor(bits / 2)` bits and a right part of `v = bits - u` bits, and each round
 * adds (mod 2^m) a keyed round function of one part to the other, alternating m = u, v. The round
 * function is HMAC-SHA256 under the list's secret seed, over (domain, size, round, value). Each
 * round is invertible, so the network is a bijection on `[0, 2^bits)`. For a size that is not a
 * power of two, cycle-walking (apply again while the result is `>= size`) restricts it to a
 * bijection on `[0, size)`; the walk ends because the cycle through any start value in range
 * contains that value, and takes fewer than 2 steps on average since `2^bits < 2 * size`.
 *
 * Not a cipher with a security proof for this use: it hides issuance order from anyone without
 * the seed, which is all that status lists need. The seed must stay on the server.
 */
import {createHmac, createSecretKey, type KeyObject} from 'node:crypto';

/** Rounds of the network; FF1 uses 10, far more than Luby–Rackoff's 4 for a PRP. */
const ROUNDS = 10;
/** Largest supported size (values stay safe integers; status lists are far smaller). */
export const MAX_PERMUTATION_SIZE = 2 ** 32;
const DOMAIN = 'carecred/status-index-permutation/v1';

/** A bijection on `[0, size)`. */
export interface IndexPermutation {
  readonly size: number;
  /** The index for a counter value in `[0, size)`. */
  permute(counter: number): number;
  /** The counter value that maps to an index (the inverse of `permute`). */
  invert(index: number): number;
}

/**
 * The keyed round function F(round, value) mod modulus, memoised per round: a round has at most
 * `inputs` (<= 2^16) distinct inputs, so after warm-up a permutation costs table lookups only.
 */
function roundFunction({key, size, inputs}: {key: KeyObject; size: number; inputs: number}) {
  const message = Buffer.alloc(DOMAIN.length + 13);
  message.write(DOMAIN, 0, 'latin1');
  message.writeDoubleBE(size, DOMAIN.length);
  const memo: Float64Array[] = [];
  return (round: number, value: number, modulus: number): number => {
    const table = memo[round] ??= new Float64Array(inputs).fill(-1);
    const known = table[value]!;
    if(known >= 0) {
      return known;
    }
    message.writeUInt8(round, DOMAIN.length + 8);
    message.writeUInt32BE(value, DOMAIN.length + 9);
    const digest = createHmac('sha256', key).update(message).digest();
    // 48 bits of the digest: the modulo bias for a modulus <= 2^16 is below 2^-32.
    const result = digest.readUIntBE(0, 6) % modulus;
    table[value] = result;
    return result;
  };
}

function checkValue(value: number, size: number, name: string): void {
  if(!Number.isInteger(value) || value < 0 || value >= size) {
    throw new RangeError(`"${name}" must be an integer in [0, ${size}); got ${value}.`);
  }
}

/**
 * Creates the keyed permutation of `[0, size)` for a list.
 *
 * @param options.seed - the list's secret seed (at least 16 bytes).
 * @param options.size - the list size (1 ..= 2^32).
 * @returns the permutation and its inverse.
 * @throws TypeError for a short seed or a size out of range.
 */
export function createIndexPermutation({seed, size}: {seed: Uint8Array; size: number}):
  IndexPermutation {
  if(!(seed instanceof Uint8Array) || seed.length < 16) {
    throw new TypeError('"seed" must be a Uint8Array of at least 16 bytes.');
  }
  if(!Number.isInteger(size) || size < 1 || size > MAX_PERMUTATION_SIZE) {
    throw new TypeError(`"size" must be an integer in [1, ${MAX_PERMUTATION_SIZE}].`);
  }
  const bits = Math.ceil(Math.log2(size));
  const u = Math.floor(bits / 2);
  const leftModulus = 2 ** u;
  const rightModulus = 2 ** (bits - u);
  const round = roundFunction({key: createSecretKey(Buffer.from(seed)), size, inputs: rightModulus});

  function encrypt(value: number): number {
    let a = Math.floor(value / rightModulus);
    let b = value % rightModulus;
    for(let i = 0; i < ROUNDS; i++) {
      const modulus = i % 2 === 0 ? leftModulus : rightModulus;
      const c = (a + round(i, b, modulus)) % modulus;
      a = b;
      b = c;
    }
    return a * rightModulus + b;
  }

  function decrypt(value: number): number {
    let a = Math.floor(value / rightModulus);
    let b = value % rightModulus;
    for(let i = ROUNDS - 1; i >= 0; i--) {
      const modulus = i % 2 === 0 ? leftModulus : rightModulus;
      const previousA = (b - round(i, a, modulus) % modulus + modulus) % modulus;
      b = a;
      a = previousA;
    }
    return a * rightModulus + b;
  }

  function walk(value: number, step: (value: number) => number): number {
    let result = step(value);
    while(result >= size) {
      result = step(result);
    }
    return result;
  }

  return {
    size,
    permute(counter) {
      checkValue(counter, size, 'counter');
      return walk(counter, encrypt);
    },
    invert(index) {
      checkValue(index, size, 'index');
      return walk(index, decrypt);
    }
  };
}
