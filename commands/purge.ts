/** `imagekit purge`: purge the CDN cache of URLs (arguments, stdin, a file, a manifest), and wait until done. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ApiError } from '../src/errors.js';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../src/limits.js';
import { purgeUrlProblem } from '../src/purge-rules.js';
import type { Registrar } from './cli/command.js';
import type { Context } from './cli/context.js';
import { ExitCode, exitCodeFor, UsageError } from './cli/errors.js';
import { parseDuration, parseInteger } from './cli/flags.js';
import { meaningfulLines, withStdinArguments } from './cli/io.js';
import type { Result } from './cli/output.js';
import { failedOutcome, purgeExitCode, requestPurges, waitForPurges, type PurgeOutcome } from './shared/purges.js';

interface PurgeFlags {
  fromFile?: string;
  fromManifest?: string;
  wait?: boolean;
  waitTimeout?: number;
  yes?: boolean;
  dryRun?: boolean;
  concurrency: number;
  json?: boolean;
}


/** Purges of more than this many URLs, or any wildcard, are confirmed first. */
const CONFIRM_ABOVE = 10;

const EXAMPLES = `
Examples:
  $ imagekit purge https://ik.imagekit.io/your_id/products/shoe.jpg --wait
  $ imagekit purge 'https://ik.imagekit.io/your_id/products/shoes/*' --yes
  $ imagekit purge --from-file urls.txt --yes --json
  $ imagekit purge --from-manifest assets.json --wait --yes     # exactly what a deploy uploaded
  $ git diff --name-only | sed 's|^|https://ik.imagekit.io/your_id/|' | imagekit purge - --yes
  $ imagekit purge status 6553ab1f2c8a 6553ab1f2c8b

Each URL must be an http(s) URL; a * may only end it (a wildcard purge). Duplicates are sent once.
More than ${CONFIRM_ABOVE} URLs, or any wildcard, are confirmed on a terminal and need --yes otherwise.
Exit codes: 0 all requested (and, with --wait, completed), 5 some failed (listed), 1 all failed or the
wait ran out, 2 a bad URL (nothing is sent).`;

/** The URL as it will be compared for duplicates: scheme and host lower-cased, default port and fragment dropped. */
function canonical(url: string): string {
  const parsed = new URL(url.endsWith('*') ? url.slice(0, -1) : url);
  parsed.hash = '';
  return parsed.href + (url.endsWith('*') ? '*' : '');
}

async function collectUrls(args: string[], flags: PurgeFlags, context: Context): Promise<string[]> {
  const { io } = context;
  const urls = await withStdinArguments(args, io);
  const readInput = (name: string, file: string) => {
    try {
      return readFileSync(resolve(io.cwd, file), 'utf8');
    } catch {
      throw new UsageError(`${name}: cannot read ${file}`);
    }
  };
  if (flags.fromFile) urls.push(...meaningfulLines(readInput('--from-file', flags.fromFile)));
  if (flags.fromManifest) {
    let manifest: unknown;
    try {
      manifest = JSON.parse(readInput('--from-manifest', flags.fromManifest));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`--from-manifest: ${flags.fromManifest} is not valid JSON`);
    }
    if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) throw new UsageError('--from-manifest takes the manifest written by "imagekit upload --manifest"');
    // Files a re-run skipped were not changed: only what was uploaded needs purging.
    for (const entry of Object.values(manifest as Record<string, { url?: unknown; status?: unknown }>)) {
      if (typeof entry?.url === 'string' && entry.status !== 'skipped') urls.push(entry.url);
    }
  }
  return urls;
}

