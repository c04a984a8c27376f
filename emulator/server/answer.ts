/**
 * What a route answers and how it is written: a JSON answer, or a file streamed from disk, each
 * sent once the configured latency has passed since its request arrived.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RecordedRequest } from './recording.js';

export interface JsonAnswer {
  status: number;
  /** No body (and no content type) when undefined, as for a 204. */
  body?: unknown;
  headers?: Record<string, string | number>;
}

/** A stored file's bytes; for HEAD (`bodyless`) only its headers. */
export interface StreamAnswer {
  status: number;
  headers: Record<string, string | number>;
  /** Opened already, so that a missing file could still be answered with a 404. */
  stream: Readable;
  bodyless: boolean;
}

export type Answer = JsonAnswer | StreamAnswer;

/** One request and its response, as the server layer follows them from arrival to answer. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  /** When the request arrived (real time, for the added latency). */
  arrived: number;
  record: RecordedRequest;
}

/** A request id in the style of ImageKit's: 24 hex digits. */
const requestId = () => randomBytes(12).toString('hex');

/**
 * Runs `write` once the response has taken `latencyMs` since its request arrived. The work is done
 * at once and only the answer waits, as a slow network would: so concurrent requests overlap their
 * waiting instead of queueing behind each other's work.
 */
function afterLatency(exchange: Exchange, latencyMs: number, write: () => void): void {
  const wait = latencyMs - (Date.now() - exchange.arrived);
  if (latencyMs > 0 && wait > 0) setTimeout(write, wait);
  else write();
}

export function sendAnswer(exchange: Exchange, latencyMs: number, answer: Answer): void {
  if ('stream' in answer) afterLatency(exchange, latencyMs, () => writeStream(exchange, answer));
  else afterLatency(exchange, latencyMs, () => writeJson(exchange, answer));
}

function writeJson({ res, record }: Exchange, { status, body, headers = {} }: JsonAnswer): void {
  if (res.headersSent || res.destroyed) return;
  record.status = status;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': Buffer.byteLength(text),
    'x-ik-requestid': requestId(),
    ...headers,
  });
  res.end(text);
}

function writeStream({ res, record }: Exchange, { status, headers, stream, bodyless }: StreamAnswer): void {
  if (res.headersSent || res.destroyed) {
    stream.destroy();
    return;
  }
  record.status = status;
  res.writeHead(status, { ...headers, 'x-ik-requestid': requestId() });
  if (bodyless) {
    stream.destroy();
    res.end();
  } else pipeline(stream, res).catch(() => res.destroy());
}
