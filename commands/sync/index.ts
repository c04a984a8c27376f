/**
 * `imagekit sync`: a local directory and a remote folder made the same, either way. The `ik:` prefix
 * marks the remote side, so `/assets` is never mistaken for a local path. Push is in push.ts, pull in
 * pull.ts, what they share in steps.ts, and the report in report.ts.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../../src/limits.js';
import { normaliseFolder } from '../../src/paths.js';
import type { Registrar } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { collect, parseDuration, parseInteger } from '../cli/flags.js';
import type { Result } from '../cli/output.js';
import { streamedResult } from '../cli/stream.js';
import { DEFAULT_WAIT_TIMEOUT_MS } from '../cli/wait.js';
import { HASH_FIELD } from '../shared/content-hash.js';
import { checkFolderPath } from '../shared/folders.js';
import { addKeepOptions } from '../shared/upload-fields.js';
import { addSelectionOptions } from '../shared/upload-plan.js';
import { pull } from './pull.js';
import { push } from './push.js';
import { exitCodeOf, presentReport, summaryLine, type SyncReport } from './report.js';
import type { SyncFlags, SyncRun } from './steps.js';

const REMOTE_PREFIX = 'ik:';
const DEFAULT_MAX_DELETE = 100;

const EXAMPLES = `
Examples:
  $ imagekit sync ./dist ik:/assets --dry-run             # the plan: upload, update, delete, keep
  $ imagekit sync ./dist ik:/assets --delete --purge      # a deploy: exactly ./dist, stale URLs purged
  $ imagekit sync ./dist ik:/assets --exclude '*.map' --tags web --concurrency 16
  $ imagekit sync ik:/assets ./backup                     # pull: a backup of the folder
  $ imagekit sync ik:/ ./backup --delete --json           # the whole library, exactly

Files are compared by content: the SHA-256 of each local file against the one sync stores on each
file it uploads, in the custom metadata field ${HASH_FIELD} (created on first use). A remote file
without it (uploaded by something else) is uploaded once more, unless --size-only. --include,
--exclude and --hidden pick files on both sides: a file left out is never deleted either.
Deletions and purges happen only after every transfer succeeded. Exit codes: 0 done, 5 some files
failed (listed), 1 all failed, 2 bad arguments or more deletions than --max-delete (nothing changed),
3 credentials, 4 no such remote folder (pull), 130 interrupted (a re-run finishes the job).`;

export function register(program: Command, registrar: Registrar): void {
  const sync = program
    .command('sync')
    .summary('make a remote folder exactly like a local directory, or the other way round')
    .description('Push (sync <local-dir> ik:/<folder>) or pull (sync ik:/<folder> <local-dir>): only what differs is sent, compared by SHA-256.')
    .argument('<from>', 'a local directory, or a remote folder written ik:/folder')
    .argument('<to>', 'a remote folder written ik:/folder, or a local directory')
    .option('--delete', 'delete files on the receiving side that the sending side does not have')
    .option('--max-delete <n>', 'refuse the whole run when more files than this would be deleted', parseInteger('--max-delete', { min: 0 }), DEFAULT_MAX_DELETE)
    .option('--purge', 'push: purge the CDN cache of the URLs overwritten or deleted (one batch, at the end)')
    .option('--wait', 'with --purge: wait until the purges are Completed')
    .option('--wait-timeout <duration>', 'stop waiting after this long, exit 1', parseDuration('--wait-timeout'), DEFAULT_WAIT_TIMEOUT_MS)
    .option('--size-only', 'compare sizes only: a remote file without a stored SHA-256 is not uploaded again for that alone');
  addSelectionOptions(sync)
    .option('--concurrency <n>', 'transfers (and hashes) at once', parseInteger('--concurrency', { min: 1, max: MAX_CONCURRENCY }), DEFAULT_CONCURRENCY)
    .option('--tags <a,b>', 'push: tags of each uploaded file')
    .option('--meta <key=value>', 'push: a custom metadata value of each uploaded file, typed by its field (repeatable)', collect);
  addKeepOptions(sync)
    .option('--dry-run', 'print the plan (action, path, size, reason), change nothing')
    .option('--json', 'print the report: counts and every action')
    .option('--ndjson', 'print one JSON line per action as it happens')
    .addHelpText('after', EXAMPLES)
    .action(registrar.action<[string, string], SyncFlags>(([from, to], flags, context) => runSync(from, to, flags, context)));
}

/** The two arguments as a direction, a local directory that exists, and a remote folder. */
function sides(from: string, to: string, context: Context): Pick<SyncRun, 'localDir' | 'localArg' | 'folder'> & { direction: 'push' | 'pull' } {
  const fromRemote = from.startsWith(REMOTE_PREFIX);
  const toRemote = to.startsWith(REMOTE_PREFIX);
  if (fromRemote === toRemote) {
    throw new UsageError(`sync takes one local directory and one remote folder written ${REMOTE_PREFIX}/folder (got ${fromRemote ? 'two remote folders' : 'two local paths'}): sync ./dist ik:/assets, or sync ik:/assets ./backup`);
  }
  const [remoteArg, localArg] = fromRemote ? [from, to] : [to, from];
  const remotePath = remoteArg.slice(REMOTE_PREFIX.length) || '/';
  checkFolderPath(remotePath, 'the remote folder');
  const localDir = resolve(context.io.cwd, localArg);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(localDir).isDirectory();
  } catch {
    throw new UsageError(`no such directory: ${localArg}${fromRemote ? ' (create it first)' : ''}`);
  }
  if (!isDirectory) throw new UsageError(`${localArg} is not a directory`);
  return { direction: fromRemote ? 'pull' : 'push', localDir, localArg, folder: normaliseFolder(remotePath) };
}

async function runSync(from: string, to: string, flags: SyncFlags, context: Context): Promise<Result> {
  if (flags.json && flags.ndjson) throw new UsageError('give --json or --ndjson, not both');
  const { direction, ...where } = sides(from, to, context);
  if (direction === 'pull' && (flags.purge || flags.tags !== undefined || flags.meta !== undefined || flags.keepTags || flags.keepAiTags || flags.keepCustomMetadata)) {
    throw new UsageError('--purge, --tags, --meta and --keep-* are for a push (sync <local-dir> ik:/<folder>)');
  }
  if (flags.wait && !flags.purge) throw new UsageError('--wait waits for the purges of --purge: give both');
  const summarise = (report: SyncReport | undefined) => {
    if (report && !context.options.quiet) context.io.stderr.write(summaryLine(report) + '\n');
  };
  const execute = (emit: SyncRun['emit']) => (direction === 'push' ? push : pull)({ ...where, flags, context, emit });
  if (flags.ndjson && !flags.dryRun) return streamedResult(execute, exitCodeOf, summarise);
  const report = await execute(() => {});
  summarise(report);
  return presentReport(report, { json: flags.json, ndjson: flags.ndjson, stdoutIsTTY: context.io.stdoutIsTTY });
}
