/**
 * What push and pull do alike: the run's options, deciding a file present on both sides, the
 * --max-delete refusal, transfers and deletions as they finish, and deletions held back.
 */
import type { Context } from '../cli/context.js';
import { exitCodeFor, UsageError } from '../cli/errors.js';
import type { FieldFlags } from '../shared/upload-fields.js';
import type { PoolOutcome, PoolResult } from '../shared/transfer-pool.js';
import type { ActionKind, SyncAction, SyncReport } from './report.js';
import type { TreeFilter } from './tree.js';

export interface SyncFlags extends TreeFilter, Pick<FieldFlags, 'tags' | 'meta' | 'keepTags' | 'keepAiTags' | 'keepCustomMetadata'> {
  followSymlinks?: boolean;
  concurrency: number;
  delete?: boolean;
  maxDelete: number;
  purge?: boolean;
  wait?: boolean;
  waitTimeout: number;
  sizeOnly?: boolean;
  dryRun?: boolean;
  json?: boolean;
  ndjson?: boolean;
  verbose?: boolean;
}

/** One sync as the command line asked for it. */
export interface SyncRun {
  /** The local directory: absolute, and as typed. */
  localDir: string;
  localArg: string;
  /** The remote folder, normalised: `/assets`. */
  folder: string;
  flags: SyncFlags;
  context: Context;
  /** Told each action (and purge) as it happens, for --ndjson. */
  emit: (line: object) => void;
}

/**
 * Whether a file on both sides differs, and why: the stored SHA-256 decides when there is one, the
 * size otherwise (and always with --size-only). A remote file without a stored hash counts as
 * changed when `unhashedIsChanged` (push: uploaded once more, to store it). `localHash` is asked
 * for only when needed.
 */
export async function compare(
  local: { size: number },
  remote: { size: number; hash: string | undefined },
  options: { sizeOnly?: boolean; unhashedIsChanged: boolean },
  localHash: () => Promise<string>,
): Promise<{ changed: boolean; reason: string }> {
  if (local.size !== remote.size) return { changed: true, reason: 'size changed' };
  if (options.sizeOnly) return { changed: false, reason: 'same size (--size-only)' };
  if (remote.hash === undefined) {
    return options.unhashedIsChanged
      ? { changed: true, reason: 'no stored SHA-256 (uploaded by something else): uploaded once to store it' }
      : { changed: false, reason: 'same size (no stored SHA-256)' };
  }
  return remote.hash === (await localHash()) ? { changed: false, reason: 'same SHA-256' } : { changed: true, reason: 'content changed (SHA-256)' };
}

/** Refuses the whole run (exit 2, nothing changed) when more files would be deleted than allowed. */
export function checkMaxDelete(deletions: number, run: SyncRun): void {
  const { maxDelete, dryRun } = run.flags;
  if (dryRun || deletions <= maxDelete) return;
  throw new UsageError(
    `refusing to delete ${deletions} files, more than --max-delete ${maxDelete}: nothing was changed. See them with --dry-run; to go ahead, re-run with --max-delete ${deletions}`,
  );
}

/** A new report of a run, with its actions as planned. */
export function newReport(run: SyncRun, direction: SyncReport['direction'], actions: SyncAction[]): SyncReport {
  return { direction, local: run.localArg, remote: run.folder, dryRun: run.flags.dryRun === true, actions, purges: [], bytes: 0, seconds: 0, interrupted: false, failureCodes: [] };
}

/** An action as planned: `status` is planned in a dry run; a kept file is done at once otherwise. */
export function planned(run: SyncRun, action: ActionKind, fields: Omit<SyncAction, 'action' | 'status'>): SyncAction {
  return { action, ...fields, status: run.flags.dryRun || action !== 'keep' ? 'planned' : 'done' };
}

/**
 * Records a pool's outcomes on their actions (by source), telling each as it finishes; the files a
 * pool never started are told at its end. Returns the function to hand the pool as onOutcome, and
 * the one to call with the pool's result.
 */
export function transferRecorder<Outcome extends PoolOutcome>(run: SyncRun, report: SyncReport, actions: Map<string, SyncAction>, onDone: (action: SyncAction, outcome: Outcome) => void) {
  const record = (outcome: Outcome) => {
    const action = actions.get(outcome.source)!;
    if (action.status !== 'planned') return;
    if (outcome.status === 'failed') Object.assign(action, { status: 'failed', error: outcome.error!.message });
    else {
      action.status = 'done';
      report.bytes += outcome.size ?? 0;
      onDone(action, outcome);
    }
    run.emit(action);
  };
  const finished = (result: PoolResult<Outcome>) => {
    result.outcomes.forEach(record);
    report.failureCodes.push(...result.failureCodes);
    report.interrupted ||= result.interrupted;
  };
  return { record, finished };
}

/**
 * Whether deletions (and purges) may go ahead: only once every transfer succeeded, so that a failed
 * upload never leaves a folder with the old file deleted. Otherwise the deletions are held back, and
 * a re-run makes them.
 */
export function mayDelete(run: SyncRun, report: SyncReport, deletions: SyncAction[]): boolean {
  if (!report.interrupted && report.failureCodes.length === 0) return true;
  const reason = report.interrupted ? 'the run was interrupted' : `${report.failureCodes.length} transfer(s) failed`;
  for (const action of deletions) {
    Object.assign(action, { status: 'held', error: reason });
    run.emit(action);
  }
  if (deletions.length > 0) run.context.io.stderr.write(`${deletions.length} deletion(s) held back: ${reason}; a re-run makes them\n`);
  return false;
}

/** Marks a deletion done or failed, telling it. */
export function recordDeletion(run: SyncRun, report: SyncReport, action: SyncAction, error?: unknown): void {
  if (error === undefined) action.status = 'done';
  else {
    Object.assign(action, { status: 'failed', error: (error as Error).message });
    report.failureCodes.push(exitCodeFor(error));
    run.context.error(`${action.remotePath}: ${action.error}`);
  }
  run.emit(action);
}
