/**
 * `imagekit sync <local-dir> ik:/<folder>`: the remote folder made exactly like the local directory.
 * Files are planned as `upload` plans them, compared by the SHA-256 stored on each remote file, and
 * sent through the upload pool; deletions and purges come only after every upload succeeded.
 */
import type { FileDetails } from '../../src/client.js';
import { requireSetting } from '../../src/config.js';
import { filePathIn } from '../../src/paths.js';
import { ExitCode, exitCodeFor } from '../cli/errors.js';
import { runBulk, type BulkOutcome } from '../shared/bulk.js';
import { ensureHashField, LocalHashes, storedHash } from '../shared/content-hash.js';
import { cachedUrl } from '../shared/delivery.js';
import { requestPurges, waitForPurges } from '../shared/purges.js';
import { hashMetadata, sharedFields, withMeta } from '../shared/upload-fields.js';
import { plan, targetPath, type PlannedUpload } from '../shared/upload-plan.js';
import { uploadAll, type UploadOutcome } from '../shared/transfer-pool.js';
import type { SyncAction, SyncReport } from './report.js';
import { PendingPurges } from './pending-purges.js';
import { checkMaxDelete, compare, mayDelete, newReport, planned, recordDeletion, transferRecorder, type SyncRun } from './steps.js';
import { remoteTree, takesPart } from './tree.js';

/** The most files one bulk delete call takes. */
const DELETE_CHUNK = 100;

export async function push(run: SyncRun): Promise<SyncReport> {
  const { flags, context, folder } = run;
  const started = context.io.now();
  const fields = sharedFields(flags);
  const client = await context.client({ concurrency: flags.concurrency });
  // The list calls go out first: the local directory is walked and hashed while they are answered.
  const listing = remoteTree(client, folder);
  listing.catch(() => {}); // awaited below; a failure while walking must not leave it unhandled
  const { planned: files, rejected, cleanup } = await plan([run.localArg], { folder, include: flags.include, exclude: flags.exclude, hidden: flags.hidden, followSymlinks: flags.followSymlinks }, context);
  cleanup(); // a directory source leaves nothing to clean up
  const hashes = new LocalHashes();
  const pathOf = (item: PlannedUpload) => (item.upload as { path: string }).path;
  // Every file is hashed: to compare it, or to store its hash when it is uploaded.
  if (!flags.sizeOnly) await hashes.prefetch(files.map((item) => ({ path: pathOf(item), size: item.size })), flags.concurrency);
  const remote = await listing;

  const prefix = filePathIn(folder, '');
  const uploads: Array<{ item: PlannedUpload; action: SyncAction }> = [];
  const actions: SyncAction[] = [];
  for (const item of files) {
    const path = targetPath(item).slice(prefix.length);
    const existing = remote.get(path);
    const where = { path, localPath: item.source, remotePath: targetPath(item), size: item.size ?? null, url: existing?.url ?? null };
    const verdict = existing
      ? await compare({ size: item.size! }, { size: existing.size, hash: storedHash(existing) }, { sizeOnly: flags.sizeOnly, unhashedIsChanged: true }, () => hashes.of(pathOf(item)))
      : { changed: true, reason: 'new' };
    const action = planned(run, !verdict.changed ? 'keep' : existing ? 'update' : 'upload', { ...where, reason: verdict.reason });
    actions.push(action);
    if (verdict.changed) uploads.push({ item, action });
  }
  // A local file that cannot be read (a FIFO, no permission) fails alone; its remote copy is never deleted.
  for (const { source, filePath, reason } of rejected) {
    const path = filePath.slice(prefix.length);
    actions.push({ action: remote.has(path) ? 'update' : 'upload', path, localPath: source, remotePath: filePath, size: null, url: null, reason, status: 'failed', error: reason });
    context.error(`${source}: ${reason}`);
  }
  const local = new Set(actions.map((a) => a.path));
  const deletions: Array<{ file: FileDetails; action: SyncAction }> = [];
  for (const [path, file] of flags.delete ? remote : []) {
    if (local.has(path) || !takesPart(path, flags)) continue;
    const action = planned(run, 'delete', { path, localPath: '', remotePath: file.filePath, size: file.size, url: file.url, reason: `not in ${run.localArg}` });
    actions.push(action);
    deletions.push({ file, action });
  }
  const report = newReport(run, 'push', actions);
  report.failureCodes.push(...rejected.map(() => ExitCode.failure));
  checkMaxDelete(deletions.length, run);
  // URLs whose cached copies went stale: overwritten or deleted files (a new file has nothing cached),
  // recorded as they change, with those an earlier run left unpurged.
  const settings = await context.settings();
  const pending = flags.purge ? new PendingPurges(context, { baseUrl: settings.values.baseUrl!, privateKey: requireSetting(settings, 'privateKey', 'sync'), folder }) : undefined;
  const earlier = pending?.urls().length ?? 0;
  if (earlier > 0) context.io.stderr.write(`note: ${earlier} URL(s) overwritten or deleted by an earlier run are still to purge${flags.dryRun ? '' : ': purged with this run\'s'}\n`);
  if (flags.dryRun) return report;

  for (const action of actions) if (action.action === 'keep') run.emit(action);
  if (uploads.length > 0) {
    await ensureHashField(client, context);
    const recorder = transferRecorder<UploadOutcome>(run, report, new Map(uploads.map((u) => [u.item.source, u.action])), (action, outcome) => {
      action.url = outcome.url;
      if (action.action === 'update') pending?.add(cachedUrl(outcome.url!));
    });
    const result = await uploadAll(
      uploads.map((u) => u.item),
      {
        fields: await withMeta(fields, flags.meta, () => client.listCustomMetadataFields()),
        client,
        skipped: async () => undefined,
        fileMetadata: hashMetadata(hashes),
        concurrency: flags.concurrency,
        verbose: flags.verbose,
        onOutcome: recorder.record,
        context,
      },
    );
    recorder.finished(result);
  }

  if (mayDelete(run, report, deletions.map((d) => d.action))) {
    await deleteRemote(run, report, deletions);
    for (const { file, action } of deletions) if (action.status === 'done') pending?.add(cachedUrl(file.url));
    if (pending) await purge(run, report, pending);
  }
  report.seconds = (context.io.now() - started) / 1000;
  return report;
}

