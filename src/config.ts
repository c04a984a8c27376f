import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import type { cosmiconfig as Cosmiconfig } from 'cosmiconfig';
import { ConfigError } from './errors.js';

/** The settings every command may use, as named in config files. */
export const SETTING_KEYS = ['privateKey', 'publicKey', 'urlEndpoint', 'baseUrl', 'uploadBaseUrl', 'transformationPosition'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];
export type SettingValues = Partial<Record<SettingKey, string>>;

/** Environment variable of each setting that has one. */
export const SETTING_ENV: Readonly<Partial<Record<SettingKey, string>>> = {
  privateKey: 'IMAGEKIT_PRIVATE_KEY',
  publicKey: 'IMAGEKIT_PUBLIC_KEY',
  urlEndpoint: 'IMAGEKIT_URL_ENDPOINT',
  baseUrl: 'IMAGEKIT_BASE_URL',
  uploadBaseUrl: 'IMAGEKIT_UPLOAD_BASE_URL',
};

/** Command-line flag of each setting that has one. The private key never has: it would show in `ps`. */
const SETTING_FLAGS: Readonly<Partial<Record<SettingKey, string>>> = {
  publicKey: '--public-key',
  urlEndpoint: '--endpoint',
  baseUrl: '--base-url',
  uploadBaseUrl: '--upload-base-url',
};

export const DEFAULT_SETTINGS: Readonly<SettingValues> = {
  baseUrl: 'https://api.imagekit.io',
  uploadBaseUrl: 'https://upload.imagekit.io',
  transformationPosition: 'path',
};

export const PROFILE_ENV = 'IMAGEKIT_PROFILE';

/** Where a resolved setting came from, for `config show` and for error messages. */
export type SettingSource =
  | { kind: 'flag'; name: string }
  | { kind: 'env'; name: string }
  | { kind: 'file'; path: string; profile?: string }
  | { kind: 'default' }
  | { kind: 'unset' };

export interface ResolvedSettings {
  values: SettingValues;
  sources: Record<SettingKey, SettingSource>;
  /** The config file that was read, if any. */
  configFile?: string;
  profile?: string;
  /** Things worth telling the user (unknown keys in the file), for the command line to print. */
  warnings: string[];
}

export interface ResolveOptions {
  /** Values given as flags, by setting key. */
  flags?: SettingValues;
  /** `--profile`. */
  profile?: string;
  /** `--config`: a file to read instead of searching. */
  configFile?: string;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** The home directory, searched after the project (default: HOME from env). */
  home?: string;
}

const MODULE_NAME = 'imagekit';

/** The settings that belong to one ImageKit account. */
const ACCOUNT_KEYS: readonly SettingKey[] = ['privateKey', 'publicKey'];

/**
 * Config file names looked for in each directory from the working directory up, in this order
 * (cosmiconfig's default places for the module name `imagekit`, less TypeScript files, which would
 * need a TypeScript compiler at run time).
 */
const CONFIG_SEARCH_PLACES: readonly string[] = [
  'package.json',
  `.${MODULE_NAME}rc`,
  `.${MODULE_NAME}rc.json`,
  `.${MODULE_NAME}rc.yaml`,
  `.${MODULE_NAME}rc.yml`,
  `.${MODULE_NAME}rc.js`,
  `.${MODULE_NAME}rc.cjs`,
  `.${MODULE_NAME}rc.mjs`,
  `.config/${MODULE_NAME}rc`,
  `.config/${MODULE_NAME}rc.json`,
  `.config/${MODULE_NAME}rc.yaml`,
  `.config/${MODULE_NAME}rc.yml`,
  `.config/${MODULE_NAME}rc.js`,
  `.config/${MODULE_NAME}rc.cjs`,
  `.config/${MODULE_NAME}rc.mjs`,
  `${MODULE_NAME}.config.js`,
  `${MODULE_NAME}.config.cjs`,
  `${MODULE_NAME}.config.mjs`,
];

function packageJsonHasKey(file: string): boolean {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && MODULE_NAME in parsed;
  } catch {
    return false; // an unreadable package.json is not ours to complain about
  }
}

/** Whether a directory is the top of a project: a config file above it belongs to someone else. */
const isProjectRoot = (dir: string) => existsSync(join(dir, 'package.json')) || existsSync(join(dir, '.git'));

/**
 * The first config file in a directory. Probed name by name (a stat each) rather than by listing the
 * directory, which costs more in a large one such as /tmp.
 */
function configFileIn(dir: string): string | undefined {
  const hasDotConfig = existsSync(join(dir, '.config'));
  for (const place of CONFIG_SEARCH_PLACES) {
    if (place.startsWith('.config/') && !hasDotConfig) continue;
    const file = join(dir, place);
    if (!existsSync(file)) continue;
    if (place === 'package.json' && !packageJsonHasKey(file)) continue;
    return file;
  }
  return undefined;
}

