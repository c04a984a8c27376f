// The HTTP path against servers that misbehave on purpose: 429s asking for absurd waits, success
// answers that are not JSON, and limits that would overflow Node's timers. A tiny node:http server of
// the test's own on 127.0.0.1 plays the odd server; the emulator plays the well-behaved one.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ImageKitClient } from '../../src/client.js';
import { InvalidInputError, TooManyRequestsError, UnexpectedResponseError } from '../../src/errors.js';
import { rateLimitWait, type RetryInfo } from '../../src/http.js';
import { MAX_CONCURRENCY, MAX_RATE_LIMIT_WAIT_MS, MAX_RETRIES, MAX_TIMEOUT_MS } from '../../src/limits.js';
import { startEmulator } from '../../emulator/index.js';

const SECRET = 'private_secret_never_shown';

/** A server answering every request with `respond`, counting the requests. */
async function oddServer(respond: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => respond(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const clientOf = (url: string, options: Partial<ConstructorParameters<typeof ImageKitClient>[0]> = {}) =>
  new ImageKitClient({ privateKey: SECRET, baseUrl: url, uploadBaseUrl: url, ...options });

describe('a 429 asking for a huge wait', () => {
  it.each([
    ['Retry-After in seconds', { 'retry-after': '999999' }, 999_999_000],
    ['X-RateLimit-Reset in milliseconds', { 'x-ratelimit-reset': '999999999999' }, 999_999_999_999],
  ])('waits no longer than the call timeout: %s', async (_, headers, asked) => {
    const server = await oddServer((_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', ...headers });
      res.end('{"message":"slow down"}');
    });
    try {
      const retries: RetryInfo[] = [];
      const client = clientOf(server.url, { timeoutMs: 300, retries: 1, onRetry: (retry) => retries.push(retry) });
      const started = Date.now();
      await expect(client.listFiles()).rejects.toBeInstanceOf(TooManyRequestsError);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(server.requests()).toBe(2);
      expect(retries).toEqual([expect.objectContaining({ attempt: 1, delayMs: 300, requestedDelayMs: asked })]);
    } finally {
      await server.close();
    }
  });

  it('is capped at a minute when the timeout is longer, and reported as capped', () => {
    const hour = 3_600_000;
    expect(rateLimitWait({ 'retry-after': '999999' }, 0, 2 * hour)).toEqual({ delayMs: MAX_RATE_LIMIT_WAIT_MS, requestedDelayMs: 999_999_000 });
    expect(rateLimitWait({ 'x-ratelimit-reset': String(hour) }, 0, 2 * hour)).toEqual({ delayMs: 60_000, requestedDelayMs: hour });
    expect(rateLimitWait({ 'retry-after': new Date(10 * hour).toUTCString() }, 0, 2 * hour)).toEqual({ delayMs: 60_000, requestedDelayMs: 10 * hour });
    expect(rateLimitWait({ 'retry-after': '2' }, 0, 2 * hour)).toEqual({ delayMs: 2000 });
    expect(rateLimitWait({}, 0, 2 * hour)).toBeUndefined();
  });
});

describe('a success answer that is not what the call needs', () => {
  it.each([
    ['HTML from a proxy', 'text/html', '<html>sign in to the Wi-Fi</html>', 'GET /v1/files answered 200 with a body that is not JSON'],
    ['an empty body', undefined, '', 'GET /v1/files answered 200 with an empty body instead of a list'],
    ['JSON of another shape', 'application/json', '{"files":[]}', 'GET /v1/files answered 200 with JSON that is not a list'],
  ])('is a typed error naming the call, not retried: %s', async (_, type, body, message) => {
    const server = await oddServer((_req, res) => {
      res.writeHead(200, type ? { 'content-type': type } : {});
      res.end(body);
    });
    try {
      const error = await clientOf(server.url, { retries: 3 }).listFiles().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnexpectedResponseError);
      expect(error).toMatchObject({ message, status: 200, code: 'ERR_UNEXPECTED_RESPONSE', body });
      expect(server.requests()).toBe(1);
      expect(JSON.stringify(error) + String(error) + (error as Error).stack).not.toContain(SECRET);
    } finally {
      await server.close();
    }
  });

  it('fails uploads and calls expecting an object alike, while an empty answer to a delete is fine', async () => {
    const server = await oddServer((req, res) => {
      res.writeHead(200);
      res.end(req.method === 'DELETE' ? '' : req.url!.includes('details') ? '[]' : 'OK');
    });
    try {
      const client = clientOf(server.url, { retries: 0 });
      await expect(client.upload({ bytes: Buffer.from('x') }, { fileName: 'x.txt' })).rejects.toThrow('POST /api/v1/files/upload answered 200 with a body that is not JSON');
      await expect(client.getFileDetails('abc')).rejects.toThrow('GET /v1/files/abc/details answered 200 with JSON that is not an object');
      await expect(client.deleteFile('abc')).resolves.toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

describe('limits', () => {
  it.each([
    ['timeoutMs', { timeoutMs: Infinity }],
    ['timeoutMs', { timeoutMs: 1e308 }],
    ['timeoutMs', { timeoutMs: MAX_TIMEOUT_MS + 1 }],
    ['timeoutMs', { timeoutMs: Number.NaN }],
    ['timeoutMs', { timeoutMs: 0 }],
    ['timeoutMs', { timeoutMs: -5 }],
    ['retries', { retries: MAX_RETRIES + 1 }],
    ['retries', { retries: -1 }],
    ['retries', { retries: 1.5 }],
    ['retries', { retries: Infinity }],
    ['concurrency', { concurrency: MAX_CONCURRENCY + 1 }],
    ['concurrency', { concurrency: 0 }],
    ['concurrency', { concurrency: 2.5 }],
  ])('refuses %s out of bounds: %p', (name, limits) => {
    expect(() => clientOf('http://127.0.0.1:9', limits)).toThrow(InvalidInputError);
    expect(() => clientOf('http://127.0.0.1:9', limits)).toThrow(new RegExp(`^${name} must be`));
  });

  it('accepts the largest allowed values, which uploads and calls can use', async () => {
    expect(MAX_TIMEOUT_MS).toBeLessThan(2 ** 31 - 1);
    const emulator = await startEmulator();
    try {
      const client = new ImageKitClient({ privateKey: emulator.privateKey, baseUrl: emulator.url, uploadBaseUrl: emulator.url, timeoutMs: MAX_TIMEOUT_MS, retries: MAX_RETRIES, concurrency: MAX_CONCURRENCY });
      const uploaded = await client.upload({ bytes: Buffer.from('hello') }, { fileName: 'limits.txt' });
      expect((await client.listFiles()).map((f) => f.name)).toEqual([uploaded.name]);
    } finally {
      await emulator.close();
    }
  });
});
