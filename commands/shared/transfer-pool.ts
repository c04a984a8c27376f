/**
 * Moving many files: a pool of concurrent workers with the progress line, --fail-fast and Ctrl-C,
 * each file's outcome handed on as it finishes. Shared by `upload` and `sync` (uploadAll, here) and
 * by the downloads of `sync` and `files download`.
 */
import type { FileDetails, ImageKitClient, UploadFields, UploadResult } from '../../src/client.js';
import { ApiError } from '../../src/errors.js';
import type { Context } from '../cli/context.js';
import { ExitCode, exitCodeFor } from '../cli/errors.js';
import { humanBytes, humanDuration } from '../cli/format.js';
import { progressLine } from '../cli/progress.js';
import { targetPath, type PlannedUpload } from './upload-plan.js';

export type Status = 'uploaded' | 'skipped' | 'failed' | 'planned';

/** What every outcome of a pool says: which file, what became of it, where it went. */
export interface PoolOutcome {
  source: string;
  status: string;
  filePath: string;
  size: number | null;
  error?: { status: number | null; message: string };
}

export interface UploadOutcome extends PoolOutcome {
  status: Status;
  url: string | null;
  fileId: string | null;
  versionId: string | null;
  response?: UploadResult;
}

export function dryRunOutcome(item: PlannedUpload, remote: FileDetails | undefined): UploadOutcome {
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

/** How a pool runs: its workers, and what it does with each item. */
export interface PoolRun<Item extends { source: string; size?: number }, Outcome extends PoolOutcome> {
  concurrency: number;
  failFast?: boolean;
  verbose?: boolean;
  context: Context;
  /** What was done to the files, for the line about files never started: `uploaded`, `downloaded`. */
  verb: string;
  /** Does one item; `onBytes` is told the bytes moved so far (of this try). */
  perform(item: Item, onBytes: (bytes: number) => void): Promise<Outcome>;
  /** The outcome of an item that failed, or was never started. */
  failed(item: Item, error: { status: number | null; message: string }): Outcome;
  /** Told each outcome as it finishes (for a stream of results). */
  onOutcome?: (outcome: Outcome) => void;
}

export interface PoolResult<Outcome> {
  /** In the order the items were given, whatever order they finished in. */
  outcomes: Outcome[];
  interrupted: boolean;
  /** Items never started (after --fail-fast, an interrupt or refused credentials); they are among the outcomes, as failed. */
  notStarted: Outcome[];
  /** Bytes of the files moved (neither failed nor skipped). */
  movedBytes: number;
  elapsedMs: number;
  /** The exit code of each failed item's error (an item never started counts as a failure). */
  failureCodes: number[];
  /** The first refusal of the credentials (401, 403): the run stopped there, as every other file would be refused too. */
  refusedCredentials?: unknown;
}

/** Runs `perform` over the items with `concurrency` workers; each outcome is reported as it finishes. */
export async function runPool<Item extends { source: string; size?: number }, Outcome extends PoolOutcome>(
  items: Item[],
  run: PoolRun<Item, Outcome>,
): Promise<PoolResult<Outcome>> {
  const { context } = run;
  const { io } = context;
  const outcomes: Outcome[] = [];
  // On stderr, so it is drawn whenever stderr is a terminal, whatever stdout carries.
  const progress = progressLine(io, true);
  const inFlight = new Map<Item, number>();
  const totalBytes = items.reduce((sum, p) => sum + (p.size ?? 0), 0);
  const started = io.now();
  let doneBytes = 0;
  const failureCodes: number[] = [];
  let refusedCredentials: unknown;
  let stopping = false;
  let interrupted = false;
  const listening = new AbortController();
  void io.interrupted(listening.signal).then(() => {
    stopping = interrupted = true;
  });

  const finish = (outcome: Outcome) => {
    outcomes.push(outcome);
    doneBytes += outcome.size ?? 0;
    if (outcome.status === 'failed') {
      progress.clear();
      // A refused key is told once, for the whole run, by the command.
      if (outcome.error!.status !== 401 && outcome.error!.status !== 403) context.error(`${outcome.source}: ${outcome.error!.message}`);
      if (run.failFast) stopping = true;
    } else if (run.verbose) {
      progress.clear();
      io.stderr.write(`${outcome.status} ${outcome.source} -> ${outcome.filePath}\n`);
    }
    run.onOutcome?.(outcome);
    showProgress();
  };
  const showProgress = () =>
    progress.update(() => {
      const moved = doneBytes + [...inFlight.values()].reduce((sum, bytes) => sum + bytes, 0);
      const seconds = (io.now() - started) / 1000;
      const rate = seconds > 0 ? moved / seconds : 0;
      const eta = rate > 0 ? humanDuration(Math.max(0, totalBytes - moved) / rate) : '?';
      return (
        `${outcomes.length}/${items.length} files, ${humanBytes(Math.min(moved, totalBytes))}/${humanBytes(totalBytes)}, ${humanBytes(rate)}/s, ETA ${eta}` +
        (failureCodes.length ? `, ${failureCodes.length} failed` : '')
      );
    });

  let next = 0;
  const worker = async () => {
    while (!stopping && next < items.length) {
      const item = items[next++]!;
      try {
        const outcome = await run.perform(item, (bytes) => {
          // A request body is a little larger than the file: count no more than the file.
          inFlight.set(item, Math.min(bytes, item.size ?? bytes));
          showProgress();
        });
        inFlight.delete(item);
        finish(outcome);
      } catch (error) {
        inFlight.delete(item);
        failureCodes.push(exitCodeFor(error));
        if (exitCodeFor(error) === ExitCode.config) {
          refusedCredentials ??= error;
          stopping = true;
        }
        finish(run.failed(item, { status: error instanceof ApiError ? error.status : null, message: (error as Error).message }));
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(run.concurrency, Math.max(items.length, 1)) }, worker));
  } finally {
    listening.abort();
  }
  progress.clear();
  const notStarted: Outcome[] = [];
  if (items.length > outcomes.length) {
    const reason = interrupted ? 'interrupted' : refusedCredentials ? 'the credentials were refused' : 'stopped after the first failure (--fail-fast)';
    // One line for them all; a refused key is told once by the command instead.
    if (!refusedCredentials) io.stderr.write(`${items.length - outcomes.length} file(s) not ${run.verb}: ${reason}\n`);
    // Listed as failed, so that nothing is left out of the results.
    const finished = new Set(outcomes.map((o) => o.source));
    for (const item of items) {
      if (finished.has(item.source)) continue;
      failureCodes.push(ExitCode.failure);
      notStarted.push(run.failed(item, { status: null, message: `not started: ${reason}` }));
    }
    outcomes.push(...notStarted);
  }
  // Reported in the order the items were given, whatever order they finished in.
  const order = new Map(items.map((item, index) => [item.source, index]));
  outcomes.sort((a, b) => order.get(a.source)! - order.get(b.source)!);
  const movedBytes = outcomes.reduce((sum, o) => sum + (o.status === 'failed' || o.status === 'skipped' ? 0 : o.size ?? 0), 0);
  return { outcomes, interrupted, notStarted, failureCodes, refusedCredentials, movedBytes, elapsedMs: io.now() - started };
}