/**
 * Finds the config file: the first of the search places in the working directory and each directory
 * above it, up to the project root (the first directory with a package.json or .git) or the home
 * directory, whichever comes first; then in the home directory itself. Nothing above the project or
 * home is read, since a config file there (JavaScript ones are run) could be anybody's.
 *
 * Done by hand, so that cosmiconfig is loaded only when there is a file to read: most runs of
 * `imagekit url` have none, and pay nothing for it.
 */
export function findConfigFile(cwd: string, home?: string): string | undefined {
  const homeDir = home ? resolve(home) : undefined;
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const found = configFileIn(dir);
    if (found) return found;
    if (dir === homeDir) return undefined;
    if (isProjectRoot(dir) || dirname(dir) === dir) break;
  }
  return homeDir ? configFileIn(homeDir) : undefined;
}

/**
 * Reads a JSON config file directly. Most config files are JSON (`config init` writes one), and
 * cosmiconfig's JSON loader alone loads a dozen modules, which `imagekit url` would pay on every run.
 * Returns undefined for other kinds of file, and for a `.imagekitrc` that is not JSON (it may be YAML).
 */
function readJsonConfig(file: string): { config: unknown } | undefined {
  const name = basename(file);
  const maybeJson = name.endsWith('.json') || name === `.${MODULE_NAME}rc` || name === `${MODULE_NAME}rc`;
  if (!maybeJson) return undefined;
  const text = readFileSync(file, 'utf8');
  if (text.trim() === '') return { config: {} };
  try {
    const parsed: unknown = JSON.parse(text);
    return { config: name === 'package.json' ? (parsed as Record<string, unknown>)[MODULE_NAME] : parsed };
  } catch (error) {
    if (!name.endsWith('.json')) return undefined; // a .imagekitrc may be YAML
    throw new ConfigError(`cannot read config file ${file}: not valid JSON${jsonErrorPlace(text, error)}`);
  }
}

/**
 * Where a JSON parse error is, as ` at line L, column C`. Parser messages quote the text around the
 * error, which may be the private key, so only the position is ever shown.
 */
