// `imagekit folder`, `job` and `purge` against the emulator over real HTTP on 127.0.0.1.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImageKitClient } from '../../src/client.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { dirWith, runCli, type RunOptions } from '../helpers/cli.js';

let emulator: Emulator;
let env: Record<string, string>;
let client: ImageKitClient;
beforeAll(async () => {
  emulator = await startEmulator({ jobDurationMs: 300 });
  env = { IMAGEKIT_BASE_URL: emulator.url, IMAGEKIT_PRIVATE_KEY: emulator.privateKey, IMAGEKIT_URL_ENDPOINT: emulator.urlEndpoint };
  client = new ImageKitClient({ privateKey: emulator.privateKey, baseUrl: emulator.url, uploadBaseUrl: emulator.url });
});
afterAll(() => emulator.close());

const run = (argv: string[], options: RunOptions = {}) => runCli(argv, { env, now: () => Date.now(), ...options });
const names = async (path: string) => (await client.listFiles({ path, type: 'all' })).map((f) => f.name).sort();
const seed = async (folder: string, ...files: string[]) => {
  for (const name of files) await client.upload({ bytes: Buffer.from(name) }, { fileName: name, folder, useUniqueFileName: false });
};
const mutations = () => emulator.requests.filter((r) => r.method !== 'GET').length;

describe('imagekit folder', () => {
  it('creates a folder with its parents', async () => {
    const result = await run(['folder', 'create', '/made/deep/down', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ folderPath: '/made/deep/down', created: true });
    expect(await names('/made/deep')).toEqual(['down']);
  });

  it('says which folder ImageKit made, refuses .., and knows a missing folder', async () => {
    expect(JSON.parse((await run(['folder', 'create', '/odd/my dir', '--json'])).stdout).folderPath).toBe('/odd/my_dir');
    expect(await names('/odd')).toEqual(['my_dir']);
    expect((await run(['folder', 'create', '/odd/../up'])).code).toBe(2);
    expect((await run(['folder', 'rm', '/no/such/folder', '--dry-run'])).code).toBe(4);
    const dry = await run(['folder', 'mv', '/odd/my_dir', '/elsewhere', '--dry-run', '--json']);
    expect(JSON.parse(dry.stdout)).toEqual({ source: '/odd/my_dir', destination: '/elsewhere/my_dir', moved: false, dryRun: true });
  });

  it('stops waiting on Ctrl-C with exit 130, printing the job id to resume with', async () => {
    await seed('/intr/src', 'g.txt');
    emulator.configure({ jobDurationMs: 5000 });
    try {
      const result = await run(['folder', 'cp', '/intr/src', '/intr/dst', '--json'], { interrupt: new Promise((r) => setTimeout(() => r('SIGINT'), 100)) });
      expect(result.code).toBe(130);
      const { jobId } = JSON.parse(result.stdout);
      expect(result.stderr).toContain(`resume with: imagekit job status ${jobId} --wait`);
    } finally {
      emulator.configure({ jobDurationMs: 300 });
    }
  });

  it('copies through Pending to Completed before returning', async () => {
    await seed('/copy/src', 'a.txt', 'b.txt');
    const result = await run(['folder', 'cp', '/copy/src', '/copy/dst', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ type: 'COPY_FOLDER', status: 'Completed' });
    expect(await names('/copy/dst/src')).toEqual(['a.txt', 'b.txt']);
  });

  it('returns at once with --no-wait, and job status --wait finishes the wait', async () => {
    await seed('/nowait/src', 'c.txt');
    const result = await run(['folder', 'mv', '/nowait/src', '/nowait/dst', '--yes', '--no-wait', '--json']);
    const { jobId, status } = JSON.parse(result.stdout);
    expect(status).toBe('submitted'); // it did not wait for the 300 ms job
    expect(JSON.parse((await run(['job', 'status', jobId, '--json'])).stdout)).toMatchObject({ status: 'Pending' });
    const waited = await run(['job', 'status', jobId, '--wait', '--json']);
    expect(JSON.parse(waited.stdout)).toMatchObject({ jobId, type: 'MOVE_FOLDER', status: 'Completed' });
    expect(await names('/nowait/dst/src')).toEqual(['c.txt']);
  });

  it('exits 1 naming the job when the wait runs out', async () => {
    await seed('/slow/src', 'd.txt');
    emulator.configure({ jobDurationMs: 5000 });
    try {
      const result = await run(['folder', 'cp', '/slow/src', '/slow/dst', '--wait-timeout', '200ms']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: job ([0-9a-f]{24}) is still Pending after \ds; resume with: imagekit job status \1 --wait/);
    } finally {
      emulator.configure({ jobDurationMs: 300 });
    }
  });

  it('renames, purging the old URLs when asked', async () => {
    await seed('/ren/old', 'e.txt');
    expect((await run(['folder', 'rename', '/ren/old', 'new', '--purge'])).code).toBe(2); // a wildcard purge: asks first
    const result = await run(['folder', 'rename', '/ren/old', 'new', '--purge', '--yes', '--json']);
    expect(JSON.parse(result.stdout)).toMatchObject({ type: 'RENAME_FOLDER', status: 'Completed', purgeRequestId: expect.stringMatching(/^[0-9a-f]{24}$/) });
    expect(await names('/ren')).toEqual(['new']);
    expect((await run(['folder', 'rename', '/ren/new', 'a/b'])).code).toBe(2);
  });

  it('asks before deleting or moving, refuses unattended without --yes, and --dry-run sends nothing', async () => {
    await seed('/rm/me', 'f.txt');
    const before = mutations();
    const refused = await run(['folder', 'rm', '/rm/me']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refusing without confirmation; pass --yes/);
    expect((await run(['folder', 'mv', '/rm/me', '/elsewhere'])).code).toBe(2);
    const dry = await run(['folder', 'rm', '/rm/me', '--dry-run', '--json']);
    expect(JSON.parse(dry.stdout)).toMatchObject({ folderPath: '/rm/me', deleted: false, itemsDirectlyInside: 1 });
    const declined = await run(['folder', 'rm', '/rm/me'], { tty: { stdin: true, stderr: true }, answers: ['n'] });
    expect(declined.code).toBe(2);
    expect(mutations()).toBe(before);
    const asked = await run(['folder', 'rm', '/rm/me'], { tty: { stdin: true, stderr: true }, answers: ['y'] });
    expect(asked.code).toBe(0);
    expect(asked.prompts[0]!.question).toMatch(/^Delete \/rm\/me and everything in it\? \[y\/N\] $/);
    expect(await names('/rm')).toEqual([]);
    expect((await run(['folder', 'rm', '/rm/me', '--yes'])).code).toBe(4);
  });
});