export interface UploadRun extends Pick<PoolRun<PlannedUpload, UploadOutcome>, 'concurrency' | 'failFast' | 'verbose' | 'context' | 'onOutcome'> {
  fields: Omit<UploadFields, 'fileName'>;
  client: ImageKitClient;
  /** The remote file that makes an upload unnecessary, if any. */
  skipped: (item: PlannedUpload) => Promise<FileDetails | undefined>;
  /** Custom metadata of one file, added to the shared values (the file's SHA-256). */
  fileMetadata?: (item: PlannedUpload) => Promise<Record<string, unknown> | undefined>;
}

export type UploadRunResult = PoolResult<UploadOutcome>;

/** Uploads with `concurrency` workers; each outcome is reported as it finishes. */
export function uploadAll(planned: PlannedUpload[], run: UploadRun): Promise<UploadRunResult> {
  const { client, fields } = run;
  return runPool(planned, {
    ...run,
    verb: 'uploaded',
    async perform(item, onBytes): Promise<UploadOutcome> {
      const remote = await run.skipped(item);
      if (remote) return { ...dryRunOutcome(item, remote), status: 'skipped' };
      const own = await run.fileMetadata?.(item);
      const customMetadata = own ? { ...fields.customMetadata, ...own } : fields.customMetadata;
      const response = await client.upload(item.upload, { ...fields, customMetadata, fileName: item.fileName, folder: item.folder }, onBytes);
      return {
        source: item.source,
        status: 'uploaded',
        filePath: response.filePath,
        size: response.size,
        url: response.url,
        fileId: response.fileId,
        versionId: response.versionInfo?.id ?? null,
        response,
      };
    },
    failed: (item, error) => ({ source: item.source, status: 'failed', filePath: targetPath(item), size: item.size ?? null, url: null, fileId: null, versionId: null, error }),
  });
}