function jsonErrorPlace(text: string, error: unknown): string {
  const position = /at position (\d+)/.exec((error as Error).message)?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position)).split('\n');
  return ` at line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

async function loadConfigFile(file: string): Promise<Record<string, unknown>> {
  let loaded: { config: unknown } | null | undefined;
  try {
    loaded = readJsonConfig(file);
    if (loaded === undefined) {
      const { cosmiconfig } = createRequire(import.meta.url)('cosmiconfig') as { cosmiconfig: typeof Cosmiconfig };
      loaded = await cosmiconfig(MODULE_NAME, { searchPlaces: [...CONFIG_SEARCH_PLACES], cache: false }).load(file);
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`cannot read config file ${file}: ${describeLoadError(error)}`);
  }
  const config = loaded?.config ?? {};
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError(`config file ${file} must hold an object of settings`);
  }
  return config as Record<string, unknown>;
}

/** Why a config file could not be loaded, without quoting its contents. */
function describeLoadError(error: unknown): string {
  const { code, name, mark } = error as NodeJS.ErrnoException & { mark?: { line: number; column: number } };
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (mark) return `not valid YAML at line ${mark.line + 1}, column ${mark.column + 1}`;
  return name === 'SyntaxError' ? 'syntax error in the file' : String((error as Error).message ?? error).split('\n')[0]!;
}

/** The number of single-character edits between two words, for "did you mean" hints. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** Keys a config object may hold besides the settings. */
const OTHER_KEYS = ['profiles'];

/** A warning for each key the file has that no setting reads, with the nearest valid key. */
function unknownKeyWarnings(object: Record<string, unknown>, where: string, allowed: readonly string[]): string[] {
  return Object.keys(object)
    .filter((key) => !allowed.includes(key))
    .map((key) => {
      const nearest = [...allowed].sort((x, y) => editDistance(key.toLowerCase(), x.toLowerCase()) - editDistance(key.toLowerCase(), y.toLowerCase()))[0]!;
      const close = editDistance(key.toLowerCase(), nearest.toLowerCase()) <= Math.max(2, Math.floor(nearest.length / 3));
      return `${where}: unknown key "${key}" is ignored${close ? `; did you mean "${nearest}"?` : ` (the keys are ${allowed.join(', ')})`}`;
    });
}

/** Picks the known setting keys out of a config object, checking that each is a string. */
function settingsFrom(object: Record<string, unknown>, where: string): SettingValues {
  const values: SettingValues = {};
  for (const key of SETTING_KEYS) {
    const value = object[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw new ConfigError(`${where}: "${key}" must be a string`);
    values[key] = value;
  }
  return values;
}

/**
 * Resolves every setting from, in order of precedence: flags, environment variables, the selected
 * profile of the config file, the config file's top level, and built-in defaults.
 */
export async function resolveSettings(options: ResolveOptions): Promise<ResolvedSettings> {
  const values: SettingValues = {};
  const sources = Object.fromEntries(SETTING_KEYS.map((k) => [k, { kind: 'unset' }])) as Record<SettingKey, SettingSource>;
  const take = (key: SettingKey, value: string | undefined, source: SettingSource) => {
    if (value === undefined || value === '' || values[key] !== undefined) return;
    values[key] = value;
    sources[key] = source;
  };

  for (const key of SETTING_KEYS) take(key, options.flags?.[key], { kind: 'flag', name: SETTING_FLAGS[key] ?? key });
  for (const key of SETTING_KEYS) {
    const name = SETTING_ENV[key];
    if (name) take(key, options.env[name], { kind: 'env', name });
  }

  const warnings: string[] = [];
  const profile = options.profile || options.env[PROFILE_ENV] || undefined;
  const configFile = options.configFile ? resolve(options.cwd, options.configFile) : findConfigFile(options.cwd, options.home ?? options.env.HOME);
  if (configFile) {
    const config = await loadConfigFile(configFile);
    warnings.push(...unknownKeyWarnings(config, configFile, [...SETTING_KEYS, ...OTHER_KEYS]));
    let accountOfItsOwn = false;
    if (profile) {
      const profiles = config.profiles;
      const selected = typeof profiles === 'object' && profiles !== null ? (profiles as Record<string, unknown>)[profile] : undefined;
      if (typeof selected !== 'object' || selected === null) {
        const known = typeof profiles === 'object' && profiles !== null ? Object.keys(profiles) : [];
        throw new ConfigError(
          `profile "${profile}" is not defined in ${configFile}` + (known.length ? ` (profiles: ${known.join(', ')})` : ' (it has no profiles)'),
        );
      }
      const where = `${configFile}, profile "${profile}"`;
      warnings.push(...unknownKeyWarnings(selected as Record<string, unknown>, where, SETTING_KEYS));
      const fromProfile = settingsFrom(selected as Record<string, unknown>, where);
      for (const key of SETTING_KEYS) take(key, fromProfile[key], { kind: 'file', path: configFile, profile });
      // A profile that names its own URL endpoint is another account: it never borrows the keys of the
      // file's top level, which belong to the account the top level names.
      accountOfItsOwn = fromProfile.urlEndpoint !== undefined;
    }
    const fromFile = settingsFrom(config, configFile);
    for (const key of SETTING_KEYS) {
      if (accountOfItsOwn && ACCOUNT_KEYS.includes(key)) continue;
      take(key, fromFile[key], { kind: 'file', path: configFile });
    }
  } else if (profile) {
    throw new ConfigError(`profile "${profile}" was asked for, but no config file was found from ${options.cwd} up`);
  }

  // One local origin (such as the emulator) serves uploads too when only the API host is moved.
  if (values.uploadBaseUrl === undefined && values.baseUrl !== undefined) take('uploadBaseUrl', values.baseUrl, sources.baseUrl);
  for (const key of SETTING_KEYS) take(key, DEFAULT_SETTINGS[key], { kind: 'default' });

  for (const key of ['baseUrl', 'uploadBaseUrl'] as const) {
    const url = values[key]!;
    if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) {
      throw new ConfigError(`${key} must be an http(s) URL, got "${url}" (${describeSource(sources[key])})`);
    }
  }
  const position = values.transformationPosition;
  if (position !== 'path' && position !== 'query') {
    throw new ConfigError(`transformationPosition must be "path" or "query", got "${position}" (${describeSource(sources.transformationPosition)})`);
  }
  return { values, sources, configFile, profile, warnings };
}

export function describeSource(source: SettingSource): string {
  switch (source.kind) {
    case 'flag':
      return `flag ${source.name}`;
    case 'env':
      return `env ${source.name}`;
    case 'file':
      return source.profile ? `${source.path} (profile ${source.profile})` : source.path;
    case 'default':
      return 'default';
    case 'unset':
      return 'not set';
  }
}

/** How a missing setting can be provided, for "missing credential" errors (exit code 3). */
function howToSet(key: SettingKey): string {
  const ways = [SETTING_ENV[key] && `set ${SETTING_ENV[key]}`, `add "${key}" to .imagekitrc.json`, SETTING_FLAGS[key] && `pass ${SETTING_FLAGS[key]}`];
  return ways.filter(Boolean).join(', or ');
}

/** Requires a setting, throwing a ConfigError that says how to provide it. */
export function requireSetting(settings: ResolvedSettings, key: SettingKey, purpose: string): string {
  const value = settings.values[key];
  if (!value) throw new ConfigError(`${purpose} needs ${key}: ${howToSet(key)}`);
  return value;
}

/** Masks a private key for display: `private_****abcd`. Short keys show nothing of themselves. */
export function maskSecret(secret: string | undefined): string {
  if (!secret) return '';
  const prefix = /^(private_|public_)/.exec(secret)?.[1] ?? '';
  const rest = secret.slice(prefix.length);
  return rest.length >= 12 ? `${prefix}****${rest.slice(-4)}` : `${prefix}****`;
}
