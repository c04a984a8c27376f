/**
 * Delivery: stored files served under the URL endpoint (`/<imagekitId>/…`), signed URLs (`ik-s`,
 * `ik-t`) required for private files, and the transformation in the path (`tr:`) or the query (`?tr=`)
 * applied to images by the engine in ../transform, through the emulator's DerivedImages. Other files
 * are served as they are, with the transformation named as skipped. The default image (`di-`) is chosen
 * here, as the engine only ever sees a file that exists.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Answer, JsonAnswer } from '../server/answer.js';
import { signature } from '../server/auth.js';
import { ApiFailure, HELP } from '../server/errors.js';
import { decodePart, type RouteRequest } from '../server/router.js';
import type { FileRecord, MediaStore } from '../store/media-store.js';
// Parsing, errors and ETags are free of sharp; DerivedImages loads the engine itself when first needed.
import { etagMatches } from '../transform/cache.js';
import { TransformError } from '../transform/errors.js';
import { parseTransformation, written, type Step } from '../transform/params.js';
import { route, type EmulatorContext, type EmulatorRoute } from './context.js';
import { namedTransformation, publishedFile, type Derived } from './derived-images.js';
import { countingDeliveries } from './usage.js';

/**
 * "By default, ImageKit caches all files on the global CDN for a maximum time of 1 year"
 * (imagekit.io/docs/cdn-caching-and-purging), and says so with this header (ImageKit's answer in
 * community.imagekit.io/t/how-long-does-imagekit-cache-assets/97).
 */
const CACHE_CONTROL = 'public, s-maxage=31536000, max-age=31536000, must-revalidate';

const fileMissing = (): Answer => ({ status: 404, body: { message: 'The requested file does not exist.', help: HELP } });

/** A header value made of URL text: bytes outside printable ASCII percent-encoded, as a header cannot hold them. */
const headerText = (text: string) =>
  [...Buffer.from(text)].map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

/** Names the parameters the emulator accepted but did not apply, so that none is ignored silently. */
const skippedHeader = (skipped: readonly string[]): Record<string, string> =>
  skipped.length > 0 ? { 'x-emulator-skipped': headerText(skipped.join(',')) } : {};

/**
 * A 304 carries the validators and caching headers of the 200 it stands for, and may carry its
 * Content-Length only with the 200's value (RFC 9110 §8.6, §15.4.5); it has no body.
 */
const notModified = (headers: Record<string, string>, contentLength: number): JsonAnswer => ({ status: 304, headers: { ...headers, 'content-length': contentLength } });

/** A stored file's bytes as they are; `skipped` names a transformation that was not applied to them. */
async function original(file: FileRecord, { method, req }: RouteRequest, store: MediaStore, skipped: readonly string[] = []): Promise<Answer> {
  const state = file.current;
  // A version's bytes never change, so its id is a strong validator.
  const headers = { etag: `"${state.versionId}"`, 'cache-control': CACHE_CONTROL, ...skippedHeader(skipped) };
  if (etagMatches(req.headers['if-none-match'], headers.etag)) return notModified(headers, state.size);
  const stream = createReadStream(store.blobPath(state.blob));
  // Opened before answering: bytes deleted meanwhile give a 404, never an unhandled error. The error
  // listener stays, so a read error later ends the response instead of the process.
  const opened = await new Promise<boolean>((resolve) => {
    stream.once('error', () => resolve(false));
    stream.once('open', () => resolve(true));
  });
  if (!opened) return fileMissing();
  return { status: 200, headers: { 'content-type': state.mime, 'content-length': state.size, ...headers }, stream, bodyless: method === 'HEAD' };
}

/**
 * `di-<path>`, `@@` standing for `/`: "the path of the image that must be delivered when the original
 * image is not available ... All the transformations applied to the original image are applied to the
 * default image as well" (docs.imagekit.io/features/default-images).
 */
function defaultImage(store: MediaStore, steps: readonly Step[]): FileRecord | undefined {
  const value = steps.flatMap((step) => step.params).filter((p) => p.code === 'di').at(-1)?.value;
  return value ? publishedFile(store, '/' + decodePart(value).replace(/@@/g, '/').replace(/^\/+/, '')) : undefined;
}

