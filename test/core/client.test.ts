// The project's API client against the emulator over real HTTP on 127.0.0.1 (nothing stubbed).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageKitClient } from '../../src/client.js';
import { backoffDelayMs, rateLimitDelayMs } from '../../src/http.js';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  InternalServerError,
  InvalidInputError,
  NetworkError,
  NotFoundError,
  PartialSuccessError,
  TooManyRequestsError,
  UnauthorizedError,
} from '../../src/errors.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { testImage } from '../helpers/images.js';

let emulator: Emulator;
const fast = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 20)));
const clientFor = (e: Emulator, options: Partial<ConstructorParameters<typeof ImageKitClient>[0]> = {}) =>
  new ImageKitClient({ privateKey: e.privateKey, baseUrl: e.url, uploadBaseUrl: e.url, sleep: fast, ...options });

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

describe('typed methods', () => {
  it('cover the media library from upload to delete', async () => {
    const client = clientFor(emulator);
    const dir = mkdtempSync(join(tmpdir(), 'imagekit-client-'));
    const path = join(dir, 'shoe.png');
    writeFileSync(path, await testImage());
    const uploaded = await client.upload({ path }, { fileName: 'shoe.png', folder: '/client/products', tags: ['red'], useUniqueFileName: false, customCoordinates: '0,0,5,5', responseFields: ['tags'] });
    expect(uploaded).toMatchObject({ filePath: '/client/products/shoe.png', tags: ['red'], width: 64 });
    expect(emulator.requests.at(-1)!.fields).toMatchObject({ fileName: 'shoe.png', tags: 'red', useUniqueFileName: 'false', customCoordinates: '0,0,5,5' });
    const fromBytes = await client.upload({ bytes: Buffer.from('hello') }, { fileName: 'note.txt', folder: '/client' });
    expect(fromBytes).toMatchObject({ fileType: 'non-image', size: 5 });
    const fromUrl = await client.upload({ url: uploaded.url }, { fileName: 'copy.png', folder: '/client', useUniqueFileName: false });
    expect(fromUrl.size).toBe(uploaded.size);

    const id = uploaded.fileId;
    expect(await client.getFileDetails(id)).toMatchObject({ fileId: id, name: 'shoe.png' });
    expect(await client.updateFileDetails(id, { tags: ['blue'] })).toMatchObject({ tags: ['blue'] });
    expect((await client.listFiles({ path: '/client/products' })).map((f) => f.name)).toEqual(['shoe.png']);
    await client.upload({ path }, { fileName: 'shoe.png', folder: '/client/products', useUniqueFileName: false });
    const versions = await client.listVersions(id);
    expect(versions).toHaveLength(2);
    const older = versions.find((v) => v.type === 'file-version')!;
    expect(await client.getVersion(id, older.versionInfo.id)).toMatchObject({ type: 'file-version' });
    expect((await client.restoreVersion(id, older.versionInfo.id)).versionInfo.id).toBe(older.versionInfo.id);
    const current = (await client.listVersions(id)).find((v) => v.type === 'file-version')!;
    await client.deleteVersion(id, current.versionInfo.id);
    expect(await client.listVersions(id)).toHaveLength(1);

    expect(await client.addTags([id], ['sale'])).toEqual({ successfullyUpdatedFileIds: [id] });
    expect(await client.removeTags([id], ['sale'])).toEqual({ successfullyUpdatedFileIds: [id] });
    expect(await client.removeAITags([id], ['shoe'])).toEqual({ successfullyUpdatedFileIds: [id] });
    expect((await client.getFileMetadata(id)).pHash).toMatch(/^[0-9a-f]{16}$/);
    expect((await client.getRemoteFileMetadata(uploaded.url)).width).toBe(64);

    await client.copyFile('/client/products/shoe.png', '/client/archive', true);
    await client.moveFile('/client/archive/shoe.png', '/client/moved');
    expect(await client.renameFile('/client/moved/shoe.png', 'boot.png')).toEqual({});
    expect((await client.renameFile('/client/moved/boot.png', 'clog.png', true)).purgeRequestId).toBeDefined();

    await client.createFolder('deep', '/client/a/b');
    const copy = await client.copyFolder('/client/a', '/client/c', true);
    expect(await client.getBulkJobStatus(copy.jobId)).toMatchObject({ status: 'Completed', type: 'COPY_FOLDER' });
    const move = await client.moveFolder('/client/c/a', '/client/d');
    expect((await client.getBulkJobStatus(move.jobId)).type).toBe('MOVE_FOLDER');
    const rename = await client.renameFolder('/client/d/a', 'z', true);
    expect((await client.getBulkJobStatus(rename.jobId)).purgeRequestId).toBeDefined();
    await client.deleteFolder('/client/d/z');

    const purge = await client.purgeCache(`${emulator.urlEndpoint}/client/products/*`);
    expect(await client.getPurgeStatus(purge.requestId)).toEqual({ status: 'Completed' });

    const field = await client.createCustomMetadataField({ name: 'colour', label: 'Colour', schema: { type: 'SingleSelect', selectOptions: ['red', 'blue'] } });
    expect(await client.updateCustomMetadataField(field.id, { label: 'Colour name' })).toMatchObject({ label: 'Colour name' });
    expect((await client.listCustomMetadataFields()).map((f) => f.id)).toContain(field.id);
    await client.deleteCustomMetadataField(field.id);
    expect((await client.listCustomMetadataFields(true)).map((f) => f.id)).toContain(field.id);

    expect(await client.bulkDeleteFiles([id])).toEqual({ successfullyDeletedFileIds: [id] });
    await client.deleteFile(fromBytes.fileId);
  });
});

