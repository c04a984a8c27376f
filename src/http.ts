/**
 * The one HTTP path of every API call: node:http(s), Basic auth with the private key, typed errors,
 * and retries for network errors, timeouts, 408, 429 and 5xx through a gate shared by concurrent
 * calls, so that a 429 slows the whole batch instead of failing it. Node's own client rather than got:
 * loading got took about 35 ms of every command's start, more than everything else the command did.
 */
import * as http from 'node:http';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { DEFAULT_CONCURRENCY, DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS, MAX_CONCURRENCY, MAX_RATE_LIMIT_WAIT_MS, MAX_RETRIES, MAX_TIMEOUT_MS } from './limits.js';
import { https, zlib } from './builtins.js';
import { apiErrorFor, ApiError, InvalidInputError, NetworkError, UnexpectedResponseError } from './errors.js';

export interface HttpOptions {
  privateKey: string;
  baseUrl: string;
  uploadBaseUrl: string;
  /** Per-request timeout in milliseconds (for uploads: to connect, and to answer once sent); at most MAX_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Retries after the first try; at most MAX_RETRIES. */
  retries?: number;
  /** Requests in flight at once, across every caller of this client; at most MAX_CONCURRENCY. */
  concurrency?: number;
  userAgent?: string;
  /** Told about each retry before its wait, for --verbose. */
  onRetry?: (retry: RetryInfo) => void;
  /** Injected for tests: the wait between tries, and the jitter source. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Why a try failed, and how long to wait before the next. */
interface RetryFailure {
  reason: string;
  delayMs: number;
  /** What a 429 asked for, when the wait was capped below it. */
  requestedDelayMs?: number;
  error: Error;
}

export interface RetryInfo {
  method: string;
  path: string;
  attempt: number;
  retries: number;
  delayMs: number;
  /** Set when delayMs was capped: the longer wait the API asked for (Retry-After or X-RateLimit-Reset). */
  requestedDelayMs?: number;
  reason: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  /** Builds the body for each try, so a retry can send it again; with its own headers (content type, length). */
  body?: () => Promise<{ body: NodeJS.ReadableStream | Buffer; headers: Record<string, string> }>;
  upload?: boolean;
  /** The JSON a success answer must carry; anything else is an UnexpectedResponseError. */
  expect?: 'object' | 'list';
  /** Told the bytes of the body sent so far, as they go (uploads). */
  onUploadProgress?: (sentBytes: number) => void;
}

export interface HttpResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string | string[] | undefined>;
  requestId?: string;
}

const BACKOFF_START_MS = 500;
const BACKOFF_CAP_MS = 8000;
const RETRYABLE_STATUS = (status: number) => status === 408 || status === 429 || status >= 500;
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

const header = (headers: HttpResponse<unknown>['headers'], name: string) => {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/** How long a 429 asks to wait: X-RateLimit-Reset (ms), else Retry-After (seconds or a date). */
export function rateLimitDelayMs(headers: HttpResponse<unknown>['headers'], now: number): number | undefined {
  const reset = Number(header(headers, 'x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset >= 0 && header(headers, 'x-ratelimit-reset') !== undefined) return reset;
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter === undefined) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retrying a 429: what the API asks for, capped at MAX_RATE_LIMIT_WAIT_MS or the
 * call's timeout when that is shorter, so no header can hold a call longer than the user allowed.
 * `requestedDelayMs` is set when the cap applied.
 */
export function rateLimitWait(headers: HttpResponse<unknown>['headers'], now: number, timeoutMs: number): { delayMs: number; requestedDelayMs?: number } | undefined {
  const asked = rateLimitDelayMs(headers, now);
  if (asked === undefined) return undefined;
  const cap = Math.min(MAX_RATE_LIMIT_WAIT_MS, timeoutMs);
  return asked > cap ? { delayMs: cap, requestedDelayMs: asked } : { delayMs: asked };
}

/** Refuses limits that cannot work or would hang: each error names the option and its bounds. */
function checkLimits(timeoutMs: number, retries: number, concurrency: number): void {
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)) {
    throw new InvalidInputError(`timeoutMs must be more than 0 and at most ${MAX_TIMEOUT_MS} ms (24 h), got ${timeoutMs}`);
  }
  if (!Number.isInteger(retries) || retries < 0 || retries > MAX_RETRIES) throw new InvalidInputError(`retries must be a whole number from 0 to ${MAX_RETRIES}, got ${retries}`);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new InvalidInputError(`concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got ${concurrency}`);
  }
}