/** Every parameter of a transformation as written, for a file the engine cannot transform. */
const everyParameter = (steps: readonly Step[]): string[] => steps.flatMap((step) => [...step.params.map(written), ...step.layers.map((layer) => `l-${layer.kind}`)]);

function derivedAnswer({ image, cached }: { image: Derived; cached: boolean }, { method, req }: RouteRequest): Answer {
  const headers = {
    etag: image.etag,
    'cache-control': CACHE_CONTROL,
    ...(image.varyAccept ? { vary: 'Accept' } : {}),
    ...skippedHeader(image.skipped),
    // The emulator's own: whether the engine ran for this request (a repeat should be a hit).
    'x-emulator-cache': cached ? 'hit' : 'miss',
  };
  if (etagMatches(req.headers['if-none-match'], image.etag)) return notModified(headers, image.body.length);
  return {
    status: 200,
    headers: { 'content-type': image.contentType, 'content-length': image.body.length, ...headers },
    stream: Readable.from([image.body]),
    bodyless: method === 'HEAD',
  };
}

/** A delivery with a transformation: the file (or its default image) transformed, or refused as ImageKit would. */
async function transformed(file: FileRecord | undefined, transformation: string[], request: RouteRequest, { store, derivedImages }: EmulatorContext): Promise<Answer> {
  try {
    // Checked even when the file turns out not to be an image: an unknown parameter is a 400 regardless.
    const steps = parseTransformation(transformation, (name) => namedTransformation(store, name));
    const source = file ?? defaultImage(store, steps);
    if (!source) return fileMissing();
    if (source.current.fileType !== 'image') return original(source, request, store, everyParameter(steps));
    const derived = await derivedImages.derive(source, transformation, request.req.headers.accept);
    return derived ? derivedAnswer(derived, request) : fileMissing();
  } catch (error) {
    if (!(error instanceof TransformError)) throw error;
    return { status: error.status, body: { message: error.message, help: HELP }, ...(error.ikError ? { headers: { 'ik-error': error.ikError } } : {}) };
  }
}

async function deliver(request: RouteRequest, context: EmulatorContext): Promise<Answer> {
  const { url, rawUrl } = request;
  const { store, now, imagekitId, privateKey } = context;
  if (!url.pathname.startsWith(`/${imagekitId}/`)) throw new ApiFailure(404, 'Not found.');
  // The raw target, not the parsed URL: the signature covers the path and query exactly as signed.
  const [rawPath, rawQuery = ''] = rawUrl.split('?', 2) as [string, string?];
  const query = new URLSearchParams(rawQuery);
  const segments = rawPath.slice(imagekitId.length + 2).split('/');
  // The engine splits on `,` and `:` before it decodes `i-`/`ie-` values, so that an encoded comma in
  // a text layer stays text: the path's part goes to it still percent-encoded. The query's value is
  // decoded once, as every query value is, since SDKs form-encode the whole string there (`%2C`,
  // `%3A`, and `%25` for a `%` of the string): one decoding gives the text the path would hold.
  const transformation: string[] = [];
  if (segments[0]?.startsWith('tr:')) transformation.push(segments.shift()!.slice(3));
  if (query.get('tr')) transformation.push(query.get('tr')!);
  const filePath = '/' + segments.map(decodePart).join('/');
  const file = store.findByPath(filePath);
  const signed = query.get('ik-s');
  if (signed !== null || file?.current.isPrivateFile) {
    const expiry = query.get('ik-t') ?? '9999999999';
    const unsignedQuery = rawQuery.split('&').filter((p) => !p.startsWith('ik-s=') && !p.startsWith('ik-t=')).join('&');
    const signedText = rawPath.slice(imagekitId.length + 2) + (unsignedQuery ? `?${unsignedQuery}` : '');
    if (signed !== signature(privateKey, signedText + expiry)) {
      return { status: 401, body: { message: 'The signature in the URL is missing or invalid.', help: HELP } };
    }
    if (Number(expiry) < Math.floor(now() / 1000)) return { status: 401, body: { message: 'The signed URL has expired.', help: HELP } };
  }
  const available = file?.current.isPublished ? file : undefined;
  if (transformation.length > 0) return transformed(available, transformation, request, context);
  return available ? original(available, request, store) : fileMissing();
}

export const deliveryRoutes: EmulatorRoute[] = [route(['GET', 'HEAD'], '/*', countingDeliveries(deliver))];