describe('errors', () => {
  it('are typed by status and keep status, message, help, headers, request id and body', async () => {
    const client = clientFor(emulator);
    const error = await client.getFileDetails('000000000000000000000000').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, message: 'The requested file does not exist.', help: expect.stringContaining('support') });
    const notFound = error as NotFoundError;
    expect(notFound.requestId).toMatch(/^[0-9a-f]{24}$/);
    expect(notFound.headers['content-type']).toContain('application/json');
    expect(JSON.parse(notFound.body).message).toBe(notFound.message);

    await expect(client.listFiles({ limit: 0 })).rejects.toBeInstanceOf(BadRequestError);
    await expect(client.listFiles({ searchQuery: 'size >' })).rejects.toThrow(/position 7/);
    const file = await client.upload({ bytes: Buffer.from('x') }, { fileName: 'a.txt', useUniqueFileName: false, folder: '/errors' });
    await client.upload({ bytes: Buffer.from('y') }, { fileName: 'b.txt', useUniqueFileName: false, folder: '/errors' });
    await expect(client.renameFile(file.filePath, 'b.txt')).rejects.toBeInstanceOf(ConflictError);
    const partial = await client.addTags([file.fileId, '000000000000000000000000'], ['t']).catch((e: unknown) => e);
    expect(partial).toBeInstanceOf(PartialSuccessError);
    expect((partial as PartialSuccessError).data).toMatchObject({ successfullyUpdatedFileIds: [file.fileId], errors: [{ fileId: '000000000000000000000000' }] });

    await expect(clientFor(emulator, { privateKey: 'private_wrong' }).listFiles()).rejects.toBeInstanceOf(ForbiddenError);
    const limited = await startEmulator({ rateLimit: { limit: 1, intervalMs: 60_000 } });
    try {
      const impatient = clientFor(limited, { retries: 0 });
      await impatient.listFiles();
      const error = await impatient.listFiles().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TooManyRequestsError);
      expect((error as TooManyRequestsError).headers['x-ratelimit-limit']).toBe('1');
    } finally {
      await limited.close();
    }
    const broken = await startEmulator({ failRate: 1 });
    try {
      await expect(clientFor(broken, { retries: 0 }).listFiles()).rejects.toBeInstanceOf(InternalServerError);
    } finally {
      await broken.close();
    }
    await expect(clientFor(emulator, { privateKey: '' }).listFiles()).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('refuse a path that is not a readable regular file at once, with nothing sent and no retry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imagekit-client-'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const client = clientFor(emulator, { retries: 3 });
    const before = emulator.requests.length;
    await expect(client.upload({ path: join(dir, 'pipe') }, { fileName: 'pipe' })).rejects.toMatchObject({ name: InvalidInputError.name, message: `${join(dir, 'pipe')} is a FIFO, not a regular file` });
    await expect(client.upload({ path: join(dir, 'gone.txt') }, { fileName: 'gone.txt' })).rejects.toMatchObject({ name: InvalidInputError.name, message: `${join(dir, 'gone.txt')} does not exist` });
    expect(emulator.requests.length).toBe(before);
  });

  it('never carry the private key', async () => {
    const client = clientFor(emulator, { privateKey: 'private_secret_never_shown', baseUrl: 'http://127.0.0.1:9', retries: 0 });
    const error = await client.listFiles().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(JSON.stringify(error) + String(error) + (error as Error).stack).not.toContain('private_secret_never_shown');
  });
});

describe('pagination', () => {
  it('pages past the 1000-per-call limit with skip and limit', async () => {
    const big = await startEmulator();
    try {
      const client = clientFor(big, { concurrency: 16 });
      await Promise.all(Array.from({ length: 2500 }, (_, i) => client.upload({ bytes: Buffer.from(`file ${i}`) }, { fileName: `f${i}.txt`, folder: '/many', useUniqueFileName: false })));
      const pages: number[] = [];
      const names = new Set<string>();
      for await (const page of client.listPages({ path: '/many' })) {
        pages.push(page.length);
        for (const item of page) names.add(item.name);
      }
      expect(pages).toEqual([1000, 1000, 500]);
      expect(names.size).toBe(2500);
      const limited: number[] = [];
      for await (const page of client.listPages({ path: '/many' }, 1500)) limited.push(page.length);
      expect(limited).toEqual([1000, 500]);
      const listCalls = big.requests.filter((r) => r.path === '/v1/files').map((r) => [r.query.skip, r.query.limit]);
      expect(listCalls.slice(0, 3)).toEqual([['0', '1000'], ['1000', '1000'], ['2000', '1000']]);
    } finally {
      await big.close();
    }
  }, 60_000);
});

