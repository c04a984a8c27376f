/** `imagekit upload`: the command and its flags; planning and sending are shared with sync (shared/upload-plan.ts, shared/transfer-pool.ts). */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CustomMetadataField, FileDetails } from '../../src/client.js';
import { writeFileDurablySync } from '../../src/durable-write.js';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../../src/limits.js';
import type { Registrar } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { batchExitCode, ExitCode, UsageError } from '../cli/errors.js';
import { collect, parseInteger } from '../cli/flags.js';
import { humanBytes } from '../cli/format.js';
import type { Result } from '../cli/output.js';
import { streamedResult } from '../cli/stream.js';
import { hashFieldState, LocalHashes, storedHash } from '../shared/content-hash.js';
import { addKeepOptions, hashMetadata, sharedFields, withMeta, type FieldFlags } from '../shared/upload-fields.js';
import { addSelectionOptions, existingFiles, plan, targetPath, type PlannedUpload } from '../shared/upload-plan.js';
import { dryRunOutcome, uploadAll, type Status, type UploadOutcome, type UploadRunResult } from '../shared/transfer-pool.js';

interface UploadFlags extends FieldFlags {
  folder?: string;
  name?: string;
  overwrite: boolean;
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
  const upload = program
    .command('upload')
    .summary('upload files, folders, globs, stdin or URLs')
    .description('Upload to the media library: files stream from disk, run concurrently, and failures are retried and then reported.')
    .argument('<source...>', 'a file, a directory (uploaded recursively), a glob, - for stdin, or an http(s) URL')
    .option('--folder <path>', 'destination folder (a directory keeps its structure under it)')
    .option('--name <name>', 'file name (one source only)')
    .option('--tags <a,b>', 'tags')
    .option('--private', 'private file: delivered only through signed URLs')
    .option('--unique-name', 'let ImageKit add a random suffix to each name')
    .option('--no-overwrite', 'fail instead of replacing a file of the same name');
  addKeepOptions(upload)
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
    .option('--draft', 'upload unpublished (isPublished false)');
  addSelectionOptions(upload)
    .option('--concurrency <n>', 'uploads at once', parseInteger('--concurrency', { min: 1, max: MAX_CONCURRENCY }), DEFAULT_CONCURRENCY)
    .option('--fail-fast', 'stop starting uploads after the first failure')
    .option('--skip-existing', 'skip files that exist remotely unchanged: the same SHA-256 where stored, else the same size (one list call per folder)')
    .option('--manifest <file.json>', 'write the URL, path, id, size and version of every uploaded or skipped file')
    .option('--dry-run', 'show what would be uploaded where, and send nothing that changes anything')
    .option('--json', 'print a JSON array of per-file results')
    .option('--ndjson', 'print one JSON result a line as each upload finishes')
    .addHelpText('after', EXAMPLES)
    .action(registrar.action<[string[]], UploadFlags>(([sources], flags, context) => runUpload(sources, flags, context)));
}

