// The dashboard over plain HTTP: its JSON endpoints against the store, delivery URLs that match
// `imagekit url`, who may see it (loopback names only; the private key off loopback), and the
// `imagekit emulator` flags. What a person sees in a browser is in browser/dashboard.test.ts.
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { clientFor } from '../helpers/emulator.js';
import { testImage } from '../helpers/images.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ dashboard: true, jobDurationMs: 60_000 });
  const client = clientFor(emulator);
  await client.upload({ bytes: await testImage({ width: 320, height: 240 }) }, { fileName: 'wide.png', folder: '/shop/shoes', useUniqueFileName: false, tags: ['red'] });
  await client.upload({ bytes: await testImage({ seed: 2 }) }, { fileName: 'secret.png', folder: '/shop', useUniqueFileName: false, isPrivateFile: true });
  await client.upload({ bytes: await testImage({ seed: 3 }) }, { fileName: 'draft.png', folder: '/shop', useUniqueFileName: false, isPublished: false });
  await client.upload({ bytes: Buffer.from('plain text') }, { fileName: 'notes.txt', folder: '/shop', useUniqueFileName: false });
});
afterAll(() => emulator.close());

const dashboard = (path: string, init?: RequestInit) => fetch(`${emulator.dashboardUrl}${path}`, init);
const json = async <T>(path: string) => (await (await dashboard(path)).json()) as T;

interface Tile {
  fileId: string;
  name: string;
  thumbnailUrl: string | null;
}

describe('the dashboard', () => {
  it('has an origin of its own, on the emulator\'s host, and serves a page that runs only its own script', async () => {
    const origin = new URL(emulator.dashboardUrl!);
    expect(origin.hostname).toBe('127.0.0.1');
    expect(origin.port).not.toBe(new URL(emulator.url).port);
    const page = await dashboard('/');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain(`img-src 'self' ${emulator.url} blob:`);
    expect(await page.text()).toContain('<script src="/app.js" defer></script>');
    const script = await (await dashboard('/app.js')).text();
    expect(() => new Function(script)).not.toThrow();
  });

  it('never gives the page the private key', async () => {
    const answers = await Promise.all(['/', '/app.js', '/style.css', '/api/summary', '/api/folder?path=/shop', '/api/images', '/api/requests', '/api/jobs'].map((path) => dashboard(path).then((r) => r.text())));
    for (const answer of answers) expect(answer).not.toContain(emulator.privateKey);
  });

  it('lists a folder: its subfolders, and its files with thumbnails the emulator delivers at 160 x 160', async () => {
    const shop = await json<{ path: string; folders: Array<{ path: string }>; files: Tile[]; fileCount: number }>('/api/folder?path=/shop');
    expect(shop.folders).toEqual([{ path: '/shop/shoes', name: 'shoes' }]);
    expect(shop.files.map((f) => f.name)).toEqual(['draft.png', 'notes.txt', 'secret.png']);
    const [draft, notes, secret] = shop.files as [Tile, Tile, Tile];
    expect(draft.thumbnailUrl).toBeNull();
    expect(notes.thumbnailUrl).toBeNull();
    expect(secret.thumbnailUrl).toMatch(/\/tr:w-160,h-160\/shop\/secret\.png\?ik-s=[0-9a-f]{40}$/);
    const shoes = await json<{ files: Tile[] }>('/api/folder?path=/shop/shoes');
    for (const url of [shoes.files[0]!.thumbnailUrl!, secret.thumbnailUrl!]) {
      const delivered = await fetch(url);
      expect(delivered.status).toBe(200);
      expect(await sharp(Buffer.from(await delivered.arrayBuffer())).metadata()).toMatchObject({ width: 160, height: 160 });
    }
  });

  it("tells a file's details, versions and metadata, and 404 for an unknown id", async () => {
    const { files } = await json<{ files: Tile[] }>('/api/folder?path=/shop/shoes');
    await clientFor(emulator).upload({ bytes: await testImage({ seed: 5, width: 200, height: 100 }) }, { fileName: 'wide.png', folder: '/shop/shoes', useUniqueFileName: false });
    const view = await json<{ details: { tags: string[] | null }; url: string; previewUrl: string; versions: Array<{ versionName: string; width: number; current: boolean }>; metadata: { width: number } }>(`/api/file?id=${files[0]!.fileId}`);
    expect(view.url).toBe(`${emulator.urlEndpoint}/shop/shoes/wide.png`);
    expect(view.previewUrl).toBe(`${emulator.urlEndpoint}/tr:w-480,h-360,c-at_max/shop/shoes/wide.png`);
    expect(view.versions.map((v) => [v.versionName, v.width, v.current])).toEqual([['Version 2', 200, true], ['Version 1', 320, false]]);
    expect(view.metadata.width).toBe(200);
    expect((await dashboard('/api/file?id=nope')).status).toBe(404);
  });

  it('gives the playground the URL and the command that prints it, signed for a private file', async () => {
    const env = { IMAGEKIT_URL_ENDPOINT: emulator.urlEndpoint, IMAGEKIT_PRIVATE_KEY: emulator.privateKey };
    for (const [path, signed] of [['/shop/shoes/wide.png', false], ['/shop/secret.png', true]] as const) {
      const view = await json<{ url: string; command: string; signed: boolean }>(`/api/url?path=${encodeURIComponent(path)}&tr=${encodeURIComponent('w-400,h-300:rt-90')}`);
      expect(view.signed).toBe(signed);
      expect(view.command).toBe(`IMAGEKIT_URL_ENDPOINT='${emulator.urlEndpoint}' imagekit url '${path}' --tr 'w-400,h-300:rt-90'${signed ? ' --signed' : ''}`);
      const printed = await runCli(['url', path, '--tr', 'w-400,h-300:rt-90', ...(signed ? ['--signed'] : [])], { env });
      expect(printed.stdout.trim()).toBe(view.url);
      expect((await fetch(view.url)).status).toBe(200);
    }
  });

  it('shows the request log newest first, with the faults injected', async () => {
    emulator.configure({ failRate: 1 });
    await fetch(`${emulator.url}/v1/files`).catch(() => undefined);
    emulator.configure({ failRate: 0 });
    const log = await json<{ total: number; requests: Array<{ path: string; status: number; fault?: string }> }>('/api/requests?limit=2');
    expect(log.requests).toHaveLength(2);
    expect(log.requests[0]).toMatchObject({ path: '/v1/files', fault: 'error' });
    expect(log.total).toBe(emulator.requests.length);
  });

  it('shows jobs and purges with the status the API would answer', async () => {
    const client = clientFor(emulator);
    const { jobId } = await client.copyFolder('/shop/shoes', '/archive');
    await client.purgeCache(`${emulator.urlEndpoint}/shop/shoes/wide.png`);
    const view = await json<{ jobs: Array<{ jobId: string; status: string }>; purges: Array<{ url: string; status: string }> }>('/api/jobs');
    expect(view.jobs[0]).toMatchObject({ jobId, status: 'Pending' });
    expect(view.purges[0]).toMatchObject({ url: `${emulator.urlEndpoint}/shop/shoes/wide.png`, status: 'Pending' });
  });

  it('only reads, and says what is not there', async () => {
    expect((await dashboard('/api/jobs', { method: 'POST' })).status).toBe(405);
    expect((await dashboard('/nothing')).status).toBe(404);
  });
});

