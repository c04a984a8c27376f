/**
 * `imagekit sync ik:/<folder> <local-dir>`: the local directory made exactly like the remote folder.
 * Each remote file is fetched through its delivery URL (signed for a private file) into a temporary
 * file renamed into place, through the same pool as uploads; a local file whose SHA-256 matches the
 * stored one (or, without one, whose size matches) is not fetched again.
 */
import { rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { FileDetails } from '../../src/client.js';
import { walkDirectory, type FoundFile } from '../../src/files.js';
import { LocalHashes, storedHash } from '../shared/content-hash.js';
import { deliveryUrls } from '../shared/delivery.js';
import { runPool, type PoolOutcome } from '../shared/transfer-pool.js';
import type { SyncAction, SyncReport } from './report.js';
import { checkMaxDelete, compare, mayDelete, newReport, planned, recordDeletion, transferRecorder, type SyncRun } from './steps.js';
import { checkFolderExists, remoteTree, takesPart } from './tree.js';

interface Download {
  /** The remote file path: what the pool and its messages name the item by. */
  source: string;
  size: number;
  file: FileDetails;
  target: string;
  action: SyncAction;
}

/** A remote path that names no place inside the local directory (`..`, an empty segment) is left out. */
const writableLocally = (path: string) => path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');

export async function pull(run: SyncRun): Promise<SyncReport> {
  const { flags, context, folder, localDir } = run;
  const { io } = context;
  const started = io.now();
  const client = await context.client({ concurrency: flags.concurrency });
  const remote = await remoteTree(client, folder);
  if (remote.size === 0) await checkFolderExists(client, folder);
  const shown = (path: string) => relative(io.cwd, path).split(sep).join('/') || '.';
  const local = new Map<string, FoundFile>();
  const walked = walkDirectory(localDir, { hidden: flags.hidden === true, followSymlinks: flags.followSymlinks === true }, (path, reason) => context.warn(`skipped ${shown(path)}: ${reason}`));
  for (const file of walked) if (takesPart(file.relativePath, flags)) local.set(file.relativePath, file);

  // Hashed ahead, `concurrency` at once: the local files that a stored SHA-256 decides about.
  const hashes = new LocalHashes();
  const decidedByHash = [...remote].filter(([path, file]) => local.get(path)?.size === file.size && storedHash(file) !== undefined);
  if (!flags.sizeOnly) await hashes.prefetch(decidedByHash.map(([path]) => local.get(path)!), flags.concurrency);

  const actions: SyncAction[] = [];
  const downloads: Download[] = [];
  for (const [path, file] of remote) {
    if (!takesPart(path, flags)) continue;
    if (!writableLocally(path)) {
      context.warn(`skipped ${file.filePath}: its path cannot be written inside ${run.localArg}`);
      continue;
    }
    const target = join(localDir, ...path.split('/'));
    const existing = local.get(path);
    const verdict = existing
      ? await compare(existing, { size: file.size, hash: storedHash(file) }, { sizeOnly: flags.sizeOnly, unhashedIsChanged: false }, () => hashes.of(existing.path))
      : { changed: true, reason: 'new' };
    const action = planned(run, !verdict.changed ? 'keep' : existing ? 'update' : 'download', {
      path,
      localPath: shown(target),
      remotePath: file.filePath,
      size: file.size,
      url: file.url,
      reason: verdict.reason,
    });
    actions.push(action);
    if (verdict.changed) downloads.push({ source: file.filePath, size: file.size, file, target, action });
  }
  const deletions: Array<{ path: string; action: SyncAction }> = [];
  for (const [path, file] of flags.delete ? local : []) {
    if (remote.has(path)) continue;
    const action = planned(run, 'delete', { path, localPath: shown(file.path), remotePath: '', size: file.size, url: null, reason: `not in ik:${folder}` });
    actions.push(action);
    deletions.push({ path: file.path, action });
  }
  const report = newReport(run, 'pull', actions);
  checkMaxDelete(deletions.length, run);
  if (flags.dryRun) return report;

  for (const action of actions) if (action.action === 'keep') run.emit(action);
  const urlOf = await deliveryUrls(context);
  const recorder = transferRecorder<PoolOutcome>(run, report, new Map(downloads.map((d) => [d.source, d.action])), () => {});
  const result = await runPool(downloads, {
    concurrency: flags.concurrency,
    verbose: flags.verbose,
    context,
    verb: 'downloaded',
    onOutcome: recorder.record,
    async perform(item, onBytes) {
      await client.downloadFile(urlOf(item.file), item.target, onBytes);
      return { source: item.source, status: 'downloaded', filePath: item.action.localPath, size: item.size };
    },
    failed: (item, error) => ({ source: item.source, status: 'failed', filePath: item.action.localPath, size: item.size, error }),
  });
  recorder.finished(result);

  if (mayDelete(run, report, deletions.map((d) => d.action))) {
    for (const { path, action } of deletions) {
      recordDeletion(run, report, action, await rm(path).then(() => undefined, (error: unknown) => error));
    }
  }
  report.seconds = (io.now() - started) / 1000;
  return report;
}
