import type { Command } from 'commander';
import { assertPhash, phashDistance } from '../src/phash.js';
import type { Registrar } from './cli/command.js';
import { UsageError } from './cli/errors.js';
import type { Result } from './cli/output.js';

interface Pair {
  first: string;
  second: string;
  distance: number;
}

const EXAMPLES = `
Examples:
  $ imagekit phash 2d5ad3936d2e015b 2d6ed293db36a4fb
  17
  $ imagekit phash f06830ca9f1e3e90 2d5ad3936d2e015b 2d6ed293db36a4fb --json

0 means the same image; small distances mean similar images, large ones unrelated images.
With more than two hashes, every pair is listed, most similar first.`;

export function register(program: Command, registrar: Registrar): void {
  program
    .command('phash')
    .summary('distance between perceptual hashes (pHash)')
    .description('Hamming distance between pHash values (hex strings of equal length) from the metadata API.')
    .argument('<hashes...>', 'two or more pHash hex strings')
    .option('--json', 'print JSON')
    .addHelpText('after', EXAMPLES)
    .action(registrar.action<[string[]], object>(([hashes]) => runPhash(hashes)));
}

function runPhash(hashes: string[]): Result {
  hashes.forEach(assertPhash);
  if (hashes.length < 2) throw new UsageError('pass two or more pHash values to compare');
  if (hashes.length === 2) {
    const distance = phashDistance(hashes[0]!, hashes[1]!);
    return { kind: 'text', text: String(distance), json: { first: hashes[0], second: hashes[1], distance } };
  }
  const pairs: Pair[] = [];
  for (let i = 0; i < hashes.length; i++) {
    for (let j = i + 1; j < hashes.length; j++) {
      pairs.push({ first: hashes[i]!, second: hashes[j]!, distance: phashDistance(hashes[i]!, hashes[j]!) });
    }
  }
  // Stable sort: pairs at the same distance keep the order the hashes were given in.
  pairs.sort((a, b) => a.distance - b.distance);
  return {
    kind: 'table',
    columns: [
      { header: 'first', value: (p: Pair) => p.first },
      { header: 'second', value: (p: Pair) => p.second },
      { header: 'distance', value: (p: Pair) => String(p.distance) },
    ],
    rows: pairs,
  };
}
