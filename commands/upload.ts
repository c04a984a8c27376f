import { accessSync, constants, createWriteStream, existsSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { FileDetails, ImageKitClient, UploadFields, UploadResult, UploadSource } from '../src/client.js';
import { ApiError } from '../src/errors.js';
import { globBase, globToRegExp, isGlob, matchesPattern, walkDirectory } from '../src/files.js';
import { filePathIn, normaliseFolder, sanitiseName } from '../src/paths.js';
import { isAbsoluteUrl } from '../src/url.js';
import { ExitCode, parseInteger, UsageError, type Context } from './context.js';
import { exitCodeFor } from './errors.js';
import type { Result } from './output.js';
import { humanBytes, humanDuration, progressLine } from './progress.js';
import { collect, list, parseJsonFlag, typedMeta } from './values.js';

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

/** One file to upload, as planned before anything is sent. */
interface PlannedUpload {
  /** What the user knows it by: its path relative to the working directory, `-`, or the URL. */
  source: string;
  upload: UploadSource;
  fileName: string;
  folder: string;
  /** Bytes, when known before sending (not for URLs). */
  size?: number;
}

type Status = 'uploaded' | 'skipped' | 'failed' | 'planned';

interface UploadOutcome {
  source: string;
  status: Status;
  filePath: string;
  size: number | null;
  url: string | null;
  fileId: string | null;
  versionId: string | null;
  response?: UploadResult;
  error?: { status: number | null; message: string };
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


export function register(program: Command, context: Context): void {
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
    .option('--extensions <json>', 'extensions to run, as a JSON array')
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
    .action(context.action<[string[]], UploadFlags>(([sources], flags) => runUpload(sources, flags, context)));
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
    extensions: parseJsonFlag('--extensions', flags.extensions, Array.isArray, 'a JSON array') as unknown[] | undefined,
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

const joinFolder = (...parts: string[]) => normaliseFolder(parts.join('/'));
const toPosix = (path: string) => path.split(sep).join('/');

/** Saves stdin to a temporary file, so that a retried upload can send it again; `onCreated` can remove it. */
async function spoolStdin(context: Context, onCreated: (dir: string) => void): Promise<{ path: string; size: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'imagekit-stdin-'));
  onCreated(dir);
  const path = join(dir, 'stdin');
  await pipeline(context.io.stdin, createWriteStream(path));
  return { path, size: statSync(path).size };
}

/** Checks --folder before anything is sent: ImageKit refuses `..`, and `\` or `:` are signs of a local path. */
function checkFolder(folder: string): void {
  if (folder.split('/').includes('..')) throw new UsageError(`--folder "${folder}" must not contain ..`);
  if (/[\\:]/.test(folder)) {
    throw new UsageError(`--folder "${folder}" looks like a local path; in Git Bash, set MSYS_NO_PATHCONV=1 so that /folder is passed as written`);
  }
}

/** Turns the sources into planned uploads, refusing bad input before anything is sent. */
async function plan(sources: string[], flags: UploadFlags, context: Context): Promise<{ planned: PlannedUpload[]; cleanup: () => void }> {
  const { io } = context;
  const planned: PlannedUpload[] = [];
  const cleanups: Array<() => void> = [];
  const baseFolder = normaliseFolder(flags.folder ?? '/');
  const filtered = (relativePath: string) =>
    (!flags.include?.length || flags.include.some((p) => matchesPattern(relativePath, p))) && !(flags.exclude ?? []).some((p) => matchesPattern(relativePath, p));
  const walkOptions = { hidden: flags.hidden === true, followSymlinks: flags.followSymlinks === true };
  const shownPath = (path: string) => toPosix(relative(io.cwd, path)) || '.';
  const unreadable = (path: string, reason: string) => context.warn(`skipped ${shownPath(path)}: ${reason}`);
  const readable = (path: string, source: string) => {
    try {
      accessSync(path, constants.R_OK);
    } catch {
      throw new UsageError(`cannot read ${source}`);
    }
  };

  if (flags.folder !== undefined) checkFolder(flags.folder);
  if (flags.name !== undefined && sources.length !== 1) throw new UsageError('--name names one file: give one source with it');
  for (const source of sources) {
    if (source === '-') {
      if (!flags.name) throw new UsageError('uploading stdin (-) needs --name');
      const spooled = await spoolStdin(context, (dir) => cleanups.push(() => rmSync(dir, { recursive: true, force: true })));
      if (spooled.size === 0) context.warn('stdin was empty: uploading an empty file');
      planned.push({ source: '-', upload: { path: spooled.path }, fileName: flags.name, folder: baseFolder, size: spooled.size });
      continue;
    }
    if (isAbsoluteUrl(source)) {
      let name: string;
      try {
        name = flags.name ?? decodeURIComponent(basename(new URL(source).pathname));
      } catch {
        throw new UsageError(`"${source}" is not a valid URL`);
      }
      if (!name) throw new UsageError(`cannot tell a file name from ${source}: pass --name`);
      planned.push({ source, upload: { url: source }, fileName: name, folder: baseFolder });
      continue;
    }
    const path = resolve(io.cwd, source);
    if (existsSync(path)) {
      const stat = statSync(path);
      if (stat.isDirectory()) {
        if (flags.folder === undefined) {
          throw new UsageError(`uploading the directory ${source} needs --folder: its files go under that folder (use --folder / for the root)`);
        }
        if (flags.name !== undefined) throw new UsageError('--name names one file, not a directory');
        for (const file of walkDirectory(path, walkOptions, unreadable)) {
          if (!filtered(file.relativePath)) continue;
          readable(file.path, shownPath(file.path));
          const relativeDir = file.relativePath.includes('/') ? file.relativePath.slice(0, file.relativePath.lastIndexOf('/')) : '';
          planned.push({ source: shownPath(file.path), upload: { path: file.path }, fileName: basename(file.path), folder: joinFolder(baseFolder, relativeDir), size: file.size });
        }
      } else {
        readable(path, source);
        if (!filtered(basename(path))) {
          context.warn(`${source} left out by --include/--exclude`);
          continue;
        }
        planned.push({ source: shownPath(path), upload: { path }, fileName: flags.name ?? basename(path), folder: baseFolder, size: stat.size });
      }
      continue;
    }
    if (isGlob(source)) {
      const base = resolve(io.cwd, globBase(source));
      const relativeGlob = toPosix(relative(base, resolve(io.cwd, source)));
      const pattern = globToRegExp(relativeGlob);
      // Without `**` a glob cannot match deeper than its own segments: walk no further than that.
      const maxDepth = relativeGlob.includes('**') ? undefined : relativeGlob.split('/').length;
      const matched = existsSync(base)
        ? walkDirectory(base, { ...walkOptions, maxDepth }, unreadable).filter((f) => pattern.test(f.relativePath) && filtered(f.relativePath))
        : [];
      if (matched.length === 0) throw new UsageError(`no files match ${source}`);
      if (flags.name !== undefined && matched.length > 1) throw new UsageError(`--name names one file, and ${source} matches ${matched.length}`);
      for (const file of matched) {
        readable(file.path, shownPath(file.path));
        const relativeDir = file.relativePath.includes('/') ? file.relativePath.slice(0, file.relativePath.lastIndexOf('/')) : '';
        planned.push({ source: shownPath(file.path), upload: { path: file.path }, fileName: flags.name ?? basename(file.path), folder: joinFolder(baseFolder, relativeDir), size: file.size });
      }
      continue;
    }
    throw new UsageError(`no such file or directory: ${source}`);
  }

  const targets = new Map<string, string>();
  for (const item of planned) {
    const target = targetPath(item);
    const other = targets.get(target);
    if (other !== undefined && !flags.uniqueName) throw new UsageError(`${other} and ${item.source} would both be uploaded to ${target}`);
    targets.set(target, item.source);
  }
  return { planned, cleanup: () => cleanups.forEach((c) => c()) };
}

/** What exists remotely in each folder the plan touches: one list call per folder. */
async function existingFiles(planned: PlannedUpload[], client: ImageKitClient): Promise<Map<string, FileDetails>> {
  const existing = new Map<string, FileDetails>();
  for (const folder of new Set(planned.map((p) => p.folder))) {
    for await (const page of client.listPages({ path: folder, type: 'file' })) {
      for (const item of page) if (item.type === 'file') existing.set(item.filePath, item);
    }
  }
  return existing;
}

/** Where a planned upload lands, as ImageKit will name it. */
const targetPath = (item: PlannedUpload) => filePathIn(item.folder, sanitiseName(item.fileName));

async function runUpload(sources: string[], flags: UploadFlags, context: Context): Promise<Result> {
  if (flags.skipExisting && flags.uniqueName) throw new UsageError('--skip-existing cannot tell what exists when --unique-name renames every file');
  if (flags.json && flags.ndjson) throw new UsageError('give --json or --ndjson, not both');
  const shared = sharedFields(flags);
  const manifest = flags.manifest === undefined ? undefined : resolve(context.io.cwd, flags.manifest);
  if (manifest && !existsSync(dirname(manifest))) throw new UsageError(`--manifest: the folder ${dirname(manifest)} does not exist`);
  const { planned, cleanup } = await plan(sources, flags, context);
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
    const run: UploadRunResult = flags.dryRun
      ? { outcomes: planned.map((item) => dryRunOutcome(item, skipped(item))), interrupted: false, notStarted: 0 }
      : await uploadAll(planned, { fields, client: client!, skipped, flags, context });
    if (manifest && !flags.dryRun) {
      try {
        writeManifest(manifest, run.outcomes);
      } catch (error) {
        // The uploads happened: still show them, and fail for the manifest.
        context.io.stderr.write(`error: cannot write the manifest ${manifest}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
        run.manifestFailed = true;
      }
    }
    return present(run, flags);
  } finally {
    cleanup();
  }
}

function dryRunOutcome(item: PlannedUpload, remote: FileDetails | undefined): UploadOutcome {
  return {
    source: item.source,
    status: remote ? 'skipped' : 'planned',
    filePath: targetPath(item),
    size: item.size ?? null,
    url: remote?.url ?? null,
    fileId: remote?.fileId ?? null,
    versionId: remote?.versionInfo.id ?? null,
  };
}

interface UploadRun {
  fields: Omit<UploadFields, 'fileName'>;
  client: ImageKitClient;
  skipped: (item: PlannedUpload) => FileDetails | undefined;
  flags: UploadFlags;
  context: Context;
}

interface UploadRunResult {
  outcomes: UploadOutcome[];
  interrupted: boolean;
  /** Files never started (after --fail-fast or an interrupt); they are among the outcomes, as failed. */
  notStarted: number;
  lastError?: unknown;
  manifestFailed?: boolean;
}

/** Uploads with `concurrency` workers; each outcome is reported as it finishes. */
async function uploadAll(planned: PlannedUpload[], run: UploadRun): Promise<UploadRunResult> {
  const { client, fields, flags, context } = run;
  const { io } = context;
  const outcomes: UploadOutcome[] = [];
  // On stderr, so it is drawn whenever stderr is a terminal, whatever stdout carries.
  const progress = progressLine(io, true);
  const inFlight = new Map<PlannedUpload, number>();
  const totalBytes = planned.reduce((sum, p) => sum + (p.size ?? 0), 0);
  const started = io.now();
  let doneBytes = 0;
  let failures = 0;
  let stopping = false;
  let interrupted = false;
  void io.interrupted().then(() => {
    stopping = interrupted = true;
  });

  const finish = (outcome: UploadOutcome) => {
    outcomes.push(outcome);
    doneBytes += outcome.size ?? 0;
    if (outcome.status === 'failed') {
      failures++;
      progress.clear();
      io.stderr.write(`error: ${outcome.source}: ${outcome.error!.message}\n`);
      if (flags.failFast) stopping = true;
    } else if (flags.verbose) {
      progress.clear();
      io.stderr.write(`${outcome.status} ${outcome.source} -> ${outcome.filePath}\n`);
    }
    if (flags.ndjson) io.stdout.write(JSON.stringify(outcome) + '\n');
    showProgress();
  };
  const showProgress = () => {
    const sent = doneBytes + [...inFlight.values()].reduce((sum, bytes) => sum + bytes, 0);
    const seconds = (io.now() - started) / 1000;
    const rate = seconds > 0 ? sent / seconds : 0;
    const eta = rate > 0 ? humanDuration(Math.max(0, totalBytes - sent) / rate) : '?';
    progress.update(
      `${outcomes.length}/${planned.length} files, ${humanBytes(Math.min(sent, totalBytes))}/${humanBytes(totalBytes)}, ${humanBytes(rate)}/s, ETA ${eta}` +
        (failures ? `, ${failures} failed` : ''),
    );
  };

  let next = 0;
  const worker = async () => {
    while (!stopping && next < planned.length) {
      const item = planned[next++]!;
      const remote = run.skipped(item);
      if (remote) {
        finish({ ...dryRunOutcome(item, remote), status: 'skipped' });
        continue;
      }
      try {
        const response = await client.upload(item.upload, { ...fields, fileName: item.fileName, folder: item.folder }, (sent) => {
          // The multipart body is a little larger than the file: count no more than the file.
          inFlight.set(item, Math.min(sent, item.size ?? sent));
          showProgress();
        });
        inFlight.delete(item);
        finish({
          source: item.source,
          status: 'uploaded',
          filePath: response.filePath,
          size: response.size,
          url: response.url,
          fileId: response.fileId,
          versionId: response.versionInfo?.id ?? null,
          response,
        });
      } catch (error) {
        inFlight.delete(item);
        const status = error instanceof ApiError ? error.status : null;
        finish({
          source: item.source,
          status: 'failed',
          filePath: targetPath(item),
          size: item.size ?? null,
          url: null,
          fileId: null,
          versionId: null,
          error: { status, message: (error as Error).message },
        });
        lastError = error;
      }
    }
  };
  let lastError: unknown;
  await Promise.all(Array.from({ length: Math.min(flags.concurrency, Math.max(planned.length, 1)) }, worker));
  progress.clear();
  const notStarted = planned.length - outcomes.length;
  if (notStarted > 0) {
    const reason = interrupted ? 'interrupted' : 'stopped after the first failure (--fail-fast)';
    io.stderr.write(`${notStarted} file(s) not uploaded: ${reason}\n`);
    // Listed as failed, so that nothing is left out of the results.
    const finished = new Set(outcomes.map((o) => o.source));
    for (const item of planned) {
      if (finished.has(item.source)) continue;
      outcomes.push({ source: item.source, status: 'failed', filePath: targetPath(item), size: item.size ?? null, url: null, fileId: null, versionId: null, error: { status: null, message: `not started: ${reason}` } });
    }
  }
  // Reported in the order the files were given, whatever order they finished in.
  const order = new Map(planned.map((item, index) => [item.source, index]));
  outcomes.sort((a, b) => order.get(a.source)! - order.get(b.source)!);
  return { outcomes, interrupted, notStarted, lastError };
}

function writeManifest(file: string, outcomes: UploadOutcome[]): void {
  const manifest: Record<string, { status: Status; url: string | null; filePath: string; fileId: string | null; size: number | null; versionId: string | null }> = {};
  for (const o of outcomes) {
    if (o.status === 'uploaded' || o.status === 'skipped') {
      manifest[o.source] = { status: o.status, url: o.url, filePath: o.filePath, fileId: o.fileId, size: o.size, versionId: o.versionId };
    }
  }
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(manifest, null, 2) + '\n');
  renameSync(temporary, file);
}

function present(run: UploadRunResult, flags: UploadFlags): Result {
  const { outcomes } = run;
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  const succeeded = outcomes.length - failed;
  const exitCode = () => {
    if (run.interrupted) return ExitCode.interrupted;
    if (run.manifestFailed) return ExitCode.failure;
    if (failed === 0) return ExitCode.ok;
    if (succeeded > 0) return ExitCode.partial;
    // Everything failed: a credentials problem says so (3); anything else is a failure (1).
    return exitCodeFor(run.lastError) === ExitCode.config ? ExitCode.config : ExitCode.failure;
  };
  if (flags.ndjson) {
    // Uploads were printed as each finished; a dry run prints its plan here.
    const lines = flags.dryRun ? outcomes.map((o) => ({ text: '', json: o })) : [];
    return { kind: 'lines', items: (async function* () { yield* lines; })(), exitCode };
  }
  return {
    kind: 'table',
    columns: [
      { header: 'status', value: (o: UploadOutcome) => o.status },
      { header: 'local path', value: (o: UploadOutcome) => o.source },
      { header: 'file path', value: (o: UploadOutcome) => o.filePath },
      { header: 'size', value: (o: UploadOutcome) => (o.size === null ? '' : humanBytes(o.size)) },
      { header: 'url', value: (o: UploadOutcome) => o.url ?? o.error?.message ?? '' },
    ],
    rows: outcomes,
    exitCode,
  };
}