async function runUpload(sources: string[], flags: UploadFlags, context: Context): Promise<Result> {
  if (flags.skipExisting && flags.uniqueName) throw new UsageError('--skip-existing cannot tell what exists when --unique-name renames every file');
  if (flags.json && flags.ndjson) throw new UsageError('give --json or --ndjson, not both');
  const shared = sharedFields(flags);
  const manifest = flags.manifest === undefined ? undefined : resolve(context.io.cwd, flags.manifest);
  if (manifest && !existsSync(dirname(manifest))) throw new UsageError(`--manifest: the folder ${dirname(manifest)} does not exist`);
  const { planned, rejected, cleanup } = await plan(sources, flags, context);
  // Files that cannot be sent fail alone, before the others are sent.
  const rejectedOutcomes = rejected.map((r): UploadOutcome => ({ source: r.source, status: 'failed', filePath: r.filePath, size: null, url: null, fileId: null, versionId: null, error: { status: null, message: r.reason } }));
  for (const r of rejected) context.error(`${r.source}: ${r.reason}`);
  // A streamed run cleans up when its stream ends, after this function has returned.
  let cleanupHandedOver = false;
  try {
    if (planned.length === 0 && rejected.length === 0) context.warn('nothing to upload');
    // A plain dry run asks the API nothing, so it needs no credentials.
    const needsApi = !flags.dryRun || flags.skipExisting || (flags.meta ?? []).length > 0;
    const client = needsApi ? await context.client({ concurrency: flags.concurrency }) : undefined;
    // The account's custom metadata fields, asked for once: to type --meta, and to know whether each
    // file's SHA-256 can be stored (upload never creates the field: sync does).
    let accountFields: Promise<CustomMetadataField[]> | undefined;
    const loadFields = () => (accountFields ??= client!.listCustomMetadataFields());
    const fields = client ? await withMeta(shared, flags.meta, loadFields) : shared;
    const hashes = new LocalHashes();
    const storesHash = client !== undefined && !flags.dryRun && hashFieldState(await loadFields()) === 'usable';
    const existing = client && flags.skipExisting ? await existingFiles(planned, client) : new Map<string, FileDetails>();
    // The stored SHA-256 decides when the remote file has one (a file this tool uploaded), else the size.
    const skipped = async (item: PlannedUpload) => {
      const remote = existing.get(targetPath(item));
      if (remote === undefined || item.size === undefined || remote.size !== item.size) return undefined;
      const stored = storedHash(remote);
      if (stored === undefined || !('path' in item.upload)) return remote;
      return stored === (await hashes.of(item.upload.path)) ? remote : undefined;
    };
    if (flags.dryRun) {
      const outcomes = [...rejectedOutcomes, ...(await Promise.all(planned.map(async (item) => dryRunOutcome(item, await skipped(item)))))];
      return present({ outcomes, interrupted: false, notStarted: [], failureCodes: rejected.map(() => ExitCode.failure), movedBytes: 0, elapsedMs: 0 }, flags);
    }
    const execute = async (onOutcome?: (outcome: UploadOutcome) => void): Promise<UploadReport> => {
      for (const outcome of rejectedOutcomes) onOutcome?.(outcome);
      const fileMetadata = storesHash ? hashMetadata(hashes) : undefined;
      const uploaded = await uploadAll(planned, { fields, client: client!, skipped, fileMetadata, concurrency: flags.concurrency, failFast: flags.failFast, verbose: flags.verbose, onOutcome, context });
      const run = { ...uploaded, outcomes: [...rejectedOutcomes, ...uploaded.outcomes], failureCodes: [...rejected.map(() => ExitCode.failure), ...uploaded.failureCodes] };
      // A refused key refuses every file: one error says so, as for any other command.
      if (run.refusedCredentials && !run.outcomes.some((o) => o.status === 'uploaded')) throw run.refusedCredentials;
      summarise(run, context);
      return { ...run, manifestFailed: manifest !== undefined && !saveManifest(manifest, run.outcomes, context) };
    };
    if (flags.ndjson) {
      cleanupHandedOver = true;
      // One line per file as each upload finishes; the sources are removed once the stream ends.
      return streamedResult(execute, exitCodeOf, cleanup);
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
    writeFileDurablySync(file, JSON.stringify(manifest, null, 2) + '\n');
    return true;
  } catch (error) {
    context.error(`the manifest: ${(error as Error).message}`);
    return false;
  }
}

function exitCodeOf(report: UploadReport): number {
  if (report.interrupted) return ExitCode.interrupted;
  if (report.manifestFailed) return ExitCode.failure;
  return batchExitCode(report.outcomes.length, report.failureCodes);
}

/** One line on stderr for a run of many files or an interrupted one: counts, bytes and time (not with --quiet). */
function summarise(run: UploadRunResult, context: Context): void {
  if (context.options.quiet || (run.outcomes.length < 2 && !run.interrupted)) return;
  const count = (status: Status) => run.outcomes.filter((o) => o.status === status).length;
  const failed = count('failed') - run.notStarted.length;
  const parts = [`${count('uploaded')} uploaded`, `${count('skipped')} skipped`, ...(failed ? [`${failed} failed`] : []), ...(run.notStarted.length ? [`${run.notStarted.length} not started`] : [])];
  context.io.stderr.write(`${parts.join(', ')}, ${humanBytes(run.movedBytes)} in ${(run.elapsedMs / 1000).toFixed(1)}s\n`);
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
