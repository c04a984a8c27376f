/**
 * The one HTTP path of every API call: got (loaded on first use), Basic auth with the private key,
 * typed errors, and retries for network errors, timeouts, 408, 429 and 5xx through a gate shared by
 * concurrent calls, so that a 429 slows the whole batch instead of failing it.
 */
import { pipeline } from 'node:stream/promises';
import { apiErrorFor, ApiError, InvalidInputError, NetworkError } from './errors.js';

export interface HttpOptions {
  privateKey: string;
  baseUrl: string;
  uploadBaseUrl: string;
  /** Per-request timeout in milliseconds (for uploads: to connect, and to answer once sent). */
  timeoutMs?: number;
  /** Retries after the first try. */
  retries?: number;
  /** Requests in flight at once, across every caller of this client. */
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
  /** Told the bytes of the body sent so far, as they go (uploads). */
  onUploadProgress?: (sentBytes: number) => void;
}

export interface HttpResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string | string[] | undefined>;
  requestId?: string;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_RETRIES = 4;
const DEFAULT_CONCURRENCY = 8;
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
  private readonly options: Omit<HttpOptions, 'privateKey'>;
  // A true private field: it does not show in util.inspect or JSON of the client.
  readonly #authorization: string;

  constructor({ privateKey, ...options }: HttpOptions) {
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new InvalidInputError(`concurrency must be a whole number of at least 1, got ${concurrency}`);
    this.options = options;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.gate = new Gate(concurrency, this.sleep);
    // ImageKit reads the private key as the user name and ignores the password.
    this.#authorization = `Basic ${Buffer.from(`${privateKey}:`).toString('base64')}`;
  }

  async request<T>(request: HttpRequest): Promise<HttpResponse<T>> {
    const got = await loadGot();
    const retries = this.options.retries ?? DEFAULT_RETRIES;
    const base = (request.upload ? this.options.uploadBaseUrl : this.options.baseUrl).replace(/\/+$/, '');
    const url = new URL(base + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

    for (let attempt = 0; ; attempt++) {
      let failure: { reason: string; delayMs: number; error: Error };
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
        let data: unknown;
        try {
          data = response.body === '' ? undefined : JSON.parse(response.body);
        } catch {
          data = undefined;
        }
        if (response.statusCode < 300 && response.statusCode !== 207) return { status: response.statusCode, data: data as T, headers, requestId };
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
        const rateLimited = response.statusCode === 429 ? rateLimitDelayMs(headers, Date.now()) : undefined;
        if (rateLimited !== undefined) this.gate.pause(rateLimited);
        failure = {
          reason: `${response.statusCode} ${error.message}`,
          delayMs: rateLimited ?? backoffDelayMs(attempt + 1, this.random),
          error,
        };
      } catch (error) {
        if (error instanceof ApiError) throw error;
        failure = networkFailure(error, request.method, url.pathname, timeoutMs, this.random, attempt);
      } finally {
        this.gate.leave();
      }
      if (attempt >= retries) throw failure.error;
      this.options.onRetry?.({ method: request.method, path: url.pathname, attempt: attempt + 1, retries, delayMs: failure.delayMs, reason: failure.reason });
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
    const retries = this.options.retries ?? DEFAULT_RETRIES;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
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
        const error = apiErrorFor({
          status: response.statusCode,
          message: `GET ${pathname}: ${(jsonMessage(text) ?? text.trim()) || `HTTP ${response.statusCode}`}`,
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

/** The `message` of a JSON error body, if it is one. */
function jsonMessage(text: string): string | undefined {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
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
