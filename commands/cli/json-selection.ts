/**
 * `--json <fields>` and `--jq <expression>`, as gh has them: just the named keys of each JSON object,
 * or the JSON filtered through a real jq (jq-wasm, loaded only when --jq is given).
 *
 * `--json` alone stays valid, so the word after it is a field list only when it cannot be anything
 * else: written as `--json=a,b`, a comma-separated list of names, or one name the command declares
 * as a field of its JSON. Anything else after `--json` is left to the command as an argument.
 */
import type { Command } from 'commander';
import { UsageError } from './errors.js';
import type { IO } from './io.js';

export interface JsonSelection {
  fields?: string[];
  jq?: string;
}

const FIELD_LIST = /^[A-Za-z_][A-Za-z0-9_]*(,[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The JSON fields a command declares, so that `--json name` and unknown names are known before it runs. */
const declaredFields = new WeakMap<Command, readonly string[]>();

export function declareJsonFields<C extends Command>(command: C, fields: readonly string[]): C {
  declaredFields.set(command, fields);
  return command;
}

/** The command that argv names below `root`: the deepest subcommand reached through its words. */
function leafCommand(root: Command, argv: readonly string[]): Command {
  let command = root;
  for (const word of argv) {
    if (word === '--') break;
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub) command = sub;
  }
  return command;
}

/**
 * Takes the field list out of argv (commander then sees a plain `--json`), checking the names
 * against the command's declared fields where it has some.
 */
export function takeJsonFields(root: Command, argv: readonly string[]): { argv: string[]; fields?: string[] } {
  const at = argv.findIndex((a) => a === '--json' || a.startsWith('--json='));
  if (at < 0) return { argv: [...argv] };
  const known = declaredFields.get(leafCommand(root, argv));
  const word = argv[at]!;
  let list: string | undefined;
  let consumed = 1;
  if (word.startsWith('--json=')) list = word.slice('--json='.length);
  else {
    const next = argv[at + 1];
    if (next !== undefined && FIELD_LIST.test(next) && (next.includes(',') || known?.includes(next))) {
      list = next;
      consumed = 2;
    }
  }
  if (list === undefined) return { argv: [...argv] };
  const fields = list.split(',').map((f) => f.trim()).filter(Boolean);
  if (fields.length === 0) throw new UsageError(`--json= needs field names${known ? `: ${known.join(', ')}` : ''}`);
  if (known) checkFields(fields, known);
  return { argv: [...argv.slice(0, at), '--json', ...argv.slice(at + consumed)], fields };
}

function checkFields(fields: readonly string[], known: readonly string[]): void {
  const unknown = fields.filter((f) => !known.includes(f));
  if (unknown.length > 0) throw new UsageError(`unknown JSON field(s) ${unknown.join(', ')}; the fields are: ${known.join(', ')}`);
}

/** Keeps just the selected keys of an object, or of each object of an array. */
export function pickFields(value: unknown, fields: readonly string[]): unknown {
  if (Array.isArray(value)) {
    // Without declared fields, the names are checked against what the data has.
    const present = new Set(value.flatMap((item) => (isObject(item) ? Object.keys(item) : [])));
    if (value.length > 0) checkFields(fields, [...present]);
    return value.map((item) => (isObject(item) ? pick(item, fields) : item));
  }
  if (isObject(value)) {
    checkFields(fields, Object.keys(value));
    return pick(value, fields);
  }
  return value;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const pick = (item: Record<string, unknown>, fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, item[f] ?? null]));

/** The text jq prints for `value`: strings raw, as gh does; indented only on a terminal. */
export async function runJq(value: unknown, expression: string, io: IO): Promise<string> {
  const { raw } = (await import('jq-wasm')) as typeof import('jq-wasm');
  // jq runs as an Emscripten program, whose exit sets process.exitCode: the command's own exit code
  // must stay the one the command decides.
  const exitCode = process.exitCode;
  try {
    return (await raw(value as object, expression, io.stdoutIsTTY ? ['-r'] : ['-r', '-c'])).replace(/\n$/, '');
  } catch (error) {
    throw new UsageError(`--jq: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    process.exitCode = exitCode;
  }
}
