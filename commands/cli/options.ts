/**
 * Options declared once, as data, so that they serve both commander (help, usage errors) and the
 * fast path that runs `imagekit url` without loading commander at all.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Command } from 'commander';
import { UsageError } from './errors.js';
import { MAX_RETRIES, MAX_TIMEOUT_MS } from '../../src/limits.js';
import { parseInteger, parsePositiveSeconds } from './flags.js';

export interface OptionSpec {
  /** Commander's syntax: `-t, --transform <step>`, `--signed`, `--no-color`. */
  flags: string;
  description: string;
  /** Turns the text into the option's value; throws UsageError for a bad one. */
  parse?: (value: string) => unknown;
  repeatable?: boolean;
  choices?: readonly string[];
}

/** Options of the root program, understood before or after the command name. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { flags: '--config <file>', description: 'read settings from this file instead of searching for .imagekitrc' },
  { flags: '--profile <name>', description: 'use this profile of the config file (env IMAGEKIT_PROFILE)' },
  { flags: '--endpoint <url>', description: 'URL endpoint, e.g. https://ik.imagekit.io/your_id (env IMAGEKIT_URL_ENDPOINT)' },
  { flags: '--public-key <key>', description: 'public API key (env IMAGEKIT_PUBLIC_KEY)' },
  { flags: '--base-url <url>', description: 'API host (env IMAGEKIT_BASE_URL)' },
  { flags: '--upload-base-url <url>', description: 'upload host (env IMAGEKIT_UPLOAD_BASE_URL)' },
  { flags: '--retries <n>', description: 'retries of a failed API call: network errors, 408, 429, 5xx (default 4)', parse: parseInteger('--retries', { min: 0, max: MAX_RETRIES }) },
  { flags: '--timeout <seconds>', description: 'timeout of each API call (default 60)', parse: parsePositiveSeconds('--timeout', MAX_TIMEOUT_MS / 1000) },
  { flags: '--jq <expression>', description: 'filter the JSON output through jq, e.g. \'.[].url\' (implies --json)' },
  { flags: '--no-color', description: 'no colour in output (also NO_COLOR)' },
  { flags: '--verbose', description: 'say more on stderr, such as each retry' },
  { flags: '--quiet', description: 'no summary lines on stderr (errors are still shown)' },
];

interface ParsedFlags {
  short?: string;
  long: string;
  /** The key in the parsed options, as commander names it: `--expire-at` is `expireAt`. */
  key: string;
  takesValue: boolean;
  negated: boolean;
}

function parseFlags(flags: string): ParsedFlags {
  const match = /^(?:-([A-Za-z]),\s*)?--([a-z][a-z0-9-]*)(\s+[<[].*)?$/.exec(flags.trim());
  if (!match) throw new Error(`bad option declaration "${flags}"`);
  const long = match[2]!;
  const negated = long.startsWith('no-');
  const base = negated ? long.slice(3) : long;
  return {
    short: match[1],
    long,
    key: base.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
    takesValue: match[3] !== undefined,
    negated,
  };
}

/** Declares the options on a commander command. */
export function addOptions(command: Command, specs: readonly OptionSpec[]): Command {
  for (const spec of specs) {
    const option = command.createOption(spec.flags, spec.description);
    if (spec.choices) option.choices(spec.choices);
    if (spec.repeatable) option.argParser((value: string, previous: unknown[] = []) => [...previous, spec.parse ? spec.parse(value) : value]);
    else if (spec.parse) option.argParser(spec.parse);
    command.addOption(option);
  }
  return command;
}

/**
 * Parses arguments against option specs without commander. Returns undefined for anything it does not
 * handle exactly as commander would (help, unknown options, extra arguments): the caller then hands
 * the command line to commander, which prints the proper help or error.
 */
export function parseQuickly(
  args: readonly string[],
  specs: readonly OptionSpec[],
  maxPositionals: number,
): { positionals: string[]; options: Record<string, unknown> } | undefined {
  const declared = specs.map((spec) => ({ spec, flags: parseFlags(spec.flags) }));
  const config: NonNullable<ParseArgsConfig['options']> = {};
  for (const { spec, flags } of declared) {
    config[flags.long] = { type: flags.takesValue ? 'string' : 'boolean', multiple: spec.repeatable === true };
    if (flags.short) config[flags.long]!.short = flags.short;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options: config, allowPositionals: true, strict: true });
  } catch {
    return undefined;
  }
  if (parsed.positionals.length > maxPositionals) return undefined;
  const options: Record<string, unknown> = {};
  for (const { spec, flags } of declared) {
    const value = (parsed.values as Record<string, unknown>)[flags.long];
    if (value === undefined) continue;
    if (flags.negated) {
      options[flags.key] = false;
      continue;
    }
    const convert = (text: string) => {
      if (spec.choices && !spec.choices.includes(text)) {
        throw new UsageError(`option '${spec.flags}' argument '${text}' is invalid. Allowed choices are ${spec.choices.join(', ')}.`);
      }
      return spec.parse ? spec.parse(text) : text;
    };
    if (!flags.takesValue) options[flags.key] = value;
    else options[flags.key] = Array.isArray(value) ? value.map((v) => convert(String(v))) : convert(String(value));
  }
  return { positionals: parsed.positionals, options };
}
