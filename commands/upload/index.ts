/** `imagekit upload`: the command and its flags; planning is in plan.ts, sending in pool.ts. */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { FileDetails, UploadFields } from '../../src/client.js';
import type { Registrar } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { batchExitCode, ExitCode, UsageError } from '../cli/errors.js';
import { collect, list, parseExtensionsFlag, parseInteger, parseJsonFlag } from '../cli/flags.js';
import { humanBytes } from '../cli/format.js';
import type { Result } from '../cli/output.js';
import { typedMeta } from '../shared/custom-metadata-values.js';
import { existingFiles, plan, targetPath, type PlannedUpload } from './plan.js';
import { dryRunOutcome, uploadAll, type Status, type UploadOutcome, type UploadRunResult } from './pool.js';

interface UploadFlags {
  folder?: string;
  name?: string;
  tags?: string;
  private?: boolean;
  uniqueName?: boolean;
  overwrite: boolean;
  keepTags?: boolean;
  keepAiTags?: boolean;
  keepCustomMetadata?: boolean;
  customCoordinates?: string;
  meta?: string[];
  customMetadata?: string;
  responseFields?: string;
  extensions?: string;
  webhookUrl?: string;
  pre?: string;
  post?: string;
  checks?: string;
  description?: string;
  draft?: boolean;
  include?: string[];
  exclude?: string[];
  hidden?: boolean;
  followSymlinks?: boolean;
  concurrency: number;
  failFast?: boolean;
  skipExisting?: boolean;
  manifest?: string;
  dryRun?: boolean;
  json?: boolean;
  ndjson?: boolean;
  verbose?: boolean;
}


const EXAMPLES = `
Examples:
  $ imagekit upload photo.jpg                               # to /photo.jpg, printing its URL
  $ imagekit upload ./dist --folder /assets/v42 --exclude '*.map' --manifest assets.json
  $ imagekit upload 'build/**/*.{js,css}' --folder /static --skip-existing
  $ cat report.pdf | imagekit upload - --name report.pdf --folder /reports --private
  $ imagekit upload https://example.com/logo.png --folder /brand --tags logo,brand
  $ imagekit upload ./dist --folder /assets --dry-run

Files keep predictable names (no random suffix unless --unique-name), so a re-run or a retry
overwrites instead of making copies. Exit codes: 0 all uploaded (or skipped), 5 some failed (listed),
1 all failed, 2 bad input (nothing is sent), 3 credentials, 130 interrupted.`;


export function register(program: Command, registrar: Registrar): void {
  program
    .command('upload')
    .summary('upload files, folders, globs, stdin or URLs')
    .description('Upload to the media library: files stream from disk, run concurrently, and failures are retried and then reported.')
    .argument('<source...>', 'a file, a directory (uploaded recursively), a glob, - for stdin, or an http(s) URL')
    .option('--folder <path>', 'destination folder (a directory keeps its structure under it)')
    .option('--name <name>', 'file name (one source only)')
    .option('--tags <a,b>', 'tags')
    .option('--private', 'private file: delivered only through signed URLs')
    .option('--unique-name', 'let ImageKit add a random suffix to each name')
    .option('--no-overwrite', 'fail instead of replacing a file of the same name')
    .option('--keep-tags', 'keep the existing tags of a replaced file')
    .option('--keep-ai-tags', 'keep the existing AI tags of a replaced file')
    .option('--keep-custom-metadata', 'keep the existing custom metadata of a replaced file')
    .option('--custom-coordinates <x,y,w,h>', 'area of interest')
    .option('--meta <key=value>', 'a custom metadata value, typed by its field (repeatable)', collect)
    .option('--custom-metadata <json>', 'custom metadata as a JSON object')
    .option('--response-fields <a,b>', 'extra fields in the response: tags, customCoordinates, isPrivateFile, embeddedMetadata, isPublished, customMetadata, metadata')
    .option('--extensions <json|ids>', 'extensions to run: a JSON array, or saved extension ids (a,b)')
    .option('--webhook-url <url>', 'where the extensions\' results are posted')
    .option('--pre <transformation>', 'pre-transformation applied before storing')
    .option('--post <json>', 'post-transformations, as a JSON array')
    .option('--checks <expression>', 'server-side upload checks')
    .option('--description <text>', 'description')
    .option('--draft', 'upload unpublished (isPublished false)')
    .option('--include <glob>', 'only files matching (repeatable)', collect)
    .option('--exclude <glob>', 'leave out files matching (repeatable)', collect)
    .option('--hidden', 'include hidden files and folders')
    .option('--follow-symlinks', 'follow symbolic links inside directories')
    .option('--concurrency <n>', 'uploads at once', parseInteger('--concurrency', { min: 1 }), 8)
    .option('--fail-fast', 'stop starting uploads after the first failure')
    .option('--skip-existing', 'skip files that exist remotely with the same size (one list call per folder)')
    .option('--manifest <file.json>', 'write the URL, path, id, size and version of every uploaded or skipped file')
    .option('--dry-run', 'show what would be uploaded where, and send nothing that changes anything')
    .option('--json', 'print a JSON array of per-file results')
    .option('--ndjson', 'print one JSON result a line as each upload finishes')
    .addHelpText('after', EXAMPLES)
    .action(registrar.action<[string[]], UploadFlags>(([sources], flags, context) => runUpload(sources, flags, context)));
}

