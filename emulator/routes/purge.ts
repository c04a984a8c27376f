/**
 * CDN cache purges: a purge request, Pending for the configured job duration, and its status. A
 * rename may ask for a purge too (startPurge).
 */
import { purgeUrlProblem } from '../../src/purge-rules.js';
import { ApiFailure } from '../server/errors.js';
import type { PurgeRecord } from '../store/media-store.js';
import { route, type EmulatorContext, type EmulatorRoute } from './context.js';

/**
 * Records a purge of `url`, Pending for the configured job duration; returns its request id. The
 * emulator's own cache of transformed images forgets the URL's file at once.
 */
export function startPurge(context: EmulatorContext, url: string): string {
  context.derivedImages.purge(url, context.urlEndpoint);
  return context.store.addPurge(url, context.now() + context.settings.jobDurationMs);
}

/** A purge's status as the API names it. */
export const purgeStatus = (purge: PurgeRecord, now: () => number) => (now() >= purge.completeAt ? 'Completed' : 'Pending');

/** A URL under this emulator's endpoint that ImageKit's rules let it purge (the core's purge-rules.ts). */
function validPurgeUrl(url: unknown, urlEndpoint: string): url is string {
  return typeof url === 'string' && url.startsWith(urlEndpoint + '/') && purgeUrlProblem(url, urlEndpoint) === undefined;
}

export const purgeRoutes: EmulatorRoute[] = [
  route('POST', '/v1/files/purge', ({ body }, context) => {
    if (!validPurgeUrl(body.url, context.urlEndpoint)) throw new ApiFailure(400, 'The URL is not valid for cache purging.');
    return { status: 201, body: { requestId: startPurge(context, body.url) } };
  }),

  route('GET', '/v1/files/purge/:requestId', ({ params }, { store, now }) => {
    const purge = store.purges.get(params.requestId);
    if (!purge) throw new ApiFailure(400, 'No request found for this requestId.');
    return { status: 200, body: { status: purgeStatus(purge, now) } };
  }),
];
