import type { Command } from 'commander';
import { buildTransformationFromEntries, parseStepArgument } from '../src/transformation.js';
import { ConfigError } from '../src/errors.js';
import { buildUrl, explainUrl, isAbsoluteUrl, type TransformationPosition, type UrlOptions } from '../src/url.js';
import type { Registrar } from './cli/command.js';
import type { Context } from './cli/context.js';
import { ExitCode, UsageError } from './cli/errors.js';
import { parseInteger, parseJsonOrFileFlag } from './cli/flags.js';
import { addOptions, type OptionSpec } from './cli/options.js';
import type { Result } from './cli/output.js';
import { emulatorSupport } from './shared/emulator-support.js';

interface UrlFlags {
  transform?: string[];
  tr?: string;
  transformation?: string;
  position?: TransformationPosition;
  query?: string[];
  signed?: boolean;
  expires?: number;
  expireAt?: number;
  batch?: boolean;
  explain?: boolean;
}

const EXAMPLES = `
Examples:
  $ imagekit url /default-image.jpg -t height=300,width=400
  https://ik.imagekit.io/your_id/tr:h-300,w-400/default-image.jpg

  $ imagekit url /default-image.jpg -t h-300,w-400 -t rotation=90 --position query
  https://ik.imagekit.io/your_id/default-image.jpg?tr=h-300%2Cw-400%3Art-90

  $ imagekit url https://ik.imagekit.io/your_id/a.jpg -t effect_sharpen=-,format=jpg
  https://ik.imagekit.io/your_id/a.jpg?tr=e-sharpen%2Cf-jpg

  $ imagekit url /private/report.pdf --expires 3600          # signed, valid for an hour
  $ imagekit url /a.jpg -t 'l-text,i-Hello,fs-50,l-end' -q v=2
  $ imagekit url --transformation '[{"width":400},{"rotation":90}]' /a.jpg
  $ imagekit url --explain 'https://ik.imagekit.io/your_id/tr:w-400,rt-90/a.jpg'
  $ printf '{"path":"/a.jpg","transformation":[{"width":100}]}\\n' | imagekit url --batch

Transformation steps are chained in this order: --transformation, then each -t, then --tr.
In a -t step, "name=value" uses an SDK name (height, width, effect_sharpen, aspectRatio, ...;
unknown names pass through as name-value, and the value "-" gives the bare parameter), and an
entry without "=" is a raw ImageKit parameter kept as written (w-300, l-text, i-Hi, l-end).`;

const URL_OPTIONS: readonly OptionSpec[] = [
  { flags: '-t, --transform <step>', description: 'one chained transformation step (repeatable)', repeatable: true },
  { flags: '--tr <string>', description: 'a literal ImageKit transformation string, e.g. w-300,h-200:rt-90' },
  { flags: '--transformation <json>', description: "the SDK's array of step objects, or @file.json" },
  { flags: '--position <where>', description: 'put the transformation in the path or the query', choices: ['path', 'query'] },
  { flags: '-q, --query <key=value>', description: 'add a query parameter (repeatable)', repeatable: true },
  { flags: '--signed', description: 'sign the URL with the private key' },
  { flags: '--expires <seconds>', description: 'signed URL that expires this many seconds from now', parse: parseInteger('--expires', { min: 1 }) },
  { flags: '--expire-at <unix-seconds>', description: 'signed URL that expires at this Unix time', parse: parseInteger('--expire-at', { min: 1 }) },
  { flags: '--batch', description: 'read one JSON object of SDK url() options per line on stdin, print one URL per line' },
  { flags: '--explain', description: 'print the transformation steps of an existing URL instead of building one' },
  { flags: '--json', description: 'print JSON' },
];

export function register(program: Command, registrar: Registrar): void {
  const command = program
    .command('url')
    .summary('build (and sign) a delivery URL, or explain one')
    .description(
      'Build an ImageKit delivery URL for a path under the URL endpoint, or add a transformation to a full URL.\n' +
        'The URL alone is printed on stdout.',
    )
    .argument('[path-or-url]', 'a path such as /products/shoe.jpg, or a full https:// URL')
    .addHelpText('after', EXAMPLES)
    .action(registrar.action<[string | undefined], UrlFlags>(([target], flags, context) => runUrl(target, flags, context)));
  addOptions(command, URL_OPTIONS);
}

/**
 * The command without commander, for the quick path (commands/quick.ts): used when the command line is
 * plain (no help, nothing commander would have to report).
 */
export const quick = {
  options: URL_OPTIONS,
  maxArguments: 1,
  run: ([target]: string[], flags: Record<string, unknown>, context: Context): Promise<Result> => runUrl(target, flags as UrlFlags, context),
};