/** Deletes in chunks of 100; a file already gone counts as deleted. */
async function deleteRemote(run: SyncRun, report: SyncReport, deletions: Array<{ file: FileDetails; action: SyncAction }>): Promise<void> {
  if (deletions.length === 0) return;
  const client = await run.context.client();
  const outcomes: BulkOutcome[] = deletions.map(({ file, action }) => ({ file: action.path, fileId: file.fileId, status: 'planned' }));
  let failure: unknown;
  try {
    await runBulk(outcomes, DELETE_CHUNK, (ids) => client.bulkDeleteFiles(ids));
  } catch (error) {
    // Credentials or the network failed the call itself: every deletion not made fails with it.
    failure = error;
  }
  deletions.forEach(({ action }, i) => {
    const outcome = outcomes[i]!;
    const done = outcome.status === 'done' || outcome.notFound === true;
    recordDeletion(run, report, action, done ? undefined : (failure ?? new Error(outcome.error)));
  });
}

/** One batch of purges through the purge command's code, waited for with --wait; the failed ones stay pending. */
async function purge(run: SyncRun, report: SyncReport, pending: PendingPurges): Promise<void> {
  const urls = pending.urls();
  if (urls.length === 0) return;
  const client = await run.context.client();
  report.purges = await requestPurges(client, urls, run.context);
  pending.settle(report.purges.filter((p) => p.status === 'failed').map((p) => p.url));
  if (run.flags.wait) {
    const failure = await waitForPurges(report.purges, run.flags.waitTimeout, run.context);
    if (failure !== undefined) report.failure = exitCodeFor(failure);
  }
  for (const outcome of report.purges) {
    if (outcome.status === 'failed') report.failureCodes.push(outcome.failureCode!);
    run.emit({ action: 'purge', ...outcome });
  }
}
