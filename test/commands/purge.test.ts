// `imagekit purge` against the emulator over real HTTP on 127.0.0.1.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/index.js';
import { useEmulator } from '../helpers/emulator.js';
import { dirWith, runCli, type RunOptions } from '../helpers/cli.js';

const ik = useEmulator({ jobDurationMs: 300 });

const run = (argv: string[], options: RunOptions = {}) => runCli(argv, { env: ik.env, now: () => Date.now(), ...options });

describe('imagekit purge', () => {
  const url = (path: string) => `${ik.emulator.urlEndpoint}${path}`;

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

  it('says "nothing to purge" and exits 0 for a manifest that uploaded nothing', async () => {
    const cwd = dirWith({ 'm.json': { 'dist/a.js': { status: 'skipped', url: url('/m/a.js') } } });
    const before = ik.mutations();
    const result = await run(['purge', '--from-manifest', 'm.json'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/nothing to purge/);
    expect(result.stdout).toBe('');
    expect(ik.mutations()).toBe(before);
  });

  it.each([
    [['not-a-url'], /not an http\(s\) URL/],
    [['https://ik.imagekit.io/x/*/a.jpg'], /a \* may only end the URL/],
    [[], /no URLs to purge/],
  ])('refuses %j before sending anything', async (urls, message) => {
    const before = ik.mutations();
    const result = await run(['purge', ...urls]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(ik.mutations()).toBe(before);
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
    const before = ik.mutations();
    const result = await run(['purge', url('/d/1.jpg'), url('/d/e/*'), '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${url('/d/1.jpg')}\twould purge\n${url('/d/e/*')}\twould purge\n`);
    expect(ik.mutations()).toBe(before);
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
    const base = ik.emulator.urlEndpoint.replace('http://', 'HTTP://');
    const result = await run(['purge', url('/same/a.jpg'), `${base}/same/a.jpg`, `${url('/same/a.jpg')}#top`, '--json']);
    expect(JSON.parse(result.stdout)).toHaveLength(1);
    expect(result.stderr).toMatch(/2 duplicate URL\(s\) removed/);
    expect((await run(['purge', 'https://*', '--yes'])).code).toBe(2);
  });

  it('exits 3 when the credentials are refused', async () => {
    expect((await run(['purge', url('/k/a.jpg')], { env: { ...ik.env, IMAGEKIT_PRIVATE_KEY: 'private_wrong' } })).code).toBe(3);
  });

  it('shows the status of purge requests', async () => {
    const { requestId } = await ik.client.purgeCache(url('/st/a.jpg'));
    const result = await run(['purge', 'status', requestId, 'nope']);
    expect(result.code).toBe(5);
    expect(result.stdout).toMatch(new RegExp(`^${requestId}\\t(Pending|Completed)\\nnope\\tfailed: No request found for this requestId\\.\\n$`));
  });
});

describe('imagekit purge status', () => {
  it('waits with --wait, as the hint of a wait that ran out says to', async () => {
    const ranOut = await run(['purge', `${ik.emulator.urlEndpoint}/status/a.jpg`, '--wait', '--wait-timeout', '1ms']);
    expect(ranOut.code).toBe(1);
    const hint = /resume with: (imagekit purge status ([0-9a-f]+) --wait)/.exec(ranOut.stderr);
    expect(hint).not.toBeNull();
    const waited = await run(['purge', 'status', hint![2]!, '--wait', '--json']);
    expect(waited.code).toBe(0);
    expect(JSON.parse(waited.stdout)).toEqual([expect.objectContaining({ requestId: hint![2], status: 'Completed' })]);
  });

  it('exits 4 for an unknown request id, as job status does for an unknown job', async () => {
    expect((await run(['purge', 'status', '000000000000000000000000'])).code).toBe(4);
  });
});

describe('the wildcard rule, one for the command line and the emulator', () => {
  // ImageKit's docs (media-api/purge-cache, "Purge Cache for Multiple Files"): after the id, two
  // levels or more, 15 characters or more, or a file name with an extension; never media/catalog or s/files.
  const cases: Array<[string, boolean]> = [
    ['/images/upload*', true],
    ['/images*', false],
    ['/products/*', false],
    ['/a-rather-long-name*', true],
    ['/sample.jpg*', true],
    ['/media/catalog/*', false],
    ['/folder/*/sample.jpg', false],
  ];
  it.each(cases)('%s: accepted %s by both', async (path, accepted) => {
    const cli = await run(['purge', `${ik.emulator.urlEndpoint}${path}`, '--dry-run']);
    expect(cli.code).toBe(accepted ? 0 : 2);
    if (!accepted) expect(cli.stderr).toMatch(/cannot purge: .*\((a \* may only end|a wildcard purge needs|ImageKit never purges)/);
    const api = await ik.client.purgeCache(`${ik.emulator.urlEndpoint}${path}`).then(() => 201, (error: { status: number }) => error.status);
    expect(api).toBe(accepted ? 201 : 400);
  });
});