export function register(program: Command, registrar: Registrar): void {
  const purge = program
    .command('purge')
    .summary('purge CDN cache for URLs, and wait until done')
    .description('Purge the CDN cache of URLs (a trailing * purges everything under it).')
    .argument('[url...]', 'URLs to purge; - reads them from stdin, one a line')
    .option('--from-file <file>', 'read URLs from a file, one a line (# comments allowed)')
    .option('--from-manifest <file.json>', 'purge every URL of an "imagekit upload --manifest" file')
    .option('--wait', 'wait until every purge is Completed')
    .option('--wait-timeout <duration>', 'stop waiting after this long, exit 1 (default 10m)', parseDuration('--wait-timeout'))
    .option('-y, --yes', 'do not ask')
    .option('--dry-run', 'print what would be purged, send nothing')
    .option('--concurrency <n>', 'purge requests at once', parseInteger('--concurrency', { min: 1, max: MAX_CONCURRENCY }), DEFAULT_CONCURRENCY)
    .option('--json', 'print JSON')
    .addHelpText('after', EXAMPLES)
    .action(registrar.action<[string[]], PurgeFlags>(([urls], flags, context) => runPurge(urls, flags, context)));

  purge
    .command('status')
    .description('Show the status of purge requests.')
    .argument('<requestId...>', 'request ids printed by purge')
    .option('--wait', 'wait until every purge is Completed')
    .option('--wait-timeout <duration>', 'stop waiting after this long, exit 1 (default 10m)', parseDuration('--wait-timeout'))
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ imagekit purge status 6553ab1f2c8a\n  $ imagekit purge status 6553ab1f2c8a 6553ab1f2c8b --wait --wait-timeout 5m')
    .action(
      registrar.action<[string[]], { wait?: boolean; waitTimeout?: number }>(async ([ids], flags, context) => {
        const client = await context.client();
        const outcomes = await Promise.all(
          ids.map(async (requestId): Promise<PurgeOutcome> => {
            try {
              return { url: '', requestId, status: (await client.getPurgeStatus(requestId)).status };
            } catch (error) {
              const outcome = failedOutcome('', requestId, error);
              // The API answers an unknown id with a 400, but to a user it is not found, as an unknown job is.
              if (error instanceof ApiError && error.status === 400 && /no request found/i.test(error.message)) outcome.failureCode = ExitCode.notFound;
              return outcome;
            }
          }),
        );
        const waitFailure = flags.wait ? await waitForPurges(outcomes, flags.waitTimeout, context) : undefined;
        return table(outcomes, ['request id', 'status'], () => (waitFailure === undefined ? purgeExitCode(outcomes) : exitCodeFor(waitFailure)));
      }),
    );
}

function table(outcomes: PurgeOutcome[], columns: Array<'url' | 'request id' | 'status'>, exitCode: () => number): Result {
  const value = { url: (o: PurgeOutcome) => o.url, 'request id': (o: PurgeOutcome) => o.requestId ?? '', status: (o: PurgeOutcome) => (o.error ? `failed: ${o.error}` : o.status) };
  return { kind: 'table', columns: columns.map((header) => ({ header, value: value[header] })), rows: outcomes, exitCode };
}

async function runPurge(args: string[], flags: PurgeFlags, context: Context): Promise<Result> {
  const { io } = context;
  const collected = await collectUrls(args, flags, context);
  if (collected.length === 0 && flags.fromManifest !== undefined) {
    // A deploy that changed nothing wrote a manifest of skipped files only: a success, not a mistake.
    io.stderr.write(`nothing to purge: ${flags.fromManifest} lists no uploaded file\n`);
    return table([], ['url', 'request id', 'status'], () => ExitCode.ok);
  }
  if (collected.length === 0) throw new UsageError('no URLs to purge: give them as arguments, with -, --from-file or --from-manifest');
  const { urlEndpoint } = (await context.settings()).values;
  const bad = collected.map((url) => [url, purgeUrlProblem(url, urlEndpoint)] as const).filter(([, problem]) => problem);
  if (bad.length > 0) throw new UsageError(`cannot purge: ${bad.map(([url, problem]) => `${url} (${problem})`).join('; ')}`);
  // The first spelling of a URL is the one kept.
  const byCanonical = new Map<string, string>();
  for (const url of collected) if (!byCanonical.has(canonical(url))) byCanonical.set(canonical(url), url);
  const urls = [...byCanonical.values()];
  if (urls.length < collected.length) io.stderr.write(`note: ${collected.length - urls.length} duplicate URL(s) removed\n`);

  if (flags.dryRun) return table(urls.map((url) => ({ url, requestId: null, status: 'would purge' })), ['url', 'status'], () => ExitCode.ok);
  const wildcards = urls.filter((u) => u.endsWith('*')).length;
  if (urls.length > CONFIRM_ABOVE || wildcards > 0) {
    await context.confirm(`Purge the CDN cache of ${urls.length} URL(s)${wildcards ? `, ${wildcards} of them wildcards` : ''}?`, flags.yes);
  }

  const client = await context.client({ concurrency: flags.concurrency });
  const outcomes = await requestPurges(client, urls, context);
  const waitFailure = flags.wait ? await waitForPurges(outcomes, flags.waitTimeout, context) : undefined;
  return table(outcomes, ['url', 'request id', 'status'], () => (waitFailure === undefined ? purgeExitCode(outcomes) : exitCodeFor(waitFailure)));
}
