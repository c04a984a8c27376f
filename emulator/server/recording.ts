/**
 * The requests the emulator received, kept for tests and debugging: API and upload calls with
 * their query, JSON body or upload fields, and the status they were answered with.
 */

/** One request as the emulator saw it, for tests: multipart fields and JSON bodies included. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Upload form fields (the file part as `<file: N bytes>`). */
  fields?: Record<string, string>;
  body?: unknown;
  status?: number;
  /** The fault injected instead of an answer: a dropped connection, a 500/503, or the rate limit's 429. */
  fault?: 'reset' | 'error' | 'rate limit';
  /** When it arrived (milliseconds, the emulator's clock). */
  at: number;
}

import { ORIGIN_SECRET_FIELDS } from '../../src/origins.js';

const MAX_RECORDED_REQUESTS = 20_000;
/** Recorded field values longer than this are shortened (a base64 file would otherwise stay in memory). */
const MAX_RECORDED_FIELD = 2048;

/** Adds a request to the log. Kept for tests and debugging, not for ever: the oldest go first. */
export function keepRecord(requests: RecordedRequest[], record: RecordedRequest): void {
  requests.push(record);
  if (requests.length > MAX_RECORDED_REQUESTS) requests.splice(0, requests.length - MAX_RECORDED_REQUESTS);
}

/**
 * A JSON body as recorded: an origin's secrets (access keys, passwords) replaced by their length, as
 * the log is shown by the dashboard and kept in memory; the route gets the body as sent.
 */
export function recordedBody(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const secrets = ORIGIN_SECRET_FIELDS.filter((key) => key in body);
  if (secrets.length === 0) return body;
  const masked = { ...(body as Record<string, unknown>) };
  for (const key of secrets) masked[key] = `<secret: ${String(masked[key]).length} characters>`;
  return masked;
}

/** Upload fields as recorded: long values shortened, a streamed file part as its size. */
export function recordedFields(fields: Record<string, string>, fileSize: number | undefined): Record<string, string> {
  const recorded = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.length > MAX_RECORDED_FIELD ? `<${v.length} characters>` : v]));
  if (fileSize !== undefined) recorded.file = `<file: ${fileSize} bytes>`;
  return recorded;
}
