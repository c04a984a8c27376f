// The emulator's own features, over real HTTP on 127.0.0.1: delivery and signed URLs, the search
// language, persistence, rate limits and faults, and the `imagekit emulator` command.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImageKitClient } from '../../src/client.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { parseSearchQuery, SearchSyntaxError } from '../../emulator/store/search.js';
import { buildUrl } from '../../src/url.js';
import { runCli } from '../helpers/cli.js';
import { testImage } from '../helpers/images.js';

let emulator: Emulator;
let client: ImageKitClient;
beforeAll(async () => {
  emulator = await startEmulator();
  client = new ImageKitClient({ privateKey: emulator.privateKey, baseUrl: emulator.url, uploadBaseUrl: emulator.url, retries: 0 });
});
afterAll(() => emulator.close());

describe('delivery', () => {
  // Transformed delivery has its own suite: delivery.test.ts.
  it('serves the original bytes with their content type at URLs built by `imagekit url`', async () => {
    const png = await testImage();
    await client.upload({ bytes: png }, { fileName: 'hero image.png', folder: '/site', useUniqueFileName: false });
    const url = buildUrl({ path: '/site/hero_image.png', urlEndpoint: emulator.urlEndpoint });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);
    const inQuery = await fetch(buildUrl({ path: '/site/hero_image.png', urlEndpoint: emulator.urlEndpoint, transformation: [{ height: 10 }], transformationPosition: 'query' }));
    expect(inQuery.status).toBe(200);
    expect((await fetch(`${emulator.urlEndpoint}/site/missing.png`)).status).toBe(404);
    expect((await fetch(`${emulator.urlEndpoint}/tr:zz-9/site/hero_image.png`)).status).toBe(400);
  });

  it('serves private files only through a valid, unexpired signed URL', async () => {
    await client.upload({ bytes: Buffer.from('secret report') }, { fileName: 'report.txt', folder: '/private', isPrivateFile: true, useUniqueFileName: false });
    const base = { path: '/private/report.txt', urlEndpoint: emulator.urlEndpoint, privateKey: emulator.privateKey };
    expect((await fetch(buildUrl(base))).status).toBe(401);
    const signed = await fetch(buildUrl({ ...base, signed: true }));
    expect(signed.status).toBe(200);
    expect(await signed.text()).toBe('secret report');
    expect((await fetch(buildUrl({ ...base, expireSeconds: 60 }))).status).toBe(200);
    expect((await fetch(buildUrl({ ...base, expireAt: 1000 }))).status).toBe(401);
    expect((await fetch(buildUrl({ ...base, privateKey: 'private_other', signed: true }))).status).toBe(401);
    const tampered = buildUrl({ ...base, signed: true, transformation: [{ width: 10 }] }).replace('w-10', 'w-20');
    expect((await fetch(tampered)).status).toBe(401);
  });
});

describe('the search language', () => {
  beforeAll(async () => {
    await client.upload({ bytes: await testImage({ width: 200, height: 100 }) }, { fileName: 'wide.png', folder: '/search', tags: ['sale', 'red'], useUniqueFileName: false });
    await client.upload({ bytes: await testImage({ width: 50, height: 80 }) }, { fileName: 'tall.png', folder: '/search', tags: ['blue'], useUniqueFileName: false, isPrivateFile: true });
    await client.upload({ bytes: Buffer.alloc(3 * 1024 * 1024, 1) }, { fileName: 'big.bin', folder: '/search', useUniqueFileName: false });
  });

  const names = async (searchQuery: string) =>
    (await client.listFiles({ searchQuery, path: '/search', sort: 'ASC_NAME' })).map((f) => f.name).sort();

  it.each([
    ['name = "wide.png"', ['wide.png']],
    ['name : "ta"', ['tall.png']],
    ['name IN ["wide.png", "big.bin"]', ['big.bin', 'wide.png']],
    ['name NOT IN ["wide.png"]', ['big.bin', 'tall.png']],
    ['size > "2mb"', ['big.bin']],
    ['size <= 1mb', ['tall.png', 'wide.png']],
    ['width >= 100 AND height < 150', ['wide.png']],
    ['format = "png" AND (tags IN ["blue"] OR tags HAS "sale")', ['tall.png', 'wide.png']],
    ['tags NOT IN ["sale"]', ['big.bin', 'tall.png']],
    ['private = true', ['tall.png']],
    ['createdAt > "1d" AND updatedAt <= "2030-01-01T00:00:00Z"', ['big.bin', 'tall.png', 'wide.png']],
    ['createdAt < "7d"', []],
    ['name != "big.bin" AND published = true', ['tall.png', 'wide.png']],
  ])('%s', async (query, expected) => {
    expect(await names(query)).toEqual(expected);
  });

  it.each([
    ['size >', /position 7/],
    ['(name = "a"', /position 12/],
    ['name = "a" OR', /position 14/],
    ['name ~ "a"', /position 6/],
    ['tags IN "a"', /position 9/],
  ])('reports the position of a syntax error: %s', async (query, message) => {
    expect(() => parseSearchQuery(query)).toThrow(SearchSyntaxError);
    await expect(client.listFiles({ searchQuery: query })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(message) });
  });
});