describe('retries', () => {
  it('holds every call back after a 429, not only the one that got it', async () => {
    const limited = await startEmulator({ rateLimit: { limit: 1, intervalMs: 400 } });
    try {
      const client = clientFor(limited, { sleep: (ms) => new Promise((r) => setTimeout(r, ms)), retries: 5 });
      await client.listFiles({ limit: 1 }); // uses up the window
      const second = client.listFiles({ limit: 1 }); // answered 429: the gate pauses
      await new Promise((r) => setTimeout(r, 50));
      const third = client.listFiles({ limit: 1 }); // made during the pause: it must wait, not hit the limit
      await Promise.all([second, third]);
      // Nothing reached the server between the first 429 and the end of the window it named.
      const first429 = limited.requests.find((r) => r.status === 429)!;
      const windowEnd = limited.requests[0]!.at + 400;
      expect(limited.requests.filter((r) => r.at > first429.at && r.at < windowEnd - 5)).toEqual([]);
      expect(limited.requests.filter((r) => r.status === 200)).toHaveLength(3);
    } finally {
      await limited.close();
    }
  });

  it('rides out a 429 storm: every call succeeds, waiting X-RateLimit-Reset', async () => {
    const limited = await startEmulator({ rateLimit: { limit: 5, intervalMs: 300 } });
    try {
      const retries: number[] = [];
      const client = clientFor(limited, { sleep: (ms) => new Promise((r) => setTimeout(r, ms)), retries: 10, onRetry: (r) => retries.push(r.delayMs) });
      const results = await Promise.all(Array.from({ length: 30 }, () => client.listFiles({ limit: 1 })));
      expect(results).toHaveLength(30);
      expect(limited.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
      expect(limited.requests.filter((r) => r.status === 200)).toHaveLength(30);
      expect(retries.every((ms) => ms <= 300)).toBe(true);
    } finally {
      await limited.close();
    }
  }, 30_000);

  it('retries random 5xx answers and dropped connections until every upload lands exactly once', async () => {
    const flaky = await startEmulator({ failRate: 0.3, resetRate: 0.15, seed: 42 });
    try {
      const client = clientFor(flaky, { retries: 12 });
      const uploaded = await Promise.all(Array.from({ length: 40 }, (_, i) => client.upload({ bytes: Buffer.from(`n${i}`) }, { fileName: `n${i}.txt`, folder: '/flaky', useUniqueFileName: false })));
      expect(new Set(uploaded.map((u) => u.filePath)).size).toBe(40);
      const statuses = flaky.requests.map((r) => r.status);
      expect(statuses.filter((s) => s === 500 || s === 503).length).toBeGreaterThan(0);
      expect(statuses.filter((s) => s === 0).length).toBeGreaterThan(0);
      flaky.configure({ failRate: 0, resetRate: 0 });
      const listed = await client.listFiles({ path: '/flaky' });
      expect(listed).toHaveLength(40);
      expect(listed.every((f) => f.type === 'file' && (f as { versionInfo: { name: string } }).versionInfo.name === 'Version 1')).toBe(true);
    } finally {
      await flaky.close();
    }
  }, 30_000);

  it('gives up after the retries with the last error, telling each retry', async () => {
    const broken = await startEmulator({ failRate: 1 });
    try {
      const told: string[] = [];
      const client = clientFor(broken, { retries: 2, onRetry: (r) => told.push(`${r.attempt}/${r.retries} ${r.reason}`) });
      await expect(client.listFiles()).rejects.toMatchObject({ status: expect.any(Number) });
      expect(told).toHaveLength(2);
      expect(told[0]).toMatch(/^1\/2 50[03] /);
    } finally {
      await broken.close();
    }
  });

  it('times out a slow answer', async () => {
    const slow = await startEmulator({ latencyMs: 400 });
    try {
      const client = clientFor(slow, { timeoutMs: 100, retries: 1 });
      const error = await client.listFiles().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect(error).toMatchObject({ code: 'ERR_TIMEOUT' });
    } finally {
      await slow.close();
    }
  });

  it('computes waits from the headers and backs off exponentially with jitter', () => {
    expect(rateLimitDelayMs({ 'x-ratelimit-reset': '1500' }, 0)).toBe(1500);
    expect(rateLimitDelayMs({ 'retry-after': '2' }, 0)).toBe(2000);
    expect(rateLimitDelayMs({ 'retry-after': new Date(10_000).toUTCString() }, 4000)).toBe(6000);
    expect(rateLimitDelayMs({}, 0)).toBeUndefined();
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, () => 1))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(backoffDelayMs(1, () => 0)).toBe(250);
  });
});