describe('imagekit purge', () => {
  const url = (path: string) => `${emulator.urlEndpoint}${path}`;

  it('purges URLs from arguments, waiting until Completed', async () => {
    const result = await run(['purge', url('/p/a.jpg'), url('/p/b.jpg'), url('/p/a.jpg'), '--wait', '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/1 duplicate URL\(s\) removed/);
    const outcomes = JSON.parse(result.stdout);
    expect(outcomes.map((o: { url: string; status: string }) => `${o.url} ${o.status}`)).toEqual([`${url('/p/a.jpg')} Completed`, `${url('/p/b.jpg')} Completed`]);
  });

  it('reads URLs from a file, stdin and an upload manifest', async () => {
    const cwd = dirWith({ 'urls.txt': `# to purge\n${url('/f/1.jpg')}\n\n${url('/f/2.jpg')}\n` });
    writeFileSync(join(cwd, 'manifest.json'), JSON.stringify({ 'dist/a.js': { url: url('/m/a.js'), filePath: '/m/a.js' }, 'dist/b.js': { url: url('/m/b.js') } }));
    const fromFile = await run(['purge', '--from-file', 'urls.txt', '--json'], { cwd });
    expect(JSON.parse(fromFile.stdout).map((o: { url: string }) => o.url)).toEqual([url('/f/1.jpg'), url('/f/2.jpg')]);
    const fromStdin = await run(['purge', '-', '--json'], { stdin: `${url('/s/1.jpg')}\n${url('/s/2.jpg')}\n` });
    expect(JSON.parse(fromStdin.stdout)).toHaveLength(2);
    const fromManifest = await run(['purge', '--from-manifest', 'manifest.json', '--json'], { cwd });
    expect(JSON.parse(fromManifest.stdout).map((o: { url: string }) => o.url)).toEqual([url('/m/a.js'), url('/m/b.js')]);
  });

  it.each([
    [['not-a-url'], /not an http\(s\) URL/],
    [['https://ik.imagekit.io/x/*/a.jpg'], /a \* may only end the URL/],
    [[], /no URLs to purge/],
  ])('refuses %j before sending anything', async (urls, message) => {
    const before = mutations();
    const result = await run(['purge', ...urls]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(mutations()).toBe(before);
  });

  it('confirms wildcards and more than 10 URLs, and needs --yes unattended', async () => {
    const many = Array.from({ length: 11 }, (_, i) => url(`/many/${i}.jpg`));
    expect((await run(['purge', ...many])).code).toBe(2);
    expect((await run(['purge', url('/products/shoes/*')])).code).toBe(2);
    const asked = await run(['purge', url('/products/shoes/*')], { tty: { stdin: true, stderr: true }, answers: ['yes'] });
    expect(asked.code).toBe(0);
    expect(asked.prompts[0]!.question).toMatch(/1 of them wildcards/);
    expect((await run(['purge', url('/products/shoes/*'), '--yes'])).code).toBe(0);
  });

  it('prints what would be purged with --dry-run, sending nothing', async () => {
    const before = mutations();
    const result = await run(['purge', url('/d/1.jpg'), url('/d/*'), '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${url('/d/1.jpg')}\twould purge\n${url('/d/*')}\twould purge\n`);
    expect(mutations()).toBe(before);
  });

  it('exits 5 listing the failed URLs when some fail', async () => {
    const result = await run(['purge', url('/ok/1.jpg'), 'https://not-this-account.example/a.jpg', '--json']);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/^error: https:\/\/not-this-account\.example\/a\.jpg: The URL is not valid for cache purging\./m);
    expect(JSON.parse(result.stdout).map((o: { status: string }) => o.status)).toEqual(['Pending', 'failed']);
    expect((await run(['purge', 'https://not-this-account.example/a.jpg'])).code).toBe(1);
  });

  it('completes 50 URLs under a rate limit', async () => {
    const limited = await startEmulator({ rateLimit: { limit: 10, intervalMs: 300 }, jobDurationMs: 100 });
    try {
      const urls = Array.from({ length: 50 }, (_, i) => `${limited.urlEndpoint}/rate/${i}.jpg`);
      const result = await runCli(['purge', ...urls, '--yes', '--wait', '--json', '--retries', '20'], {
        env: { IMAGEKIT_BASE_URL: limited.url, IMAGEKIT_PRIVATE_KEY: limited.privateKey },
        now: () => Date.now(),
      });
      expect(result.code).toBe(0);
      const outcomes = JSON.parse(result.stdout);
      expect(outcomes).toHaveLength(50);
      expect(outcomes.every((o: { status: string }) => o.status === 'Completed')).toBe(true);
      expect(limited.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
      expect(limited.requests.filter((r) => r.path === '/v1/files/purge' && r.status === 201)).toHaveLength(50);
    } finally {
      await limited.close();
    }
  }, 60_000);

  it('sends one purge for URLs that differ only in case, port or fragment', async () => {
    const base = emulator.urlEndpoint.replace('http://', 'HTTP://');
    const result = await run(['purge', url('/same/a.jpg'), `${base}/same/a.jpg`, `${url('/same/a.jpg')}#top`, '--json']);
    expect(JSON.parse(result.stdout)).toHaveLength(1);
    expect(result.stderr).toMatch(/2 duplicate URL\(s\) removed/);
    expect((await run(['purge', 'https://*', '--yes'])).code).toBe(2);
  });

  it('exits 3 when the credentials are refused', async () => {
    expect((await run(['purge', url('/k/a.jpg')], { env: { ...env, IMAGEKIT_PRIVATE_KEY: 'private_wrong' } })).code).toBe(3);
  });

  it('shows the status of purge requests', async () => {
    const { requestId } = await client.purgeCache(url('/st/a.jpg'));
    const result = await run(['purge', 'status', requestId, 'nope']);
    expect(result.code).toBe(5);
    expect(result.stdout).toMatch(new RegExp(`^${requestId}\\t(Pending|Completed)\\nnope\\tfailed: No request found for this requestId\\.\\n$`));
  });
});
