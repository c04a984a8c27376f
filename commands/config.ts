/** `imagekit config show` and `config init`: the resolved settings with their sources, and writing a config file. */
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { writeFileDurablySync } from '../src/durable-write.js';
import { describeSource, maskSecret, PROFILE_ENV, SETTING_KEYS, type SettingValues } from '../src/config.js';
import { normaliseEndpoint } from '../src/url.js';
import type { Registrar } from './cli/command.js';
import type { Context } from './cli/context.js';
import { UsageError } from './cli/errors.js';
import { readAll } from './cli/io.js';
import type { Result } from './cli/output.js';

interface InitFlags {
  force?: boolean;
  file?: string;
  privateKeyStdin?: boolean;
}

interface ShownSetting {
  setting: string;
  value: string;
  source: string;
}

export function register(program: Command, registrar: Registrar): void {
  const config = program.command('config').summary('show the resolved settings, or write a config file');

  config
    .command('show')
    .summary('print every setting and where it came from')
    .description('Print every setting with where it came from (flag, env variable, config file, default); the private key masked.')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ imagekit config show\n  $ imagekit --profile staging config show --json')
    .action(registrar.action<[], object>((_args, _flags, context) => showConfig(context)));

  config
    .command('init')
    .summary('write a .imagekitrc.json')
    .description(
      'Write a .imagekitrc.json readable by its owner only. On a terminal it asks for each value; otherwise it takes\n' +
        '--endpoint and --public-key, and the private key from IMAGEKIT_PRIVATE_KEY or --private-key-stdin.\n' +
        'With --profile, the values go under "profiles" and the rest of an existing file is kept.',
    )
    .option('--file <path>', 'where to write', '.imagekitrc.json')
    .option('--force', 'overwrite an existing file (or profile)')
    .option('--private-key-stdin', 'read the private key from stdin')
    .option('--json', 'print what was written as JSON (the private key masked)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ imagekit config init\n' +
        '  $ printenv IK_KEY | imagekit config init --private-key-stdin --endpoint https://ik.imagekit.io/your_id --public-key public_xxx\n' +
        '  $ imagekit config init --profile staging --endpoint https://ik.imagekit.io/staging_id',
    )
    .action(registrar.action<[], InitFlags>((_, flags, context) => initConfig(flags, context)));
}

async function showConfig(context: Context): Promise<Result> {
  const settings = await context.settings();
  const rows: ShownSetting[] = SETTING_KEYS.map((key) => {
    const value = settings.values[key];
    return {
      setting: key,
      value: key === 'privateKey' ? maskSecret(value) : value ?? '',
      source: describeSource(settings.sources[key]),
    };
  });
  // Which file was read is said in every view, piped ones too.
  const file: ShownSetting = { setting: 'configFile', value: settings.configFile ?? '', source: settings.configFile ? (context.options.config ? 'flag --config' : 'found from the working directory') : 'none found' };
  const profile: ShownSetting = { setting: 'profile', value: settings.profile ?? '', source: settings.profile ? (context.options.profile ? 'flag --profile' : 'env IMAGEKIT_PROFILE') : 'none' };
  return {
    kind: 'table',
    columns: [
      { header: 'setting', value: (r: ShownSetting) => r.setting },
      { header: 'value', value: (r: ShownSetting) => r.value },
      { header: 'source', value: (r: ShownSetting) => r.source },
    ],
    rows: [...rows, file, profile],
    json: {
      configFile: settings.configFile ?? null,
      profile: settings.profile ?? null,
      settings: Object.fromEntries(rows.map((r) => [r.setting, { value: r.value || null, source: r.source }])),
    },
  };
}