/** The parsed body, or undefined when it is not JSON (an empty body is not). */
function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** What is wrong with a success answer's body for the call, or undefined when nothing is. */
function wrongBody(text: string, json: { value: unknown } | undefined, expected: HttpRequest['expect']): string | undefined {
  if (text !== '' && json === undefined) return 'a body that is not JSON';
  if (expected === undefined) return undefined;
  const shape = expected === 'list' ? 'a list' : 'an object';
  if (json === undefined) return `an empty body instead of ${shape}`;
  const { value } = json;
  const fits = expected === 'list' ? Array.isArray(value) : typeof value === 'object' && value !== null && !Array.isArray(value);
  return fits ? undefined : `JSON that is not ${shape}`;
}

/** Exponential backoff with jitter: 0.5 s doubling to 8 s, each wait between half and all of that. */
export function backoffDelayMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_START_MS * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Limits calls in flight and holds every call back while the API has asked to wait. */
class Gate {
  private active = 0;
  private waiting: Array<() => void> = [];
  private pausedUntil = 0;

  constructor(
    private readonly limit: number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  async enter(): Promise<void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    for (let wait = this.pausedUntil - Date.now(); wait > 0; wait = this.pausedUntil - Date.now()) await this.sleep(wait);
  }

  leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }
}

export class Http {
  private readonly gate: Gate;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly options: Omit<HttpOptions, 'privateKey'>;
  // A true private field: it does not show in util.inspect or JSON of the client.
  readonly #authorization: string;

  constructor({ privateKey, ...options }: HttpOptions) {
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retries = options.retries ?? DEFAULT_RETRIES;
    checkLimits(this.timeoutMs, this.retries, concurrency);
    this.options = options;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.gate = new Gate(concurrency, this.sleep);
    // ImageKit reads the private key as the user name and ignores the password.
    this.#authorization = `Basic ${Buffer.from(`${privateKey}:`).toString('base64')}`;
  }

  async request<T>(request: HttpRequest): Promise<HttpResponse<T>> {
    const { timeoutMs } = this;
    const base = (request.upload ? this.options.uploadBaseUrl : this.options.baseUrl).replace(/\/+$/, '');
    const url = new URL(base + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));

    for (let attempt = 0; ; attempt++) {
      let failure: RetryFailure;
      await this.gate.enter();
      try {
        const built = request.body ? await request.body() : request.json !== undefined ? jsonBody(request.json) : undefined;
        const response = await exchange(
          {
            url,
            method: request.method,
            headers: { authorization: this.#authorization, 'user-agent': this.userAgent, accept: 'application/json', 'accept-encoding': 'gzip, deflate, br', ...built?.headers },
            body: built?.body,
            // An upload may take long to send, but never stalls: the socket going idle is a timeout.
            timeout: request.upload ? { idleMs: timeoutMs } : { totalMs: timeoutMs },
            onUploadProgress: request.onUploadProgress,
          },
          async (incoming) => ({ status: incoming.statusCode!, headers: incoming.headers, text: await readText(incoming) }),
        );
        const { status, headers, text } = response;
        const requestId = header(headers, 'x-ik-requestid') ?? header(headers, 'x-request-id');
        const json = parseJson(text);
        const data = json?.value;
        if (status < 300 && status !== 207) {
          const wrong = wrongBody(text, json, request.expect);
          if (wrong === undefined) return { status, data: data as T, headers, requestId };
          throw new UnexpectedResponseError({ status, message: `${request.method} ${url.pathname} answered ${status} with ${wrong}`, headers, requestId, body: text, data });
        }
        const body = data as { message?: string; help?: string } | undefined;
        const error = apiErrorFor({ status, message: body?.message ?? (text.trim() || `HTTP ${status}`), help: body?.help, headers, requestId, body: text, data });
        if (!RETRYABLE_STATUS(status)) throw error;
        const rateLimited = status === 429 ? rateLimitWait(headers, Date.now(), timeoutMs) : undefined;
        if (rateLimited) this.gate.pause(rateLimited.delayMs);
        failure = { reason: `${status} ${error.message}`, ...(rateLimited ?? { delayMs: backoffDelayMs(attempt + 1, this.random) }), error };
      } catch (error) {
        // A body that cannot be built (a file gone or unreadable) is bad input: no retry can help.
        if (error instanceof ApiError || error instanceof InvalidInputError) throw error;
        failure = networkFailure(error, request.method, url.pathname, timeoutMs, this.random, attempt);
      } finally {
        this.gate.leave();
      }
      await this.retryAfter(failure, request.method, url.pathname, attempt);
    }
  }