const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The upload API fields every file shares (all but the file and its name and folder), with the JSON
 * options parsed: a typo there stops the command before anything is read or sent. `--meta` values,
 * which need the API to be typed, are merged in later.
 */
function sharedFields(flags: UploadFlags): Omit<UploadFields, 'fileName'> {
  const customMetadata = parseJsonFlag('--custom-metadata', flags.customMetadata, isObject, 'a JSON object') as Record<string, unknown> | undefined;
  const post = parseJsonFlag('--post', flags.post, Array.isArray, 'a JSON array of post-transformations') as unknown[] | undefined;
  return {
    useUniqueFileName: flags.uniqueName === true,
    tags: flags.tags === undefined ? undefined : list(flags.tags),
    isPrivateFile: flags.private ? true : undefined,
    isPublished: flags.draft ? false : undefined,
    customCoordinates: flags.customCoordinates,
    responseFields: flags.responseFields === undefined ? undefined : list(flags.responseFields),
    extensions: parseExtensionsFlag('--extensions', flags.extensions),
    webhookUrl: flags.webhookUrl,
    overwriteFile: flags.overwrite === false ? false : undefined,
    overwriteTags: flags.keepTags ? false : undefined,
    overwriteAITags: flags.keepAiTags ? false : undefined,
    overwriteCustomMetadata: flags.keepCustomMetadata ? false : undefined,
    customMetadata: customMetadata && Object.keys(customMetadata).length > 0 ? customMetadata : undefined,
    transformation: flags.pre !== undefined || post !== undefined ? { pre: flags.pre, post } : undefined,
    checks: flags.checks,
    description: flags.description,
  };
}


async function runUpload(sources: string[], flags: UploadFlags, context: Context): Promise<Result> {
  if (flags.skipExisting && flags.uniqueName) throw new UsageError('--skip-existing cannot tell what exists when --unique-name renames every file');
  if (flags.json && flags.ndjson) throw new UsageError('give --json or --ndjson, not both');
  const shared = sharedFields(flags);
  const manifest = flags.manifest === undefined ? undefined : resolve(context.io.cwd, flags.manifest);
  if (manifest && !existsSync(dirname(manifest))) throw new UsageError(`--manifest: the folder ${dirname(manifest)} does not exist`);
  const { planned, cleanup } = await plan(sources, flags, context);
  // A streamed run cleans up when its stream ends, after this function has returned.
  let cleanupHandedOver = false;
  try {
    if (planned.length === 0) context.warn('nothing to upload');
    // A plain dry run asks the API nothing, so it needs no credentials.
    const needsApi = !flags.dryRun || flags.skipExisting || (flags.meta ?? []).length > 0;
    const client = needsApi ? await context.client({ concurrency: flags.concurrency }) : undefined;
    const meta = client ? await typedMeta(flags.meta ?? [], client) : {};
    const fields = Object.keys(meta).length > 0 ? { ...shared, customMetadata: { ...shared.customMetadata, ...meta } } : shared;
    const existing = client && flags.skipExisting ? await existingFiles(planned, client) : new Map<string, FileDetails>();
    const skipped = (item: PlannedUpload) => {
      const remote = existing.get(targetPath(item));
      return remote !== undefined && item.size !== undefined && remote.size === item.size ? remote : undefined;
    };
    if (flags.dryRun) {
      const outcomes = planned.map((item) => dryRunOutcome(item, skipped(item)));
      return present({ outcomes, interrupted: false, notStarted: [], failureCodes: [], uploadedBytes: 0, elapsedMs: 0 }, flags);
    }
    const execute = async (onOutcome?: (outcome: UploadOutcome) => void): Promise<UploadReport> => {
      const run = await uploadAll(planned, { fields, client: client!, skipped, concurrency: flags.concurrency, failFast: flags.failFast, verbose: flags.verbose, onOutcome, context });
      // A refused key refuses every file: one error says so, as for any other command.
      if (run.refusedCredentials && !run.outcomes.some((o) => o.status === 'uploaded')) throw run.refusedCredentials;
      summarise(run, context);
      return { ...run, manifestFailed: manifest !== undefined && !saveManifest(manifest, run.outcomes, context) };
    };
    if (flags.ndjson) {
      cleanupHandedOver = true;
      return streamed(execute, cleanup);
    }
    return present(await execute(), flags);
  } finally {
    if (!cleanupHandedOver) cleanup();
  }
}

