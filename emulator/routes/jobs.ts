/**
 * Bulk jobs: copy, move and rename a folder. A job stays Pending for the configured job duration,
 * then its work is done (at once when that duration is 0); its status tells which.
 */
import { normaliseFolder } from '../../src/paths.js';
import type { JsonAnswer } from '../server/answer.js';
import { ApiFailure, HELP } from '../server/errors.js';
import { applyDueJobs } from '../store/copy-move.js';
import type { JobRecord } from '../store/media-store.js';
import { route, type EmulatorContext, type EmulatorRoute } from './context.js';
import { startPurge } from './purge.js';
import { requireString } from './request-checks.js';

/** Applies the jobs whose time has come; none once the emulator is closing. */
export function settleJobs(context: EmulatorContext): void {
  if (context.jobTimers.stopped) return;
  applyDueJobs(context.store, context.now);
}

/** A job's status as the API names it. */
export const jobStatus = (job: JobRecord) => (job.error ? 'Partial success' : job.applied ? 'Completed' : 'Pending');

/** Records a job, Pending for the configured job duration, and sets a timer to apply it then. */
function startJob(context: EmulatorContext, type: JobRecord['type'], params: Record<string, unknown>): JobRecord {
  const { jobDurationMs } = context.settings;
  const job = context.store.addJob(type, params, context.now() + jobDurationMs);
  if (jobDurationMs <= 0) settleJobs(context);
  else context.jobTimers.pending.add(setTimeout(() => settleJobs(context), jobDurationMs).unref());
  return job;
}

function copyOrMoveFolder(body: Record<string, unknown>, context: EmulatorContext, move: boolean): JsonAnswer {
  const source = normaliseFolder(requireString(body, 'sourceFolderPath'));
  const destination = normaliseFolder(requireString(body, 'destinationPath'));
  if (source === '/') throw new ApiFailure(400, 'Source folder cannot be root.', { reason: 'SOURCE_IS_ROOT' });
  if (!context.store.folders.has(source)) throw new ApiFailure(404, 'No files & folder found at sourceFolderPath.', { reason: 'NO_FILES_FOLDER' });
  const target = normaliseFolder(`${destination}/${source.split('/').pop()}`);
  if (source === destination || target === source) {
    throw new ApiFailure(400, 'Source and destination folder paths are the same.', { reason: 'SAME_SOURCE_AND_DESTINATION' });
  }
  if ((destination + '/').startsWith(source + '/')) {
    throw new ApiFailure(400, 'Invalid destination path: a folder cannot be copied or moved into itself.', { reason: 'INVALID_DESTINATION_PATH' });
  }
  const job = startJob(context, move ? 'MOVE_FOLDER' : 'COPY_FOLDER', { sourceFolderPath: source, destinationPath: destination, includeVersions: body.includeVersions === true });
  return { status: 200, body: { jobId: job.jobId } };
}

export const jobRoutes: EmulatorRoute[] = [
  route('POST', '/v1/bulkJobs/copyFolder', ({ body }, context) => copyOrMoveFolder(body, context, false)),
  route('POST', '/v1/bulkJobs/moveFolder', ({ body }, context) => copyOrMoveFolder(body, context, true)),

  route('POST', '/v1/bulkJobs/renameFolder', ({ body }, context) => {
    const { store, urlEndpoint } = context;
    const folderPath = normaliseFolder(requireString(body, 'folderPath'));
    const newFolderName = requireString(body, 'newFolderName').replace(/[^\p{L}\p{M}\p{N}-]/gu, '_');
    if (folderPath === '/') throw new ApiFailure(400, 'folderPath cannot be root.');
    if (!store.folders.has(folderPath)) throw new ApiFailure(404, 'Source folder not found.');
    const target = normaliseFolder(folderPath.slice(0, folderPath.lastIndexOf('/')) + '/' + newFolderName);
    if (store.folders.has(target)) throw new ApiFailure(409, `Folder with name ${newFolderName} already exists at the same location.`);
    const job = startJob(context, 'RENAME_FOLDER', { folderPath, newFolderName });
    if (body.purgeCache === true) {
      job.purgeRequestId = startPurge(context, `${urlEndpoint}${folderPath}*`);
      store.jobs.changed(job);
    }
    return { status: 202, body: { jobId: job.jobId } };
  }),

  route('GET', '/v1/bulkJobs/:jobId', ({ params }, { store }) => {
    const job = store.jobs.get(params.jobId);
    if (!job) throw new ApiFailure(404, 'The requested job does not exist.');
    if (job.error) return { status: 207, body: { jobId: job.jobId, type: job.type, status: jobStatus(job), message: job.error, help: HELP } };
    return { status: 200, body: { jobId: job.jobId, type: job.type, status: jobStatus(job), ...(job.purgeRequestId ? { purgeRequestId: job.purgeRequestId } : {}) } };
  }),
];
