/**
 * CDN cache purges: a purge request, Pending for the configured job duration, and its status. A
 * rename may ask for a purge too (startPurge).
 */
import { ApiFailure } from '../server/errors.js';
import { route, type EmulatorContext, type EmulatorRoute } from './context.js';

/**
 * Records a purge of `url`, Pending for the configured job duration; returns its request id. The
 * emulator's own cache of transformed images forgets the URL's file at once.
 */
export function startPurge(context: EmulatorContext, url: string): string {
  context.derivedImages.purge(url, context.urlEndpoint);
  return context.store.addPurge(url, context.now() + context.settings.jobDurationMs);
}

/**
 * The purge API's rules: a URL of this account; a `*` only at the very end, and then only when the
 * path has two levels or more, is 15 characters or longer, or names a file with an extension; never
 * `media/catalog/*` or `s/files/*`.
 */
export function validPurgeUrl(url: unknown, urlEndpoint: string): url is string {
  if (typeof url !== 'string' || !url.startsWith(urlEndpoint + '/') || !URL.canParse(url)) return false;
  const star = url.indexOf('*');
  if (star < 0) return true;
  if (star !== url.length - 1) return false;
  const path = url.slice(urlEndpoint.length, -1);
  if (/^\/(media\/catalog|s\/files)\/$/.test(path)) return false;
  const levels = path.split('/').filter(Boolean).length;
  return levels >= 2 || path.length >= 15 || /\/[^/]+\.[A-Za-z0-9]+$/.test(path);
}

export const purgeRoutes: EmulatorRoute[] = [
  route('POST', '/v1/files/purge', ({ body }, context) => {
    if (!validPurgeUrl(body.url, context.urlEndpoint)) throw new ApiFailure(400, 'The URL is not valid for cache purging.');
    return { status: 201, body: { requestId: startPurge(context, body.url) } };
  }),

  route('GET', '/v1/files/purge/:requestId', ({ params }, { store, now }) => {
    const purge = store.purges.get(params.requestId);
    if (!purge) throw new ApiFailure(400, 'No request found for this requestId.');
    return { status: 200, body: { status: now() >= purge.completeAt ? 'Completed' : 'Pending' } };
  }),
];
