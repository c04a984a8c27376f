/**
 * The one HTTP path of every API call: got (loaded on first use), Basic auth with the private key,
 * typed errors, and retries for network errors, timeouts, 408, 429 and 5xx through a gate shared by
 * concurrent calls, so that a 429 slows the whole batch instead of failing it.
 */
import { pipeline } from 'node:stream/promises';
import { DEFAULT_CONCURRENCY, DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS, MAX_CONCURRENCY, MAX_RATE_LIMIT_WAIT_MS, MAX_RETRIES, MAX_TIMEOUT_MS } from './limits.js';
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

type Got = typeof import('got').default;
let gotModule: Promise<Got> | undefined;
const loadGot = () => (gotModule ??= import('got').then((m) => m.default));

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
    const got = await loadGot();
    const { retries, timeoutMs } = this;
    const base = (request.upload ? this.options.uploadBaseUrl : this.options.baseUrl).replace(/\/+$/, '');
    const url = new URL(base + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));

    for (let attempt = 0; ; attempt++) {
      let failure: { reason: string; delayMs: number; requestedDelayMs?: number; error: Error };
      await this.gate.enter();
      try {
        const built = request.body ? await request.body() : undefined;
        const pending = got(url, {
          method: request.method,
          headers: { authorization: this.#authorization, 'user-agent': this.options.userAgent ?? 'imagekit-cli', accept: 'application/json', ...built?.headers },
          ...(request.json !== undefined ? { json: request.json } : {}),
          ...(built ? { body: built.body } : {}),
          throwHttpErrors: false,
          retry: { limit: 0 },
          // An upload may take long to send, but never stalls: the socket going idle is a timeout too.
          timeout: request.upload ? { connect: timeoutMs, socket: timeoutMs, response: timeoutMs } : { request: timeoutMs },
          responseType: 'text',
        });
        if (request.onUploadProgress) pending.on('uploadProgress', (progress: { transferred: number }) => request.onUploadProgress!(progress.transferred));
        const response = await pending;
        const headers = response.headers as HttpResponse<T>['headers'];
        const requestId = header(headers, 'x-ik-requestid') ?? header(headers, 'x-request-id');
        const json = parseJson(response.body);
        const data = json?.value;
        if (response.statusCode < 300 && response.statusCode !== 207) {
          const wrong = wrongBody(response.body, json, request.expect);
          if (wrong === undefined) return { status: response.statusCode, data: data as T, headers, requestId };
          throw new UnexpectedResponseError({
            status: response.statusCode,
            message: `${request.method} ${url.pathname} answered ${response.statusCode} with ${wrong}`,
            headers,
            requestId,
            body: response.body,
            data,
          });
        }
        const body = data as { message?: string; help?: string } | undefined;
        const error = apiErrorFor({
          status: response.statusCode,
          message: body?.message ?? (response.body.trim() || `HTTP ${response.statusCode}`),
          help: body?.help,
          headers,
          requestId,
          body: response.body,
          data,
        });
        if (!RETRYABLE_STATUS(response.statusCode)) throw error;
        const rateLimited = response.statusCode === 429 ? rateLimitWait(headers, Date.now(), timeoutMs) : undefined;
        if (rateLimited) this.gate.pause(rateLimited.delayMs);
        failure = { reason: `${response.statusCode} ${error.message}`, ...(rateLimited ?? { delayMs: backoffDelayMs(attempt + 1, this.random) }), error };
      } catch (error) {
        if (error instanceof ApiError) throw error;
        failure = networkFailure(error, request.method, url.pathname, timeoutMs, this.random, attempt);
      } finally {
        this.gate.leave();
      }
      if (attempt >= retries) throw failure.error;
      this.options.onRetry?.({
        method: request.method,
        path: url.pathname,
        attempt: attempt + 1,
        retries,
        delayMs: failure.delayMs,
        ...(failure.requestedDelayMs !== undefined && { requestedDelayMs: failure.requestedDelayMs }),
        reason: failure.reason,
      });
      await this.sleep(failure.delayMs);
    }
  }

  /**
   * Streams the body of a GET of a delivery URL into what `open` returns (opened afresh for each try),
   * through the same gate, timeouts and retries as the API calls. No Authorization header: a delivery
   * URL needs none (a private file's URL is signed), and the private key must never leave for the CDN.
   * `onProgress` is told the bytes received so far (of this try).
   */
  async download(url: string, open: () => NodeJS.WritableStream, onProgress?: (receivedBytes: number) => void): Promise<void> {
    const got = await loadGot();
    const { retries, timeoutMs } = this;
    const { pathname } = new URL(url);
    for (let attempt = 0; ; attempt++) {
      let failure: { reason: string; delayMs: number; error: Error };
      await this.gate.enter();
      try {
        const stream = got.stream(url, {
          headers: { 'user-agent': this.options.userAgent ?? 'imagekit-cli' },
          throwHttpErrors: false,
          retry: { limit: 0 },
          // A large file may take long, but never stalls: the socket going idle is a timeout.
          timeout: { connect: timeoutMs, socket: timeoutMs, response: timeoutMs },
        });
        if (onProgress) stream.on('downloadProgress', (progress: { transferred: number }) => onProgress(progress.transferred));
        const response = await new Promise<{ statusCode: number; headers: HttpResponse<unknown>['headers'] }>((resolve, reject) => {
          stream.once('response', resolve);
          stream.once('error', reject);
        });
        if (response.statusCode < 300) {
          await pipeline(stream, open());
          return;
        }
        let text = '';
        for await (const chunk of stream) text += String(chunk);
        const said = (parseJson(text)?.value as { message?: unknown } | null | undefined)?.message;
        const error = apiErrorFor({
          status: response.statusCode,
          message: `GET ${pathname}: ${(typeof said === 'string' ? said : text.trim()) || `HTTP ${response.statusCode}`}`,
          headers: response.headers,
          requestId: header(response.headers, 'x-ik-requestid'),
          body: text,
        });
        if (!RETRYABLE_STATUS(response.statusCode)) throw error;
        failure = { reason: `${response.statusCode} ${error.message}`, delayMs: backoffDelayMs(attempt + 1, this.random), error };
      } catch (error) {
        if (error instanceof ApiError) throw error;
        failure = networkFailure(error, 'GET', pathname, timeoutMs, this.random, attempt);
      } finally {
        this.gate.leave();
      }
      if (attempt >= retries) throw failure.error;
      this.options.onRetry?.({ method: 'GET', path: pathname, attempt: attempt + 1, retries, delayMs: failure.delayMs, reason: failure.reason });
      await this.sleep(failure.delayMs);
    }
  }

}

/**
 * What a try that failed on the network tells: a NetworkError to retry after a backoff, or thrown at
 * once when retrying cannot help. The original error carries the request options (the Authorization
 * header among them): only what it said is kept.
 */
function networkFailure(error: unknown, method: string, path: string, timeoutMs: number, random: () => number, attempt: number) {
  const code = (error as NodeJS.ErrnoException).code ?? 'ERR_NETWORK';
  const timedOut = (error as Error).name === 'TimeoutError' || code === 'ETIMEDOUT';
  const message = timedOut ? `timed out after ${timeoutMs} ms` : (error as Error).message;
  const networkError = new NetworkError(timedOut ? 'ERR_TIMEOUT' : code, `${method} ${path}: ${message}`, method, path);
  if (!timedOut && !RETRYABLE_NETWORK_CODES.has(code) && !code.startsWith('ERR_GOT')) throw networkError;
  return { reason: message, delayMs: backoffDelayMs(attempt + 1, random), error: networkError };
}