describe('who may see the dashboard', () => {
  it('on loopback: only requests naming a loopback host, so that no other site can read it through its own name', async () => {
    const port = new URL(emulator.dashboardUrl!).port;
    // node:http, as fetch sends the Host of its URL whatever it is told.
    const asked = (host: string) =>
      new Promise<number | undefined>((resolve, reject) => get(`${emulator.dashboardUrl}/api/summary`, { headers: { host } }, (r) => resolve(r.resume().statusCode)).on('error', reject));
    expect(await asked(`localhost:${port}`)).toBe(200);
    expect(await asked(`[::1]:${port}`)).toBe(200);
    expect(await asked(`attacker.example:${port}`)).toBe(403);
  });

  it('off loopback: the private key as the Basic auth user, asked for by a 401', async () => {
    const exposed = await startEmulator({ host: '0.0.0.0', dashboard: true, privateKey: 'private_exposed' });
    try {
      // Bound to every address, reached here on the loopback one only.
      const url = `http://127.0.0.1:${new URL(exposed.dashboardUrl!).port}/api/summary`;
      const bare = await fetch(url);
      expect(bare.status).toBe(401);
      expect(bare.headers.get('www-authenticate')).toBe('Basic realm="ImageKit emulator dashboard", charset="UTF-8"');
      const basic = (user: string) => ({ authorization: `Basic ${Buffer.from(`${user}:`).toString('base64')}` });
      expect((await fetch(url, { headers: basic('private_wrong') })).status).toBe(401);
      expect((await fetch(url, { headers: basic('private_exposed') })).status).toBe(200);
    } finally {
      await exposed.close();
    }
  });

  it('fails to start, and leaves nothing running, when its port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const listening = () => process.getActiveResourcesInfo().filter((resource) => resource === 'TCPServerWrap').length;
    const before = listening();
    try {
      await expect(startEmulator({ dashboard: true, dashboardPort: (taken.address() as AddressInfo).port })).rejects.toThrow(/EADDRINUSE/);
      // A closed server's handle goes at the event loop's next turn.
      for (let wait = 0; wait < 50 && listening() > before; wait++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(listening()).toBeLessThanOrEqual(before);
    } finally {
      taken.close();
    }
  });
});

describe('imagekit emulator', () => {
  async function started(...flags: string[]): Promise<{ details: Record<string, string>; stderr: string }> {
    let stop!: (signal: string) => void;
    const running = runCli(['emulator', '--json', ...flags], { interrupt: new Promise<string>((resolve) => (stop = resolve)) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop('SIGINT');
    const result = await running;
    return { details: JSON.parse(result.stdout) as Record<string, string>, stderr: result.stderr };
  }

  it('serves the dashboard by default and says where; --no-dashboard serves none', async () => {
    const { details, stderr } = await started();
    expect(details.dashboardUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stderr).toContain(`listening on ${details.url}, dashboard at ${details.dashboardUrl} (Ctrl-C to stop)`);
    const without = await started('--no-dashboard');
    expect(without.details.dashboardUrl).toBeUndefined();
    expect(without.stderr).not.toContain('dashboard');
  });
});
