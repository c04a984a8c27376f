/**
 * Sending planned uploads: a pool of concurrent workers, the progress line, --fail-fast and Ctrl-C,
 * each file's outcome handed on as it finishes.
 */
import type { FileDetails, ImageKitClient, UploadFields, UploadResult } from '../../src/client.js';
import { ApiError } from '../../src/errors.js';
import type { Context } from '../cli/context.js';
import { ExitCode, exitCodeFor } from '../cli/errors.js';
import { humanBytes, humanDuration } from '../cli/format.js';
import { progressLine } from '../cli/progress.js';
import { targetPath, type PlannedUpload } from './plan.js';

export type Status = 'uploaded' | 'skipped' | 'failed' | 'planned';

export interface UploadOutcome {
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

export interface UploadRun {
  fields: Omit<UploadFields, 'fileName'>;
  client: ImageKitClient;
  /** The remote file that makes an upload unnecessary, if any. */
  skipped: (item: PlannedUpload) => FileDetails | undefined;
  concurrency: number;
  failFast?: boolean;
  verbose?: boolean;
  /** Told each outcome as it finishes (for a stream of results). */
  onOutcome?: (outcome: UploadOutcome) => void;
  context: Context;
}

export interface UploadRunResult {
  /** In the order the files were planned, whatever order they finished in. */
  outcomes: UploadOutcome[];
  interrupted: boolean;
  /** Files never started (after --fail-fast, an interrupt or refused credentials); they are among the outcomes, as failed. */
  notStarted: UploadOutcome[];
  /** Bytes of the files uploaded. */
  uploadedBytes: number;
  elapsedMs: number;
  /** The exit code of each failed file's error (a file never started counts as a failure). */
  failureCodes: number[];
  /** The first refusal of the credentials (401, 403): the run stopped there, as every other file would be refused too. */
  refusedCredentials?: unknown;
}

/** Uploads with `concurrency` workers; each outcome is reported as it finishes. */
export async function uploadAll(planned: PlannedUpload[], run: UploadRun): Promise<UploadRunResult> {
  const { client, fields, context } = run;
  const { io } = context;
  const outcomes: UploadOutcome[] = [];
  // On stderr, so it is drawn whenever stderr is a terminal, whatever stdout carries.
  const progress = progressLine(io, true);
  const inFlight = new Map<PlannedUpload, number>();
  const totalBytes = planned.reduce((sum, p) => sum + (p.size ?? 0), 0);
  const started = io.now();
  let doneBytes = 0;
  const failureCodes: number[] = [];
  let refusedCredentials: unknown;
  let stopping = false;
  let interrupted = false;
  void io.interrupted().then(() => {
    stopping = interrupted = true;
  });

  const finish = (outcome: UploadOutcome) => {
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
  const showProgress = () => {
    const sent = doneBytes + [...inFlight.values()].reduce((sum, bytes) => sum + bytes, 0);
    const seconds = (io.now() - started) / 1000;
    const rate = seconds > 0 ? sent / seconds : 0;
    const eta = rate > 0 ? humanDuration(Math.max(0, totalBytes - sent) / rate) : '?';
    progress.update(
      `${outcomes.length}/${planned.length} files, ${humanBytes(Math.min(sent, totalBytes))}/${humanBytes(totalBytes)}, ${humanBytes(rate)}/s, ETA ${eta}` +
        (failureCodes.length ? `, ${failureCodes.length} failed` : ''),
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
        failureCodes.push(exitCodeFor(error));
        if (exitCodeFor(error) === ExitCode.config) {
          refusedCredentials ??= error;
          stopping = true;
        }
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
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(run.concurrency, Math.max(planned.length, 1)) }, worker));
  progress.clear();
  const notStarted: UploadOutcome[] = [];
  if (planned.length > outcomes.length) {
    const reason = interrupted ? 'interrupted' : refusedCredentials ? 'the credentials were refused' : 'stopped after the first failure (--fail-fast)';
    // One line for them all; a refused key is told once by the command instead.
    if (!refusedCredentials) io.stderr.write(`${planned.length - outcomes.length} file(s) not uploaded: ${reason}\n`);
    // Listed as failed, so that nothing is left out of the results.
    const finished = new Set(outcomes.map((o) => o.source));
    for (const item of planned) {
      if (finished.has(item.source)) continue;
      failureCodes.push(ExitCode.failure);
      notStarted.push({ source: item.source, status: 'failed', filePath: targetPath(item), size: item.size ?? null, url: null, fileId: null, versionId: null, error: { status: null, message: `not started: ${reason}` } });
    }
    outcomes.push(...notStarted);
  }
  // Reported in the order the files were given, whatever order they finished in.
  const order = new Map(planned.map((item, index) => [item.source, index]));
  outcomes.sort((a, b) => order.get(a.source)! - order.get(b.source)!);
  const uploadedBytes = outcomes.reduce((sum, o) => sum + (o.status === 'uploaded' ? o.size ?? 0 : 0), 0);
  return { outcomes, interrupted, notStarted, failureCodes, refusedCredentials, uploadedBytes, elapsedMs: io.now() - started };
}

