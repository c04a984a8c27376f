/**
 * What the dashboard's JSON endpoints answer: the emulator's state as a page shows it (a folder's
 * contents with thumbnails, a file's details, the request log, jobs and purges, a playground URL
 * with its `imagekit url` command). Delivery URLs are built by the core's buildUrl, as `imagekit url`
 * builds them, and signed here for private files, so the page never needs the private key.
 */
import { normaliseFolder } from '../../src/paths.js';
import { buildUrl } from '../../src/url.js';
import type { EmulatorContext } from '../routes/context.js';
import { jobStatus, settleJobs } from '../routes/jobs.js';
import { purgeStatus } from '../routes/purge.js';
import type { RecordedRequest } from '../server/recording.js';
import { fileDetails } from '../store/details.js';
import { imageMetadata } from '../store/image.js';
import { filePathOf, type FileRecord, type FileState } from '../store/media-store.js';

/** The grid's thumbnails: the emulator's own transformation, a square crop of this many pixels. */
const THUMBNAIL_SIZE = 160;
const THUMBNAIL = `w-${THUMBNAIL_SIZE},h-${THUMBNAIL_SIZE}`;
/** A file's preview in its details: within 480 x 360, never enlarged. */
const PREVIEW = 'w-480,h-360,c-at_max';
/** Files listed in one folder at most, so that a folder of thousands stays fast to show. */
const MAX_LISTED_FILES = 500;
/** Requests the log answers at most. */
const MAX_LISTED_REQUESTS = 500;

type Sources = Pick<EmulatorContext, 'store' | 'urlEndpoint' | 'privateKey'>;

/** A delivery URL of a file, transformed by `transformation` when given; signed (never expiring) for a private file. */
function deliveryUrl({ urlEndpoint, privateKey }: Sources, state: Pick<FileState, 'isPrivateFile'>, filePath: string, transformation = ''): string {
  return buildUrl({ path: filePath, urlEndpoint, transformationString: transformation, signed: state.isPrivateFile, privateKey });
}

/** Whether delivery serves the file's thumbnail: images only, and unpublished files are not delivered. */
const deliverable = (state: FileState) => state.fileType === 'image' && state.isPublished;

export function summaryView({ store, urlEndpoint, imagekitId, settings }: EmulatorContext) {
  return { urlEndpoint, imagekitId, files: store.files.size, folders: store.folders.size, settings };
}

/** A folder's subfolders and files (by name), each file with its thumbnail URL when it has one. */
export function folderView(sources: Sources, path: string) {
  const folder = normaliseFolder(path);
  const byName = (a: string, b: string) => a.localeCompare(b);
  const folders = sources.store.foldersUnder(folder, false).map((f) => ({ path: f.path, name: f.path.split('/').pop()! })).sort((a, b) => byName(a.name, b.name));
  const files = sources.store.filesUnder(folder, false).sort((a, b) => byName(a.current.name, b.current.name));
  return {
    path: folder,
    folders,
    fileCount: files.length,
    files: files.slice(0, MAX_LISTED_FILES).map(({ fileId, current }) => ({
      fileId,
      name: current.name,
      fileType: current.fileType,
      format: current.format,
      width: current.width,
      height: current.height,
      size: current.size,
      isPrivateFile: current.isPrivateFile,
      isPublished: current.isPublished,
      thumbnailUrl: deliverable(current) ? deliveryUrl(sources, current, filePathOf(current), THUMBNAIL) : null,
    })),
  };
}

/** Everything about one file: the API's details, its URLs, its versions (newest first) and the metadata API's answer. */
export async function fileView(sources: Sources, file: FileRecord) {
  const { current } = file;
  const filePath = filePathOf(current);
  return {
    details: fileDetails(file, current, sources.urlEndpoint),
    url: deliveryUrl(sources, current, filePath),
    previewUrl: deliverable(current) ? deliveryUrl(sources, current, filePath, PREVIEW) : null,
    versions: [current, ...[...file.versions].reverse()].map((state) => ({
      versionId: state.versionId,
      versionName: state.versionName,
      size: state.size,
      width: state.width,
      height: state.height,
      updatedAt: state.updatedAt,
      current: state === current,
    })),
    metadata: current.fileType === 'image' ? ((await imageMetadata(sources.store.blobPath(current.blob))) ?? null) : null,
  };
}

/** The image files' paths, for the playground's choice of file. */
export const imagePaths = ({ store }: Sources) =>
  [...store.files.values()]
    .filter((f) => f.current.fileType === 'image')
    .map((f) => filePathOf(f.current))
    .sort();

/** Quoted for a POSIX shell, always, so that the command can be pasted whatever the text holds. */
const quoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * The playground's URL for a path and transformation, and the `imagekit url` command that prints the
 * same URL: `--signed` for a private file (the command reads the private key from its environment).
 */
export function playgroundView(sources: Sources, path: string, transformation: string) {
  const file = sources.store.findByPath(path);
  const signed = file?.current.isPrivateFile ?? false;
  const url = deliveryUrl(sources, { isPrivateFile: signed }, path, transformation);
  const command = [`IMAGEKIT_URL_ENDPOINT=${quoted(sources.urlEndpoint)} imagekit url ${quoted(path)}`, transformation ? ` --tr ${quoted(transformation)}` : '', signed ? ' --signed' : ''].join('');
  return { url, command, exists: file !== undefined, signed };
}

/** The latest recorded requests, newest first. */
export const requestsView = (requests: readonly RecordedRequest[], limit: number) => ({
  total: requests.length,
  requests: requests.slice(-Math.min(Math.max(limit, 1), MAX_LISTED_REQUESTS)).reverse(),
});

/** Bulk jobs and purges, newest first, with their status as the API would answer it now. */
export function jobsView(context: EmulatorContext) {
  settleJobs(context);
  const { store, now } = context;
  return {
    jobs: [...store.jobs.values()].reverse().map((job) => ({ jobId: job.jobId, type: job.type, status: jobStatus(job), params: job.params, error: job.error ?? null, completeAt: job.completeAt })),
    purges: [...store.purges.values()].reverse().map((purge) => ({ requestId: purge.requestId, url: purge.url, status: purgeStatus(purge, now), completeAt: purge.completeAt })),
  };
}