/** An upload run as reported: the pool's result, and whether the manifest could not be written. */
interface UploadReport extends UploadRunResult {
  manifestFailed?: boolean;
}

/** Writes the manifest; a failure is told (the uploads happened: they are still shown) and returns false. */
function saveManifest(file: string, outcomes: UploadOutcome[], context: Context): boolean {
  const manifest: Record<string, { status: Status; url: string | null; filePath: string; fileId: string | null; size: number | null; versionId: string | null }> = {};
  for (const o of outcomes) {
    if (o.status === 'uploaded' || o.status === 'skipped') {
      manifest[o.source] = { status: o.status, url: o.url, filePath: o.filePath, fileId: o.fileId, size: o.size, versionId: o.versionId };
    }
  }
  try {
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(manifest, null, 2) + '\n');
    renameSync(temporary, file);
    return true;
  } catch (error) {
    context.error(`cannot write the manifest ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return false;
  }
}

function exitCodeOf(report: UploadReport): number {
  if (report.interrupted) return ExitCode.interrupted;
  if (report.manifestFailed) return ExitCode.failure;
  return batchExitCode(report.outcomes.length, report.failureCodes);
}

/** --ndjson: one line per file as each upload finishes, through the output layer's stream. */
function streamed(execute: (onOutcome: (outcome: UploadOutcome) => void) => Promise<UploadReport>, cleanup: () => void): Result {
  let report: UploadReport | undefined;
  async function* lines() {
    const finished: UploadOutcome[] = [];
    let wake: (() => void) | undefined;
    let done = false;
    const running = execute((outcome) => {
      finished.push(outcome);
      wake?.();
    }).finally(() => {
      done = true;
      wake?.();
    });
    try {
      for (;;) {
        while (finished.length > 0) yield { text: '', json: finished.shift() };
        if (done) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      report = await running;
    } finally {
      // Also when the reader went away: the uploads under way end before their sources are removed.
      report ??= await running.catch(() => undefined);
      cleanup();
    }
  }
  return { kind: 'lines', items: lines(), exitCode: () => (report ? exitCodeOf(report) : ExitCode.failure) };
}

/** One line on stderr for a run of many files or an interrupted one: counts, bytes and time (not with --quiet). */
function summarise(run: UploadRunResult, context: Context): void {
  if (context.options.quiet || (run.outcomes.length < 2 && !run.interrupted)) return;
  const count = (status: Status) => run.outcomes.filter((o) => o.status === status).length;
  const failed = count('failed') - run.notStarted.length;
  const parts = [`${count('uploaded')} uploaded`, `${count('skipped')} skipped`, ...(failed ? [`${failed} failed`] : []), ...(run.notStarted.length ? [`${run.notStarted.length} not started`] : [])];
  context.io.stderr.write(`${parts.join(', ')}, ${humanBytes(run.uploadedBytes)} in ${(run.elapsedMs / 1000).toFixed(1)}s\n`);
}

function present(report: UploadReport, flags: UploadFlags): Result {
  const exitCode = () => exitCodeOf(report);
  if (flags.ndjson) return { kind: 'table', columns: [], rows: report.outcomes, json: report.outcomes, exitCode };
  // Files never started are summed up in one line on stderr, not a row each (they stay in --json).
  const notStarted = new Set(report.notStarted);
  const rows = report.outcomes.filter((o) => !notStarted.has(o));
  return {
    kind: 'table',
    columns: [
      { header: 'status', value: (o: UploadOutcome) => o.status },
      { header: 'local path', value: (o: UploadOutcome) => o.source },
      { header: 'file path', value: (o: UploadOutcome) => o.filePath },
      { header: 'size', value: (o: UploadOutcome) => (o.size === null ? '' : humanBytes(o.size)) },
      { header: 'url', value: (o: UploadOutcome) => o.url ?? o.error?.message ?? '' },
    ],
    rows,
    json: report.outcomes,
    exitCode,
  };
}