describe('state', () => {
  it('survives a restart in the same data folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'imagekit-state-'));
    const first = await startEmulator({ dataDir, privateKey: 'private_persist' });
    const firstClient = new ImageKitClient({ privateKey: 'private_persist', baseUrl: first.url, uploadBaseUrl: first.url });
    const uploaded = await firstClient.upload({ bytes: Buffer.from('kept') }, { fileName: 'kept.txt', folder: '/keep', useUniqueFileName: false });
    await firstClient.createCustomMetadataField({ name: 'kept', label: 'Kept', schema: { type: 'Boolean' } });
    await first.close();
    expect(existsSync(join(dataDir, 'index.json'))).toBe(true);
    expect(readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const second = await startEmulator({ dataDir, privateKey: 'private_persist' });
    try {
      const secondClient = new ImageKitClient({ privateKey: 'private_persist', baseUrl: second.url, uploadBaseUrl: second.url });
      expect((await secondClient.getFileDetails(uploaded.fileId)).filePath).toBe('/keep/kept.txt');
      expect((await secondClient.listCustomMetadataFields()).map((f) => f.name)).toEqual(['kept']);
      expect((await secondClient.listFiles({ type: 'folder' })).map((f) => f.name)).toEqual(['keep']);
      expect(await (await fetch(`${second.urlEndpoint}/keep/kept.txt`)).text()).toBe('kept');
    } finally {
      await second.close();
    }
  });

  it('keeps folder jobs and purges Pending for the configured time', async () => {
    const slow = await startEmulator({ jobDurationMs: 300 });
    try {
      const slowClient = new ImageKitClient({ privateKey: slow.privateKey, baseUrl: slow.url, uploadBaseUrl: slow.url });
      await slowClient.upload({ bytes: Buffer.from('x') }, { fileName: 'x.txt', folder: '/from/inner', useUniqueFileName: false });
      const { jobId } = await slowClient.copyFolder('/from', '/to');
      const purge = await slowClient.purgeCache(`${slow.urlEndpoint}/from/inner/x.txt`);
      expect((await slowClient.getBulkJobStatus(jobId)).status).toBe('Pending');
      expect((await slowClient.getPurgeStatus(purge.requestId)).status).toBe('Pending');
      expect(await slowClient.listFiles({ path: '/to/from/inner' })).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect((await slowClient.getBulkJobStatus(jobId)).status).toBe('Completed');
      expect((await slowClient.getPurgeStatus(purge.requestId)).status).toBe('Completed');
      expect((await slowClient.listFiles({ path: '/to/from/inner' })).map((f) => f.name)).toEqual(['x.txt']);
    } finally {
      await slow.close();
    }
  });
});