async function runUrl(target: string | undefined, flags: UrlFlags, context: Context): Promise<Result> {
  const { io } = context;
  if (flags.explain) {
    if (!target) throw new UsageError('--explain needs the URL to explain');
    return explainResult(target);
  }
  if (flags.batch && target) throw new UsageError('--batch reads its paths from stdin: give no path argument');
  if (flags.expires !== undefined && flags.expireAt !== undefined) throw new UsageError('give --expires or --expire-at, not both');
  if (!flags.batch && !target) throw new UsageError('missing the path or URL to build (or use --batch)');

  const settings = await context.settings();
  const defaults: UrlOptions = {
    urlEndpoint: settings.values.urlEndpoint,
    transformation: flags.transformation === undefined ? undefined : parseJsonOrFileFlag('--transformation', flags.transformation, io.cwd),
    transformationString: [buildTransformationFromEntries((flags.transform ?? []).map(parseStepArgument)), flags.tr ?? '']
      .filter((t) => t !== '')
      .join(':'),
    transformationPosition: flags.position ?? (settings.values.transformationPosition as TransformationPosition),
    queryParameters: parseQueryFlags(flags.query ?? []),
    signed: flags.signed,
    expireSeconds: flags.expires,
    expireAt: flags.expireAt,
    privateKey: settings.values.privateKey,
    now: io.now,
  };
  if (flags.batch) return batch(defaults, context);

  const url = buildUrl({ ...defaults, ...(isAbsoluteUrl(target!) ? { src: target } : { path: target }) });
  return { kind: 'text', text: url, json: { url } };
}

function parseQueryFlags(pairs: string[]): Record<string, string> {
  const query: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--query takes key=value, got "${pair}"`);
    query[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return query;
}

/** The SDK's option names in either case, as a batch line may use the Python SDK's snake_case. */
const BATCH_KEYS: Record<string, keyof UrlOptions> = {
  path: 'path',
  src: 'src',
  urlEndpoint: 'urlEndpoint',
  url_endpoint: 'urlEndpoint',
  transformation: 'transformation',
  transformationPosition: 'transformationPosition',
  transformation_position: 'transformationPosition',
  queryParameters: 'queryParameters',
  query_parameters: 'queryParameters',
  signed: 'signed',
  expireSeconds: 'expireSeconds',
  expire_seconds: 'expireSeconds',
  expireAt: 'expireAt',
  expire_at: 'expireAt',
};

/** Turns one batch line into url() options over the command line's defaults. */
function batchLineOptions(line: string, defaults: UrlOptions): UrlOptions {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.replace(/^\uFEFF/, ''));
  } catch {
    throw new UsageError('not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError('expected a JSON object of url() options');
  const options: UrlOptions = { ...defaults };
  for (const [key, value] of Object.entries(parsed)) {
    const name = BATCH_KEYS[key];
    if (name === undefined) throw new UsageError(`unknown option "${key}"`);
    (options as Record<string, unknown>)[name] = value;
  }
  // A line's own transformation replaces the command line's, rather than chaining after it.
  if ('transformation' in parsed) options.transformationString = undefined;
  if ((options.path ?? null) === null && (options.src ?? null) === null) throw new UsageError('neither "path" nor "src" is given');
  if (options.src && !options.path) options.path = undefined;
  else options.src = undefined; // as in the SDK, path wins over src
  return options;
}

function batch(defaults: UrlOptions, context: Context): Result {
  const { io } = context;
  let badLines = 0;
  let missingSettings = false;
  async function* items() {
    const { createInterface } = await import('node:readline');
    const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
    let lineNumber = 0;
    try {
      for await (const line of lines) {
        lineNumber++;
        try {
          const url = buildUrl(batchLineOptions(line, defaults));
          yield { text: url, json: { url } };
        } catch (error) {
          badLines++;
          if (error instanceof ConfigError) missingSettings = true;
          const message = (error as Error).message;
          context.error(`line ${lineNumber}: ${message}`);
          // An empty line keeps the output aligned with the input, line for line.
          yield { text: '', json: { error: message } };
        }
      }
    } finally {
      // Reached early when the reader of stdout went away: stop reading stdin too.
      lines.close();
    }
  }
  return {
    kind: 'lines',
    items: items(),
    exitCode: () => (missingSettings ? ExitCode.config : badLines > 0 ? ExitCode.usage : ExitCode.ok),
  };
}

/** The URL's parameters, each with whether the emulator's delivery applies it. */
async function explainResult(url: string): Promise<Result> {
  const explained = explainUrl(url);
  const support = await emulatorSupport();
  const parameters = explained.parameters.map((p) => ({ ...p, emulator: support(p.code) }));
  type Row = (typeof parameters)[number];
  return {
    kind: 'table',
    columns: [
      { header: 'step', value: (p: Row) => String(p.step) },
      { header: 'code', value: (p: Row) => p.code },
      { header: 'name', value: (p: Row) => p.name ?? '' },
      { header: 'value', value: (p: Row) => p.value ?? '' },
      { header: 'emulator', value: (p: Row) => p.emulator },
    ],
    rows: parameters,
    json: { ...explained, parameters },
  };
}