  /**
   * Streams the body of a GET of a delivery URL into what `open` returns (opened afresh for each try),
   * through the same gate, timeouts and retries as the API calls, following redirects. No Authorization
   * header: a delivery URL needs none (a private file's URL is signed), and the private key must never
   * leave for the CDN. `onProgress` is told the bytes received so far (of this try).
   */
  async download(url: string, open: () => NodeJS.WritableStream, onProgress?: (receivedBytes: number) => void): Promise<void> {
    const { timeoutMs } = this;
    const { pathname } = new URL(url);
    for (let attempt = 0; ; attempt++) {
      let failure: RetryFailure;
      await this.gate.enter();
      try {
        const answer = await this.followRedirects(new URL(url), async (incoming) => {
          if (incoming.statusCode! < 300) {
            if (onProgress) {
              let received = 0;
              incoming.on('data', (chunk: Buffer) => onProgress((received += chunk.length)));
            }
            await pipeline(incoming, open());
            return undefined;
          }
          return { status: incoming.statusCode!, headers: incoming.headers, text: await readText(incoming) };
        });
        if (answer === undefined) return;
        const { status, headers, text } = answer;
        const said = (parseJson(text)?.value as { message?: unknown } | null | undefined)?.message;
        const error = apiErrorFor({
          status,
          message: `GET ${pathname}: ${(typeof said === 'string' ? said : text.trim()) || `HTTP ${status}`}`,
          headers,
          requestId: header(headers, 'x-ik-requestid'),
          body: text,
        });
        if (!RETRYABLE_STATUS(status)) throw error;
        // A rate limit holds back every call, downloads too, for as long as it says (capped).
        const rateLimited = status === 429 ? rateLimitWait(headers, Date.now(), timeoutMs) : undefined;
        if (rateLimited) this.gate.pause(rateLimited.delayMs);
        failure = { reason: `${status} ${error.message}`, ...(rateLimited ?? { delayMs: backoffDelayMs(attempt + 1, this.random) }), error };
      } catch (error) {
        if (error instanceof ApiError) throw error;
        failure = networkFailure(error, 'GET', pathname, timeoutMs, this.random, attempt);
      } finally {
        this.gate.leave();
      }
      await this.retryAfter(failure, 'GET', pathname, attempt);
    }
  }

  /** After a failed try: throws its error when the retries are spent, else tells the retry and waits for it. */
  private async retryAfter(failure: RetryFailure, method: string, path: string, attempt: number): Promise<void> {
    const { retries } = this;
    if (attempt >= retries) throw failure.error;
    const { delayMs, requestedDelayMs, reason } = failure;
    this.options.onRetry?.({ method, path, attempt: attempt + 1, retries, delayMs, ...(requestedDelayMs !== undefined && { requestedDelayMs }), reason });
    await this.sleep(delayMs);
  }

  private get userAgent(): string {
    return this.options.userAgent ?? 'imagekit-cli';
  }

  /** A GET of `url`, following up to MAX_REDIRECTS redirects, whose final answer goes to `receive`. */
  private async followRedirects<T>(url: URL, receive: (incoming: IncomingMessage) => Promise<T>): Promise<T> {
    for (let hops = 0; ; hops++) {
      const answer = await exchange<{ value: T } | { next: URL }>(
        // A large file may take long, but never stalls: the socket going idle is a timeout.
        { url, method: 'GET', headers: { 'user-agent': this.userAgent }, timeout: { idleMs: this.timeoutMs } },
        async (incoming) => {
          const location = incoming.headers.location;
          if (!REDIRECT_STATUS.has(incoming.statusCode!) || location === undefined || hops >= MAX_REDIRECTS) return { value: await receive(incoming) };
          incoming.resume();
          return { next: new URL(location, url) };
        },
      );
      if ('value' in answer) return answer.value;
      url = answer.next;
    }
  }
}

const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

/** A JSON request body with its headers. */
function jsonBody(value: unknown): { body: Buffer; headers: Record<string, string> } {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  return { body, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } };
}

/** What a try that ran out of time fails with: networkFailure tells it by its name. */
class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

interface Exchange {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: NodeJS.ReadableStream | Buffer;
  /** `totalMs` bounds the whole exchange (API calls); `idleMs` only each spell of a silent socket (transfers, which may take long). */
  timeout: { totalMs: number } | { idleMs: number };
  onUploadProgress?: (sentBytes: number) => void;
}