describe('robustness', () => {
  const auth = () => ({ authorization: `Basic ${Buffer.from(`${emulator.privateKey}:`).toString('base64')}` });
  const blobCount = () => readdirSync(join(emulator.store.dataDir, 'blobs')).length;

  it('keeps no bytes of refused uploads, and answers malformed ones with 400', async () => {
    const before = blobCount();
    const form = new FormData();
    form.append('file', new Blob(['x'.repeat(1000)]), 'a.txt');
    form.append('fileName', 'a.txt');
    const wrongKey = await fetch(`${emulator.url}/api/v1/files/upload`, { method: 'POST', body: form, headers: { authorization: `Basic ${Buffer.from('private_wrong:').toString('base64')}` } });
    expect(wrongKey.status).toBe(403);
    const noName = new FormData();
    noName.append('file', new Blob(['y']), 'b.txt');
    expect((await fetch(`${emulator.url}/api/v1/files/upload`, { method: 'POST', body: noName, headers: auth() })).status).toBe(400);
    const truncated = await fetch(`${emulator.url}/api/v1/files/upload`, {
      method: 'POST',
      body: '--xyz\r\nContent-Disposition: form-data; name="fileName"\r\n\r\na.txt',
      headers: { ...auth(), 'content-type': 'multipart/form-data; boundary=xyz' },
    });
    expect(truncated.status).toBe(400);
    const noBoundary = await fetch(`${emulator.url}/api/v1/files/upload`, { method: 'POST', body: 'x', headers: { ...auth(), 'content-type': 'multipart/form-data' } });
    expect(noBoundary.status).toBe(400);
    expect(blobCount()).toBe(before);
  });

  it('answers a malformed percent-encoding with 400', async () => {
    expect((await fetch(`${emulator.urlEndpoint}/a%E0%A4.png`)).status).toBe(400);
    expect((await fetch(`${emulator.url}/v1/metadata?url=${encodeURIComponent(`${emulator.urlEndpoint}/%zz`)}`, { headers: auth() })).status).toBe(400);
  });

  it('refuses folder paths with .. and folder jobs into themselves', async () => {
    await expect(client.upload({ bytes: Buffer.from('x') }, { fileName: 'x.txt', folder: '../../etc' })).rejects.toMatchObject({ status: 400 });
    await expect(client.createFolder('x', '/../..')).rejects.toMatchObject({ status: 400 });
    await client.upload({ bytes: Buffer.from('x') }, { fileName: 'x.txt', folder: '/p/a', useUniqueFileName: false });
    await expect(client.moveFolder('/p/a', '/p')).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/same/) });
    await expect(client.copyFolder('/p/a', '/p/a/b')).rejects.toMatchObject({ status: 400 });
    expect((await client.listFiles({ path: '/p/a' })).map((f) => f.name)).toEqual(['x.txt']);
  });

  it('closes twice without complaint, with jobs still pending', async () => {
    const pending = await startEmulator({ jobDurationMs: 200 });
    const pendingClient = new ImageKitClient({ privateKey: pending.privateKey, baseUrl: pending.url, uploadBaseUrl: pending.url });
    await pendingClient.upload({ bytes: Buffer.from('x') }, { fileName: 'x.txt', folder: '/j' });
    await pendingClient.copyFolder('/j', '/k');
    await pending.close();
    await pending.close();
    await new Promise((r) => setTimeout(r, 300)); // the job's timer must not fire into the removed folder
  });

  it('answers bulk deletes with 207 for some unknown ids and 404 for all unknown', async () => {
    const file = await client.upload({ bytes: Buffer.from('x') }, { fileName: 'bulk.txt', folder: '/bulk' });
    const partial = await client.bulkDeleteFiles([file.fileId, '000000000000000000000000']).catch((e: unknown) => e);
    expect(partial).toMatchObject({ status: 207, data: { successfullyDeletedFileIds: [file.fileId], errors: [{ fileId: '000000000000000000000000' }] } });
    const missing = await client.bulkDeleteFiles(['000000000000000000000001']).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, data: { missingFileIds: ['000000000000000000000001'] } });
  });

  it('reads EXIF from the stored bytes', async () => {
    const { default: sharp } = await import('sharp');
    const jpeg = await sharp(await testImage()).jpeg().withMetadata({ exif: { IFD0: { Copyright: 'Emulator Tests', Artist: 'jest' } } }).toBuffer();
    const uploaded = await client.upload({ bytes: jpeg }, { fileName: 'exif.jpg', folder: '/exif' });
    const metadata = await client.getFileMetadata(uploaded.fileId);
    expect(metadata.format).toBe('jpg');
    expect(metadata.exif).toMatchObject({ image: { Copyright: 'Emulator Tests', Artist: 'jest' } });
  });

  it.each([
    ['/site/hero_image.png', 201],
    ['/site/sub/*', 201],
    ['/site/*', 400],
    ['/a-long-enough-prefix*', 201],
    ['/a.jpg*', 201],
    ['/ab*', 400],
    ['/site/*/x.jpg', 400],
    ['/media/catalog/*', 400],
  ])('purge of <endpoint>%s answers %d', async (path, status) => {
    const response = await fetch(`${emulator.url}/v1/files/purge`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${emulator.urlEndpoint}${path}` }),
    });
    expect(response.status).toBe(status);
  });

  it('refuses to purge URLs of other hosts', async () => {
    await expect(client.purgeCache('https://example.com/images/a.jpg')).rejects.toMatchObject({ status: 400 });
  });
});

describe('client-side uploads', () => {
  it('accept the parameters `imagekit auth-params` prints, once per token', async () => {
    const env = { IMAGEKIT_PRIVATE_KEY: emulator.privateKey };
    const params = JSON.parse((await runCli(['auth-params', '--expires-in', '600'], { env, now: Date.now() })).stdout);
    const send = async () => {
      // In the order of the browser SDK given them first: the signature fields, the file, and the public key last.
      const form = new FormData();
      for (const key of ['token', 'expire', 'signature']) form.append(key, String(params[key]));
      form.append('file', new Blob(['from a browser']), 'b.txt');
      form.append('fileName', 'browser.txt');
      form.append('publicKey', emulator.publicKey);
      return fetch(`${emulator.url}/api/v1/files/upload`, { method: 'POST', body: form });
    };
    const first = await send();
    expect(first.status).toBe(200);
    const again = await send();
    expect(again.status).toBe(400);
    expect((await again.json()).message).toMatch(/token has already been used/);
  });
});

describe('rate limits and faults', () => {
  it('answers 429 with the rate-limit headers past the limit, and never limits uploads', async () => {
    const limited = await startEmulator({ rateLimit: { limit: 2, intervalMs: 60_000 } });
    try {
      const auth = { authorization: `Basic ${Buffer.from(`${limited.privateKey}:`).toString('base64')}` };
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${limited.url}/v1/files`, { headers: auth })).status);
      expect(statuses).toEqual([200, 200, 429]);
      const limitedResponse = await fetch(`${limited.url}/v1/files`, { headers: auth });
      expect(limitedResponse.headers.get('x-ratelimit-limit')).toBe('2');
      expect(limitedResponse.headers.get('x-ratelimit-interval')).toBe('60000');
      expect(Number(limitedResponse.headers.get('x-ratelimit-reset'))).toBeGreaterThan(50_000);
      const limitedClient = new ImageKitClient({ privateKey: limited.privateKey, baseUrl: limited.url, uploadBaseUrl: limited.url, retries: 0 });
      for (let i = 0; i < 5; i++) await limitedClient.upload({ bytes: Buffer.from('u') }, { fileName: `u${i}.txt` });
    } finally {
      await limited.close();
    }
  });

  it('fails and drops requests at the asked rates, before doing anything', async () => {
    const faulty = await startEmulator({ failRate: 0.5, resetRate: 0.2, seed: 7 });
    try {
      const auth = { authorization: `Basic ${Buffer.from(`${faulty.privateKey}:`).toString('base64')}` };
      const outcomes = await Promise.all(
        Array.from({ length: 100 }, () => fetch(`${faulty.url}/v1/files`, { headers: auth }).then((r) => r.status, () => 0)),
      );
      const dropped = outcomes.filter((s) => s === 0).length;
      const failed = outcomes.filter((s) => s === 500 || s === 503).length;
      expect(dropped).toBeGreaterThan(5);
      expect(failed).toBeGreaterThan(20);
      expect(outcomes.filter((s) => s === 200).length).toBe(100 - dropped - failed);
    } finally {
      await faulty.close();
    }
  });
});

