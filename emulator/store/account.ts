/**
 * The account's settings kept by the emulator beside its media: saved extensions, named
 * transformations, origins (with their secrets, which the API never shows again) and URL endpoints,
 * and the delivery counters behind the usage reports, a day at a time. One object, saved with the
 * rest of the store's state.
 */
import type { NamedTransformation, OriginInput, SavedExtension, UrlEndpoint } from '../../src/account-api.js';

/** Saved extensions, named transformations and URL endpoints are kept as the API answers with them. */
export type SavedExtensionRecord = SavedExtension;
export type NamedTransformationRecord = NamedTransformation;
export type UrlEndpointRecord = UrlEndpoint;

/** An origin as created: every field sent, secrets included. */
export type OriginRecord = OriginInput & { id: string };

/** Requests and bytes delivered. */
export interface Traffic {
  requestCount: number;
  bandwidthBytes: number;
}

/** One UTC day of deliveries: the totals, and the same by file path and by content type. */
export interface DayUsage extends Traffic {
  byPath: Record<string, Traffic & { mime: string }>;
  byMime: Record<string, Traffic>;
}

export interface AccountState {
  savedExtensions: SavedExtensionRecord[];
  namedTransformations: NamedTransformationRecord[];
  origins: OriginRecord[];
  urlEndpoints: UrlEndpointRecord[];
  /** By UTC day, `YYYY-MM-DD`. */
  usage: Record<string, DayUsage>;
}

/** Every account has a default URL endpoint, which cannot be deleted. */
export const DEFAULT_URL_ENDPOINT_ID = 'default';

export const emptyAccount = (): AccountState => ({
  savedExtensions: [],
  namedTransformations: [],
  origins: [],
  urlEndpoints: [{ id: DEFAULT_URL_ENDPOINT_ID, description: 'Default URL endpoint', urlPrefix: '', origins: [] }],
  usage: {},
});

/** The UTC day of a time, `YYYY-MM-DD`, as usage is counted. */
export const utcDay = (timeMs: number) => new Date(timeMs).toISOString().slice(0, 10);

const addTraffic = (traffic: Traffic, bytes: number) => {
  traffic.requestCount++;
  traffic.bandwidthBytes += bytes;
};

/** Counts one delivery of `bytes` bytes of the file at `path` on the day of `timeMs`. */
export function countDelivery(account: AccountState, path: string, mime: string, bytes: number, timeMs: number): void {
  const day = (account.usage[utcDay(timeMs)] ??= { requestCount: 0, bandwidthBytes: 0, byPath: {}, byMime: {} });
  addTraffic(day, bytes);
  addTraffic((day.byPath[path] ??= { requestCount: 0, bandwidthBytes: 0, mime }), bytes);
  addTraffic((day.byMime[mime] ??= { requestCount: 0, bandwidthBytes: 0 }), bytes);
}
