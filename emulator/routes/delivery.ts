/**
 * Delivery: stored files served under the URL endpoint (`/<imagekitId>/…`), with transformations in
 * the path (`tr:`) or the query (`?tr=`) checked and then ignored (the original bytes are served),
 * and signed URLs (`ik-s`, `ik-t`) required for private files.
 */
import { createReadStream } from 'node:fs';
import { explainTransformationString, TRANSFORMATION_NAMES } from '../../src/transformation.js';
import type { Answer } from '../server/answer.js';
import { signature } from '../server/auth.js';
import { ApiFailure, HELP } from '../server/errors.js';
import { decodePart, type RouteRequest } from '../server/router.js';
import { route, type EmulatorContext, type EmulatorRoute } from './context.js';

/** Layer parameters: valid in a transformation, though not transformations themselves. */
const LAYER_CODES = new Set(['l', 'i', 'ie', 'lx', 'ly', 'lxc', 'lyc', 'lfo', 'lap', 'lso', 'leo', 'ldu', 'lm']);

const fileMissing = (): Answer => ({ status: 404, body: { message: 'The requested file does not exist.', help: HELP } });

async function deliver({ method, url, rawUrl }: RouteRequest, { store, now, imagekitId, privateKey }: EmulatorContext): Promise<Answer> {
  if (!url.pathname.startsWith(`/${imagekitId}/`)) throw new ApiFailure(404, 'Not found.');
  // The raw target, not the parsed URL: the signature covers the path and query exactly as signed.
  const [rawPath, rawQuery = ''] = rawUrl.split('?', 2) as [string, string?];
  const query = new URLSearchParams(rawQuery);
  const segments = rawPath.slice(imagekitId.length + 2).split('/');
  const transformations: string[] = [];
  if (segments[0]?.startsWith('tr:')) transformations.push(decodePart(segments.shift()!.slice(3)));
  if (query.get('tr')) transformations.push(query.get('tr')!);
  for (const transformation of transformations) {
    for (const p of explainTransformationString(transformation)) {
      if (!TRANSFORMATION_NAMES.has(p.code) && !LAYER_CODES.has(p.code)) {
        return { status: 400, body: { message: `Invalid transformation parameter "${p.code}".`, help: HELP } };
      }
    }
  }
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
  if (!file || !file.current.isPublished) return fileMissing();
  const state = file.current;
  const stream = createReadStream(store.blobPath(state.blob));
  // Opened before answering: bytes deleted meanwhile give a 404, never an unhandled error. The error
  // listener stays, so a read error later ends the response instead of the process.
  const opened = await new Promise<boolean>((resolve) => {
    stream.once('error', () => resolve(false));
    stream.once('open', () => resolve(true));
  });
  if (!opened) return fileMissing();
  store.countDelivery(filePath, state.mime, method === 'HEAD' ? 0 : state.size, now());
  return { status: 200, headers: { 'content-type': state.mime, 'content-length': state.size }, stream, bodyless: method === 'HEAD' };
}

export const deliveryRoutes: EmulatorRoute[] = [route(['GET', 'HEAD'], '/*', deliver)];
