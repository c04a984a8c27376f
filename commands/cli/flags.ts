/**
 * Every parser of option values, in one place: each turns the text of a flag into its value, or
 * throws a UsageError (exit 2) that names the flag.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './errors.js';

/** Parses a whole number option within `min` and `max` (both included), or throws a UsageError naming the option. */
export function parseInteger(name: string, { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = {}) {
  const bounded = min > Number.MIN_SAFE_INTEGER;
  const capped = max < Number.MAX_SAFE_INTEGER;
  const range = bounded && capped ? ` from ${min} to ${max}` : bounded ? ` of at least ${min}` : capped ? ` of at most ${max}` : '';
  return (value: string): number => {
    const number = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min || number > max) {
      throw new UsageError(`${name} takes a whole number${range}, got "${value}"`);
    }
    return number;
  };
}

/** Parses a positive number of seconds, up to `maxSeconds`. */
export function parsePositiveSeconds(name: string, maxSeconds: number) {
  return (value: string): number => {
    const seconds = Number(value);
    if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > maxSeconds) {
      throw new UsageError(`${name} takes a positive number of seconds, at most ${maxSeconds}, got "${value}"`);
    }
    return seconds;
  };
}

/** The longest any wait may be asked to last: a day. */
const MAX_DURATION_MS = 24 * 3_600_000;

/** A duration such as `10m`, `90s`, `500ms` or `1h` (a bare number is seconds), in milliseconds, up to a day. */
export function parseDuration(name: string) {
  return (value: string): number => {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
    if (!match) throw new UsageError(`${name} takes a duration such as 10m, 90s or 500ms, got "${value}"`);
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
    const ms = Number(match[1]) * unit;
    if (ms > MAX_DURATION_MS) throw new UsageError(`${name} takes at most 24h, got "${value}"`);
    return ms;
  };
}

/** One of `choices`, written in any case (`--sort desc_size`). */
export function parseChoice(name: string, choices: readonly string[]) {
  return (value: string): string => {
    const choice = choices.find((c) => c.toLowerCase() === value.trim().toLowerCase());
    if (choice === undefined) throw new UsageError(`${name} takes one of ${choices.join(', ')}, got "${value}"`);
    return choice;
  };
}

/** Parses a fraction option from 0 to 1. */
export function parseFraction(name: string) {
  return (value: string): number => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) throw new UsageError(`${name} takes a number from 0 to 1, got "${value}"`);
    return number;
  };
}

/** `10/1s`, `100/60s`, `5/500ms`, `10/1` (seconds): requests allowed per interval. */
export function parseRateLimit(value: string): { limit: number; intervalMs: number } {
  const match = /^(\d+)\/(\d+(?:\.\d+)?)(ms|s)?$/.exec(value.trim());
  if (!match || Number(match[1]) < 1 || Number(match[2]) <= 0) throw new UsageError(`--rate-limit takes <requests>/<interval>, such as 10/1s or 5/500ms, got "${value}"`);
  return { limit: Number(match[1]), intervalMs: Number(match[2]) * (match[3] === 'ms' ? 1 : 1000) };
}

/** Splits `a, b,c` into its items. */
export const list = (value: string) => value.split(',').map((v) => v.trim()).filter(Boolean);

/** Collects a repeatable option's values: `--meta a=1 --meta b=2`. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Parses a JSON option given inline, checking its shape (`expected` says what `check` wants). */
export function parseJsonFlag(name: string, text: string | undefined, check: (value: unknown) => boolean, expected: string): unknown {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // Where, never what: V8's message quotes the text, which may be a file of secrets.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new UsageError(`${name} is not valid JSON${position === undefined ? '' : ` (at character ${position})`}`);
  }
  if (!check(value)) throw new UsageError(`${name} must be ${expected}`);
  return value;
}

/** Parses a JSON option given inline or as `@file` (relative to `cwd`). */
export function parseJsonOrFileFlag(name: string, value: string, cwd: string): unknown {
  let text = value;
  if (value.startsWith('@')) {
    const file = resolve(cwd, value.slice(1));
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`${name}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  return parseJsonFlag(name, text, () => true, '');
}

/** A calendar day written `YYYY-MM-DD` (a real date), as the usage reports take them. */
export function parseDay(name: string) {
  return (value: string): string => {
    const time = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
    if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) throw new UsageError(`${name} takes a date written YYYY-MM-DD, got "${value}"`);
    return value;
  };
}

/**
 * `--extensions`: a JSON array of extensions, in which a plain string is a saved extension's id; or
 * just ids, comma-separated. Ids become the API's `{"name":"saved-extension","id":...}`.
 */
export function parseExtensionsFlag(name: string, text: string | undefined): unknown[] | undefined {
  if (text === undefined) return undefined;
  const savedExtension = (id: string) => ({ name: 'saved-extension', id });
  if (/^[A-Za-z0-9_-]+(\s*,\s*[A-Za-z0-9_-]+)*$/.test(text.trim())) return list(text).map(savedExtension);
  const extensions = parseJsonFlag(name, text, Array.isArray, 'a JSON array of extensions, or saved extension ids') as unknown[];
  return extensions.map((extension) => (typeof extension === 'string' ? savedExtension(extension) : extension));
}
