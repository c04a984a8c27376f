/**
 * What a sync did, file by file, and how it is shown: the plan as a table (--dry-run), the report as
 * one JSON document (--json) or a line per action as it happens (--ndjson), the changes as
 * tab-separated lines when piped, and always a one-line summary on stderr.
 */
import { batchExitCode, ExitCode } from '../cli/errors.js';
import { humanBytes } from '../cli/format.js';
import type { Result } from '../cli/output.js';
import type { PurgeOutcome } from '../shared/purges.js';

export type Direction = 'push' | 'pull';

/** upload and download bring a new file, update replaces one, delete removes one, keep leaves one be. */
export type ActionKind = 'upload' | 'download' | 'update' | 'delete' | 'keep';

export interface SyncAction {
  action: ActionKind;
  /** The path inside the synced folder, with `/`: the same on both sides. */
  path: string;
  /** The local file, as the user would type it from the working directory. */
  localPath: string;
  remotePath: string;
  size: number | null;
  /** Why this action: `new`, `content changed (SHA-256)`, `same SHA-256`, ... */
  reason: string;
  /**
   * planned (a dry run), done, failed, or held: a deletion not made because a transfer failed or the
   * run was interrupted (a re-run makes it).
   */
  status: 'planned' | 'done' | 'failed' | 'held';
  /** The delivery URL, where there is one. */
  url: string | null;
  error?: string;
}

export interface SyncReport {
  direction: Direction;
  local: string;
  remote: string;
  dryRun: boolean;
  actions: SyncAction[];
  purges: PurgeOutcome[];
  /** Bytes moved (uploaded or downloaded). */
  bytes: number;
  seconds: number;
  interrupted: boolean;
  /** The exit code of each failed action or purge. */
  failureCodes: number[];
  /** What made the run fail as a whole after its files were reported (a purge wait that ran out). */
  failure?: number;
}

interface Counts {
  /** Files new on the other side: uploaded (push) or downloaded (pull). */
  moved: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
  held: number;
  purged: number;
}

/** What uploaded (push) or downloaded (pull) files are called. */
const movedWord = (direction: Direction) => (direction === 'push' ? 'uploaded' : 'downloaded');

function countsOf(report: SyncReport): Counts {
  const count = (test: (a: SyncAction) => boolean) => report.actions.filter(test).length;
  const done = (kind: ActionKind) => count((a) => a.action === kind && a.status === (report.dryRun ? 'planned' : 'done'));
  return {
    moved: done(report.direction === 'push' ? 'upload' : 'download'),
    updated: done('update'),
    deleted: done('delete'),
    unchanged: count((a) => a.action === 'keep'),
    failed: count((a) => a.status === 'failed'),
    held: count((a) => a.status === 'held'),
    purged: report.purges.filter((p) => p.status !== 'failed').length,
  };
}

/** `12 uploaded, 3 updated, 2 deleted, 480 unchanged, 5 URLs purged, 3.1 MB in 4.2s`. */
export function summaryLine(report: SyncReport): string {
  const counts = countsOf(report);
  if (report.dryRun) {
    const verb = report.direction === 'push' ? 'upload' : 'download';
    return `dry run: ${counts.moved} to ${verb}, ${counts.updated} to update, ${counts.deleted} to delete, ${counts.unchanged} unchanged; nothing was changed`;
  }
  const parts = [`${counts.moved} ${movedWord(report.direction)}`, `${counts.updated} updated`, `${counts.deleted} deleted`, `${counts.unchanged} unchanged`];
  if (report.purges.length > 0) parts.push(`${counts.purged} URL${counts.purged === 1 ? '' : 's'} purged`);
  if (counts.failed > 0) parts.push(`${counts.failed} failed`);
  if (counts.held > 0) parts.push(`${counts.held} deletions held back`);
  return `${parts.join(', ')}, ${humanBytes(report.bytes)} in ${report.seconds.toFixed(1)}s`;
}

export function exitCodeOf(report: SyncReport): number {
  if (report.interrupted) return ExitCode.interrupted;
  if (report.failure !== undefined) return report.failure;
  const attempted = report.actions.filter((a) => a.action !== 'keep' && a.status !== 'held').length + report.purges.length;
  return batchExitCode(attempted, report.failureCodes);
}

/** The JSON report: counts, then every action and purge. */
const reportJson = (report: SyncReport) => ({
  direction: report.direction,
  local: report.local,
  remote: `ik:${report.remote}`,
  dryRun: report.dryRun,
  counts: (({ moved, ...rest }) => ({ [movedWord(report.direction)]: moved, ...rest }))(countsOf(report)),
  bytes: report.bytes,
  seconds: report.seconds,
  actions: report.actions,
  purges: report.purges,
});

const COLUMNS = [
  { header: 'action', value: (a: SyncAction) => a.action },
  { header: 'path', value: (a: SyncAction) => a.path },
  { header: 'size', value: (a: SyncAction) => (a.size === null ? '' : humanBytes(a.size)) },
  { header: 'reason', value: (a: SyncAction) => (a.status === 'failed' ? `failed: ${a.error}` : a.status === 'held' ? `held back: ${a.error}` : a.reason) },
];

/**
 * The finished run as a Result: the whole plan for a dry run; after a real run, the changes and
 * failures when piped (a terminal has seen the progress line, and gets the summary).
 */
export function presentReport(report: SyncReport, format: { json?: boolean; ndjson?: boolean; stdoutIsTTY: boolean }): Result {
  const exitCode = () => exitCodeOf(report);
  if (format.json) return { kind: 'record', record: {}, json: reportJson(report), exitCode };
  if (format.ndjson) return { kind: 'table', columns: [], rows: report.actions, json: report.actions, exitCode };
  const rows = report.dryRun ? report.actions : format.stdoutIsTTY ? [] : report.actions.filter((a) => a.action !== 'keep');
  return { kind: 'table', columns: COLUMNS, rows, exitCode };
}
