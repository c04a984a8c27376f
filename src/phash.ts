import { InvalidInputError } from './errors.js';

const HEX = /^[0-9a-fA-F]+$/;
// Set bits in each hex digit's value, 0 to 15.
const NIBBLE_BITS = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];

/** Throws InvalidInputError unless `hash` is a non-empty hexadecimal string. */
export function assertPhash(hash: string): void {
  if (typeof hash !== 'string' || hash === '') throw new InvalidInputError('missing pHash value: pass two pHash values');
  if (!HEX.test(hash)) throw new InvalidInputError(`invalid pHash value "${hash}": a pHash is a hexadecimal string`);
}

/**
 * Hamming distance between two perceptual hashes given as hex strings of equal length, as returned by
 * the metadata API: 0 for the same image, small for similar ones, large for unrelated ones.
 */
export function phashDistance(first: string, second: string): number {
  assertPhash(first);
  assertPhash(second);
  if (first.length !== second.length) {
    throw new InvalidInputError(
      `unequal pHash lengths (${first.length} and ${second.length} hex digits): the two pHash values must have equal length`,
    );
  }
  let distance = 0;
  for (let i = 0; i < first.length; i++) {
    distance += NIBBLE_BITS[parseInt(first[i]!, 16) ^ parseInt(second[i]!, 16)]!;
  }
  return distance;
}