describe('imagekit emulator', () => {
  it('prints the export lines, serves until interrupted, then stops', async () => {
    let stop!: (signal: string) => void;
    const interrupt = new Promise<string>((resolve) => (stop = resolve));
    const dataDir = mkdtempSync(join(tmpdir(), 'imagekit-cmd-'));
    const running = runCli(['emulator', '--private-key', 'private_cmd_key', '--data', dataDir, '--id', 'acme'], { interrupt });
    let deadline = Date.now() + 5000;
    while (!existsSync(join(dataDir, 'blobs')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    stop('SIGTERM');
    const result = await running;
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^export IMAGEKIT_BASE_URL=http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines).toContain('export IMAGEKIT_PRIVATE_KEY=private_cmd_key');
    expect(lines.find((l) => l.startsWith('export IMAGEKIT_URL_ENDPOINT='))).toMatch(/\/acme$/);
    expect(result.stderr).toMatch(/listening on .*\nSIGTERM: stopping the emulator\n$/);
    deadline = 0;
  });

  it.each([[['emulator', '--fail-rate', '2']], [['emulator', '--rate-limit', 'lots']], [['emulator', '--port', '-1']]])('exits 2 for %j', async (argv) => {
    expect((await runCli(argv)).code).toBe(2);
  });

  it('runs as a real process that the CLI and its client can use, and stops on SIGTERM', async () => {
    const bin = fileURLToPath(new URL('../../bin/imagekit.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'emulator', '--private-key', 'private_spawned'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const deadline = Date.now() + 10_000;
    while (!stdout.includes('IMAGEKIT_PUBLIC_KEY') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const env = Object.fromEntries(stdout.trim().split('\n').map((line) => line.replace(/^export /, '').split('=', 2) as [string, string]));
    const spawnedClient = new ImageKitClient({ privateKey: env.IMAGEKIT_PRIVATE_KEY!, baseUrl: env.IMAGEKIT_BASE_URL!, uploadBaseUrl: env.IMAGEKIT_UPLOAD_BASE_URL! });
    const uploaded = await spawnedClient.upload({ bytes: Buffer.from('hello') }, { fileName: 'hello.txt', useUniqueFileName: false });
    const urlResult = await runCli(['url', '/hello.txt', '--signed'], { env });
    expect(await (await fetch(urlResult.stdout.trim())).text()).toBe('hello');
    expect(uploaded.url).toBe(`${env.IMAGEKIT_URL_ENDPOINT}/hello.txt`);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const signature = createHmac('sha1', 'private_spawned').update('hello.txt9999999999').digest('hex');
    expect(urlResult.stdout).toContain(signature);
  }, 20_000);
});