async function initConfig(flags: InitFlags, context: Context): Promise<Result> {
  const { io, options } = context;
  const file = resolve(io.cwd, flags.file ?? '.imagekitrc.json');
  const profile = options.profile || io.env[PROFILE_ENV] || undefined;
  let existing: Record<string, unknown> = {};
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      parsed = undefined;
    }
    const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    if (isObject) existing = parsed as Record<string, unknown>;
    const profiles = (existing.profiles ?? {}) as Record<string, unknown>;
    if (profile && !isObject && !flags.force) throw new UsageError(`${file} exists and is not a JSON object: pass --force to replace it`);
    if (!flags.force && (!profile || profile in profiles)) {
      throw new UsageError(`${profile ? `profile "${profile}" in ` : ''}${file} already exists: pass --force to overwrite it`);
    }
  } else if (!existsSync(dirname(file))) {
    throw new UsageError(`cannot write ${file}: the folder ${dirname(file)} does not exist`);
  }

  const values: SettingValues = { urlEndpoint: options.endpoint, publicKey: options.publicKey, baseUrl: options.baseUrl, uploadBaseUrl: options.uploadBaseUrl };
  if (flags.privateKeyStdin) values.privateKey = (await readAll(io.stdin)).trim();
  else if (io.env.IMAGEKIT_PRIVATE_KEY) values.privateKey = io.env.IMAGEKIT_PRIVATE_KEY;

  const interactive = io.stdinIsTTY && io.stderrIsTTY && !flags.privateKeyStdin;
  if (interactive) {
    // Each answer is checked as it is given, and asked again when it cannot be right.
    values.urlEndpoint ||= await ask(context, 'URL endpoint (https://ik.imagekit.io/your_id): ', endpointProblem);
    values.publicKey ||= await ask(context, 'Public key: ');
    values.privateKey ||= await ask(context, 'Private key (not shown): ', undefined, true);
  } else if (values.urlEndpoint && endpointProblem(values.urlEndpoint)) {
    throw new UsageError(endpointProblem(values.urlEndpoint)!); // refuse a malformed endpoint before writing it
  }
  const settings = Object.fromEntries(Object.entries(values).filter(([, v]) => v)) as SettingValues;
  if (Object.keys(settings).length === 0) {
    throw new UsageError(
      interactive
        ? 'nothing to write: every prompt was left empty'
        : 'nothing to write: pass --endpoint, --public-key, or the private key through IMAGEKIT_PRIVATE_KEY or --private-key-stdin',
    );
  }

  const content = profile ? { ...existing, profiles: { ...((existing.profiles ?? {}) as object), [profile]: settings } } : settings;
  // Owner-only from the first byte, through an unpredictable temporary name: the private key is never
  // readable by others, a planted link cannot redirect it, and a crash leaves the old file whole.
  writeFileDurablySync(file, JSON.stringify(content, null, 2) + '\n', { secret: true });
  if (!settings.privateKey) context.warn('no private key written: set IMAGEKIT_PRIVATE_KEY where the key is needed');
  else warnIfTrackable(file, context);
  return {
    kind: 'record',
    record: { file, profile: profile ?? null, ...Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, k === 'privateKey' ? maskSecret(v) : v])) },
  };
}

/** Why an endpoint cannot be used, or undefined when it can. */
function endpointProblem(endpoint: string): string | undefined {
  try {
    normaliseEndpoint(endpoint);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The tries a prompt gets before the command gives up on it. */
const PROMPT_TRIES = 3;

/** Asks on the terminal until the answer is empty (skipped) or passes `problem`. */
async function ask(context: Context, question: string, problem?: (answer: string) => string | undefined, secret = false): Promise<string | undefined> {
  for (let attempt = 1; ; attempt++) {
    const answer = (await context.io.prompt(question, { secret })).trim();
    const why = answer === '' ? undefined : problem?.(answer);
    if (!why) return answer || undefined;
    if (attempt === PROMPT_TRIES) throw new UsageError(why);
    context.warn(`${why}; try again, or leave it empty to skip`);
  }
}

/**
 * A private key written into a git work tree that does not ignore the file could be committed:
 * say so, with the line that keeps it out. Without git, or outside a work tree, nothing is said.
 */
function warnIfTrackable(file: string, context: Context): void {
  const git = (args: string[]) => spawnSync('git', args, { cwd: dirname(file), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const top = git(['rev-parse', '--show-toplevel']);
  if (top.status !== 0) return;
  if (git(['check-ignore', '-q', file]).status === 0) return;
  const line = relative(top.stdout.trim(), file).split(sep).join('/');
  context.warn(`${file} holds the private key inside a git work tree that does not ignore it: add this line to .gitignore:\n  /${line}`);
}
