/**
 * The metadata API: an image's dimensions, format, EXIF and perceptual hash, for a stored file by
 * its id or by one of its delivery URLs. An upload may ask for the same metadata (metadataOf).
 */
import { ApiFailure } from '../server/errors.js';
import { decodePart } from '../server/router.js';
import { imageMetadata } from '../store/image.js';
import type { FileState, MediaStore } from '../store/media-store.js';
import { route, type EmulatorContext, type EmulatorRoute } from './context.js';

/** What the metadata API answers about a stored version; 400 when its bytes are not an image. */
export async function metadataOf(store: MediaStore, state: FileState): Promise<Record<string, unknown>> {
  const metadata = await imageMetadata(store.blobPath(state.blob));
  if (!metadata) throw new ApiFailure(400, 'The requested file is corrupt or invalid.');
  return metadata;
}

/** The stored file a delivery URL of this emulator names (transformations ignored), or the API's 400 or 404. */
function fileForUrl(url: string, { store, urlEndpoint, imagekitId }: EmulatorContext): FileState {
  if (!url.startsWith(urlEndpoint + '/') || !URL.canParse(url)) throw new ApiFailure(400, 'The url should be accessible using your ImageKit.io account.');
  const path = decodePart(new URL(url).pathname.slice(imagekitId.length + 1).replace(/\/tr:[^/]*/, ''));
  const file = store.findByPath(path);
  if (!file) throw new ApiFailure(404, 'The requested file does not exist or is inaccessible at this time.');
  return file.current;
}

export const metadataRoutes: EmulatorRoute[] = [
  route('GET', '/v1/files/:fileId/metadata', async ({ params }, { store }) => {
    const file = store.files.get(params.fileId);
    if (!file) throw new ApiFailure(404, 'The requested file does not exist or is inaccessible at this time.');
    return { status: 200, body: await metadataOf(store, file.current) };
  }),

  route('GET', '/v1/metadata', async ({ url }, context) => {
    const target = url.searchParams.get('url');
    if (!target) throw new ApiFailure(400, 'Your request is missing url parameter.');
    return { status: 200, body: await metadataOf(context.store, fileForUrl(target, context)) };
  }),
];