/**
 * One HTTP exchange over node:http(s): sends the request and its body, hands the answer to `receive`
 * (which reads it), and settles with what `receive` returns, or with the first error of the request,
 * the body or the timeout. Whatever fails, the request is destroyed, so no socket is left half used.
 */
function exchange<T>(options: Exchange, receive: (incoming: IncomingMessage) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    let deadline: NodeJS.Timeout | undefined;
    const request = transport(options.url).request(options.url, { method: options.method, headers: options.headers });
    const settle = (error: unknown, value?: T) => {
      clearTimeout(deadline);
      if (error === undefined) resolve(value as T);
      else {
        request.destroy();
        reject(timedOut ? new TimeoutError('timed out') : error);
      }
    };
    const timeOut = () => {
      timedOut = true;
      settle(new TimeoutError('timed out'));
    };
    if ('totalMs' in options.timeout) deadline = setTimeout(timeOut, options.timeout.totalMs);
    else request.setTimeout(options.timeout.idleMs, timeOut);
    request.on('error', (error) => settle(error));
    request.on('response', (incoming) => receive(incoming).then((value) => settle(undefined, value), (error: unknown) => settle(error)));
    const { body, onUploadProgress } = options;
    if (body === undefined) request.end();
    else if (Buffer.isBuffer(body)) request.end(body, () => onUploadProgress?.(body.length));
    else {
      if (onUploadProgress) {
        let sent = 0;
        body.on('data', (chunk: Buffer) => onUploadProgress((sent += chunk.length)));
      }
      body.on('error', (error) => settle(error));
      body.pipe(request);
    }
  });
}

type Transport = { request(url: URL, options: http.RequestOptions): http.ClientRequest };

/** node:http, or node:https (loaded only for an https URL: TLS costs start-up time a local emulator does not need). */
function transport(url: URL): Transport {
  return url.protocol === 'http:' ? http : https();
}

/** The most an answer's body may hold in memory (64 Mi characters). */
const MAX_ANSWER_CHARACTERS = 64 * 1024 * 1024;

/**
 * The body of an answer as text, decompressed when the server compressed it (the API calls ask it
 * to). Read through events rather than an async iterator, which costs several promises a chunk: this
 * runs once for every file of a batch.
 */
function readText(incoming: IncomingMessage): Promise<string> {
  const encoding = incoming.headers['content-encoding'];
  let source: NodeJS.ReadableStream & { destroy(error?: Error): void } = incoming;
  if (encoding === 'gzip' || encoding === 'deflate' || encoding === 'br') {
    const { createBrotliDecompress, createGunzip, createInflate } = zlib();
    const decompress = encoding === 'br' ? createBrotliDecompress() : encoding === 'gzip' ? createGunzip() : createInflate();
    source = incoming.pipe(decompress);
    incoming.on('error', (error) => decompress.destroy(error));
  }
  return new Promise((resolve, reject) => {
    let text = '';
    source.setEncoding('utf8');
    source.on('data', (chunk: string) => {
      text += chunk;
      // A bound on what is held in memory: no answer of the API comes near it.
      if (text.length > MAX_ANSWER_CHARACTERS) source.destroy(new Error(`the answer is larger than ${MAX_ANSWER_CHARACTERS} characters`));
    });
    source.on('end', () => resolve(text));
    source.on('error', reject);
    // A body cut short may close without 'end': a reset connection, retried as one.
    source.on('close', () => reject(Object.assign(new Error('the answer was cut short'), { code: 'ECONNRESET' })));
  });
}

/**
 * What a try that failed on the network tells: a NetworkError to retry after a backoff, or thrown at
 * once when retrying cannot help. Only the error's code and message are kept, so that nothing of the
 * request (its Authorization header) can travel on with it.
 */
function networkFailure(error: unknown, method: string, path: string, timeoutMs: number, random: () => number, attempt: number) {
  const code = (error as NodeJS.ErrnoException).code ?? 'ERR_NETWORK';
  const timedOut = (error as Error).name === 'TimeoutError' || code === 'ETIMEDOUT';
  const message = timedOut ? `timed out after ${timeoutMs} ms` : (error as Error).message;
  const networkError = new NetworkError(timedOut ? 'ERR_TIMEOUT' : code, `${method} ${path}: ${message}`, method, path);
  if (!timedOut && !RETRYABLE_NETWORK_CODES.has(code)) throw networkError;
  return { reason: message, delayMs: backoffDelayMs(attempt + 1, random), error: networkError };
}
