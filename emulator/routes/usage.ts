/**
 * The account's usage (`/v1/accounts/usage`, end date excluded) and delivery analytics
 * (`/v1/accounts/usage-analytics`, both dates included), from what the emulator really stored and
 * delivered: the bytes of every stored version, and the deliveries counted day by day (UTC).
 * What the emulator does not do (video processing, extensions, an original cache, a CDN with
 * browsers and countries) counts zero or lists nothing.
 */
import type { Answer } from '../server/answer.js';
import { ApiFailure } from '../server/errors.js';
import { decodePart, type RouteHandler, type RouteRequest } from '../server/router.js';
import { utcDay, type AccountState, type Traffic } from '../store/account.js';
import { route, type EmulatorContext, type EmulatorRoute } from './context.js';

const DAY_MS = 86_400_000;
const MAX_RANGE_DAYS = 90;
const TOP = 10;

/** The query's startDate and endDate (`YYYY-MM-DD`), in order and less than 90 days apart, as UTC midnights. */
function dateRange(query: URLSearchParams): { start: number; end: number } {
  const [start, end] = ['startDate', 'endDate'].map((name) => {
    const text = query.get(name) ?? '';
    const time = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
    if (Number.isNaN(time) || utcDay(time) !== text) throw new ApiFailure(400, 'startDate and endDate should be in format YYYY-MM-DD.');
    return time;
  }) as [number, number];
  if (start > end) throw new ApiFailure(400, 'startDate should be before endDate.');
  if (end - start >= MAX_RANGE_DAYS * DAY_MS) throw new ApiFailure(400, `startDate and endDate should be within ${MAX_RANGE_DAYS} days.`);
  return { start, end };
}

/** The days of the usage counters from `start` to `end` (UTC midnights; `end` included or not). */
function daysBetween(account: AccountState, start: number, end: number, endIncluded: boolean) {
  const days = [];
  for (let time = start; endIncluded ? time <= end : time < end; time += DAY_MS) {
    const day = account.usage[utcDay(time)];
    if (day) days.push(day);
  }
  return days;
}

/** Entries sorted both ways, as the analytics show each breakdown, the top ones only. */
function breakdown(entries: Array<[string, Traffic]>) {
  const rows = entries.map(([name, traffic]) => ({ name, requestCount: traffic.requestCount, bandwidthBytes: traffic.bandwidthBytes }));
  return {
    byBandwidth: [...rows].sort((a, b) => b.bandwidthBytes - a.bandwidthBytes).slice(0, TOP),
    byRequests: [...rows].sort((a, b) => b.requestCount - a.requestCount).slice(0, TOP),
  };
}

/** Traffic added up by key over several days. */
function summed(perDay: Array<Record<string, Traffic & { mime?: string }>>): Map<string, Traffic & { mime?: string }> {
  const sums = new Map<string, Traffic & { mime?: string }>();
  for (const day of perDay) {
    for (const [key, traffic] of Object.entries(day)) {
      const sum = sums.get(key) ?? { requestCount: 0, bandwidthBytes: 0, mime: traffic.mime };
      sum.requestCount += traffic.requestCount;
      sum.bandwidthBytes += traffic.bandwidthBytes;
      sums.set(key, sum);
    }
  }
  return sums;
}

function usage({ url }: { url: URL }, { store }: EmulatorContext) {
  const { start, end } = dateRange(url.searchParams);
  const days = daysBetween(store.account, start, end, false);
  let storedBytes = 0;
  for (const file of store.files.values()) {
    if (Date.parse(file.current.createdAt) < end) for (const state of [file.current, ...file.versions]) storedBytes += state.size;
  }
  return {
    status: 200,
    body: {
      bandwidthBytes: days.reduce((sum, day) => sum + day.bandwidthBytes, 0),
      mediaLibraryStorageBytes: storedBytes,
      videoProcessingUnitsCount: 0,
      extensionUnitsCount: 0,
      originalCacheStorageBytes: 0,
    },
  };
}

function analytics({ url }: { url: URL }, context: EmulatorContext) {
  const { start, end } = dateRange(url.searchParams);
  const days = daysBetween(context.store.account, start, end, true);
  const requestCount = days.reduce((sum, day) => sum + day.requestCount, 0);
  const bandwidthBytes = days.reduce((sum, day) => sum + day.bandwidthBytes, 0);
  const assets = [...summed(days.map((day) => day.byPath))].map(([path, traffic]) => [context.urlEndpoint + path, traffic] as [string, Traffic & { mime?: string }]);
  const ofKind = (test: (mime: string) => boolean) => breakdown(assets.filter(([, traffic]) => test(traffic.mime ?? '')));
  const none = { byBandwidth: [], byRequests: [] };
  return {
    status: 200,
    body: {
      startDate: utcDay(start),
      endDate: utcDay(end),
      generatedAt: new Date(context.now()).toISOString(),
      requestCount,
      bandwidthBytes,
      // No CDN cache in front of the emulator: every delivery is served by the store.
      cache: { hitCount: 0, missCount: requestCount, errorCount: 0 },
      statusCodes: requestCount > 0 ? [{ name: '200', requestCount }] : [],
      format: breakdown([...summed(days.map((day) => day.byMime))]),
      topImages: ofKind((mime) => mime.startsWith('image/')),
      topVideos: ofKind((mime) => mime.startsWith('video/')),
      topOtherAssets: ofKind((mime) => !mime.startsWith('image/') && !mime.startsWith('video/')),
      urlEndpoints: breakdown(requestCount > 0 ? [['Default', { requestCount, bandwidthBytes }]] : []),
      browser: none,
      country: none,
      device: none,
      topReferrers: none,
      topUserAgents: none,
      topImageTransforms: none,
      topVideoTransforms: none,
      top404Assets: [],
      errorReasons: [],
      extensions: [],
      videoProcessing: [],
    },
  };
}

/**
 * The delivery route, with each file it serves (200) counted for the usage reports: the file's path
 * (without the account id and a `tr:` segment), its content type, and the bytes sent (none for HEAD).
 */
export function countingDeliveries(deliver: RouteHandler<EmulatorContext>): RouteHandler<EmulatorContext> {
  return async (request: RouteRequest, context: EmulatorContext): Promise<Answer> => {
    const answer = await deliver(request, context);
    if (answer.status === 200 && answer.headers) {
      const path = decodePart(request.url.pathname.slice(context.imagekitId.length + 1).replace(/^\/tr:[^/]*/, ''));
      const bytes = 'bodyless' in answer && answer.bodyless ? 0 : Number(answer.headers['content-length'] ?? 0);
      context.store.countDelivery(path, String(answer.headers['content-type'] ?? ''), bytes, context.now());
    }
    return answer;
  };
}

export const usageRoutes: EmulatorRoute[] = [route('GET', '/v1/accounts/usage', usage), route('GET', '/v1/accounts/usage-analytics', analytics)];
