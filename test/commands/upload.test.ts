// `imagekit upload` against the emulator over real HTTP on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { dirWith, runCli, type RunOptions } from '../helpers/cli.js';

let emulator: Emulator;
let env: Record<string, string>;
beforeAll(async () => {
  emulator = await startEmulator();
  env = { IMAGEKIT_BASE_URL: emulator.url, IMAGEKIT_PRIVATE_KEY: emulator.privateKey, IMAGEKIT_URL_ENDPOINT: emulator.urlEndpoint };
});
afterAll(() => emulator.close());

const upload = (argv: string[], options: RunOptions = {}) => runCli(['upload', ...argv], { env, ...options });
const uploads = (e: Emulator = emulator) => e.requests.filter((r) => r.path === '/api/v1/files/upload');
const remoteNames = async (folder: string, e: Emulator = emulator) => {
  const response = await fetch(`${e.url}/v1/files?path=${encodeURIComponent(folder)}`, { headers: { authorization: `Basic ${Buffer.from(`${e.privateKey}:`).toString('base64')}` } });
  return ((await response.json()) as Array<{ name: string; versionInfo: { name: string } }>).map((f) => `${f.name} ${f.versionInfo.name}`).sort();
};

const site = () =>
  dirWith({
    'dist/index.html': '<html>',
    'dist/js/app.js': 'console.log(1)',
    'dist/js/app.js.map': '{}',
    'dist/img/logo.png': 'png',
    'dist/.cache/x': 'hidden',
    'notes.txt': 'hello notes',
  });

describe('imagekit upload', () => {
  it('uploads one file and prints its row; --json gives the API response', async () => {
    const cwd = site();
    const result = await upload(['notes.txt', '--folder', '/one'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`uploaded\tnotes.txt\t/one/notes.txt\t11 B\t${emulator.urlEndpoint}/one/notes.txt\n`);
    const json = JSON.parse((await upload(['notes.txt', '--folder', '/one', '--json'], { cwd })).stdout);
    expect(json).toEqual([
      expect.objectContaining({ source: 'notes.txt', status: 'uploaded', filePath: '/one/notes.txt', size: 11, response: expect.objectContaining({ versionInfo: { id: expect.any(String), name: 'Version 2' } }) }),
    ]);
  });

  it('uploads a directory tree keeping its structure, with include/exclude, skipping hidden files', async () => {
    const cwd = site();
    const result = await upload(['dist', '--folder', '/tree', '--exclude', '*.map'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').map((l) => l.split('\t').slice(1, 3))).toEqual([
      ['dist/img/logo.png', '/tree/img/logo.png'],
      ['dist/index.html', '/tree/index.html'],
      ['dist/js/app.js', '/tree/js/app.js'],
    ]);
    const only = await upload(['dist', '--folder', '/only', '--include', 'js/**', '--hidden'], { cwd });
    expect(only.stdout.trim().split('\n').map((l) => l.split('\t')[2])).toEqual(['/only/js/app.js', '/only/js/app.js.map']);
    const hidden = await upload(['dist', '--folder', '/hidden', '--hidden', '--include', '.cache/*'], { cwd });
    expect(hidden.stdout.split('\t')[2]).toBe('/hidden/.cache/x');
  });

  it('expands globs, keeping the structure below the glob\'s base', async () => {
    const result = await upload(['dist/**/*.{js,png}', '--folder', '/glob'], { cwd: site() });
    expect(result.stdout.trim().split('\n').map((l) => l.split('\t')[2])).toEqual(['/glob/img/logo.png', '/glob/js/app.js']);
  });

  it('uploads stdin with --name, and a URL that ImageKit fetches', async () => {
    const fromStdin = await upload(['-', '--name', 'piped.txt', '--folder', '/stdin'], { stdin: 'from a pipe' });
    expect(fromStdin.code).toBe(0);
    expect(await (await fetch(`${emulator.urlEndpoint}/stdin/piped.txt`)).text()).toBe('from a pipe');
    const fromUrl = await upload([`${emulator.urlEndpoint}/stdin/piped.txt`, '--folder', '/fetched']);
    expect(fromUrl.code).toBe(0);
    expect(fromUrl.stdout).toContain('/fetched/piped.txt');
    expect(uploads().at(-1)!.fields!.file).toBe(`${emulator.urlEndpoint}/stdin/piped.txt`);
  });

  it('sends every flag as the right multipart field', async () => {
    const authorization = { authorization: `Basic ${Buffer.from(`${emulator.privateKey}:`).toString('base64')}`, 'content-type': 'application/json' };
    for (const field of [
      { name: 'price', label: 'Price', schema: { type: 'Number' } },
      { name: 'onSale', label: 'On sale', schema: { type: 'Boolean' } },
      { name: 'colours', label: 'Colours', schema: { type: 'MultiSelect', selectOptions: ['red', 'blue', 3] } },
    ]) {
      await fetch(`${emulator.url}/v1/customMetadataFields`, { method: 'POST', headers: authorization, body: JSON.stringify(field) });
    }
    const result = await upload(
      [
        'notes.txt', '--folder', '/flags', '--name', 'renamed.txt', '--tags', 'a, b', '--private', '--unique-name', '--no-overwrite',
        '--keep-tags', '--keep-ai-tags', '--keep-custom-metadata', '--custom-coordinates', '1,2,3,4', '--meta', 'price=9.5',
        '--meta', 'onSale=true', '--meta', 'colours=red,3', '--response-fields', 'tags,customMetadata', '--extensions',
        '[{"name":"google-auto-tagging","minConfidence":80,"maxTags":5}]', '--webhook-url', 'https://hooks.example/x', '--pre', 'w-100',
        '--post', '[{"type":"thumbnail"}]', '--checks', '"file.size" < "1mb"', '--description', 'notes', '--draft',
      ],
      { cwd: site() },
    );
    expect(result.code).toBe(0);
    expect(uploads().at(-1)!.fields).toEqual({
      file: '<file: 11 bytes>',
      fileName: 'renamed.txt',
      folder: '/flags',
      tags: 'a,b',
      isPrivateFile: 'true',
      useUniqueFileName: 'true',
      overwriteFile: 'false',
      overwriteTags: 'false',
      overwriteAITags: 'false',
      overwriteCustomMetadata: 'false',
      customCoordinates: '1,2,3,4',
      customMetadata: JSON.stringify({ price: 9.5, onSale: true, colours: ['red', 3] }),
      responseFields: 'tags,customMetadata',
      extensions: '[{"name":"google-auto-tagging","minConfidence":80,"maxTags":5}]',
      webhookUrl: 'https://hooks.example/x',
      transformation: JSON.stringify({ pre: 'w-100', post: [{ type: 'thumbnail' }] }),
      checks: '"file.size" < "1mb"',
      description: 'notes',
      isPublished: 'false',
    });
    const unknownField = await upload(['notes.txt', '--meta', 'nope=1'], { cwd: site() });
    expect(unknownField.code).toBe(2);
    expect(unknownField.stderr).toMatch(/no custom metadata field "nope"; the fields are: price, onSale, colours/);
  });

  it('retries through faults until every file is uploaded exactly once at the right path', async () => {
    const flaky = await startEmulator({ failRate: 0.2, resetRate: 0.1, seed: 11 });
    try {
      const files = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`many/f${i}.txt`, `content ${i}`]));
      const result = await runCli(['upload', 'many', '--folder', '/flaky', '--retries', '10', '--json'], {
        cwd: dirWith(files),
        env: { IMAGEKIT_BASE_URL: flaky.url, IMAGEKIT_PRIVATE_KEY: flaky.privateKey },
      });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).every((o: { status: string }) => o.status === 'uploaded')).toBe(true);
      const statuses = uploads(flaky).map((r) => r.status);
      expect(statuses.filter((s) => s !== 200).length).toBeGreaterThan(3);
      flaky.configure({ failRate: 0, resetRate: 0 });
      const names = await remoteNames('/flaky', flaky);
      expect(names).toHaveLength(40);
      expect(names.every((n) => n.endsWith('Version 1'))).toBe(true);
    } finally {
      await flaky.close();
    }
  }, 30_000);

  it('rides out 429s on its list calls with --rate-limit, uploads never being limited', async () => {
    const limited = await startEmulator({ rateLimit: { limit: 1, intervalMs: 300 } });
    try {
      const files = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`d/sub${i}/f.txt`, `x${i}`]));
      const limitedEnv = { IMAGEKIT_BASE_URL: limited.url, IMAGEKIT_PRIVATE_KEY: limited.privateKey };
      const cwd = dirWith(files);
      expect((await runCli(['upload', 'd', '--folder', '/r'], { cwd, env: limitedEnv })).code).toBe(0);
      const rerun = await runCli(['upload', 'd', '--folder', '/r', '--skip-existing', '--retries', '10'], { cwd, env: limitedEnv });
      expect(rerun.code).toBe(0);
      expect(rerun.stdout.trim().split('\n').every((l) => l.startsWith('skipped'))).toBe(true);
      expect(limited.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
      expect(uploads(limited).every((r) => r.status === 200)).toBe(true);
    } finally {
      await limited.close();
    }
  }, 30_000);

  it('exits 5 naming the failed files when some fail, and 1 when all fail', async () => {
    const cwd = dirWith({ 'p/a.txt': 'a', 'p/b.txt': 'b', 'p/c.txt': 'c' });
    await upload(['p/a.txt', '--folder', '/partial'], { cwd });
    const partial = await upload(['p', '--folder', '/partial', '--no-overwrite'], { cwd });
    expect(partial.code).toBe(5);
    expect(partial.stderr).toMatch(/^error: p\/a\.txt: A file with the same name already exists/m);
    expect(partial.stdout).toMatch(/^failed\tp\/a\.txt/m);
    expect(partial.stdout).toMatch(/^uploaded\tp\/b\.txt/m);
    const all = await upload(['p', '--folder', '/partial', '--no-overwrite'], { cwd });
    expect(all.code).toBe(1);
    expect(all.stderr.match(/^error: /gm)).toHaveLength(3);
  });

  it('stops starting uploads after the first failure with --fail-fast', async () => {
    const cwd = dirWith(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`ff/f${i}.txt`, `x${i}`])));
    await upload(['ff/f0.txt', '--folder', '/ff'], { cwd });
    const result = await upload(['ff', '--folder', '/ff', '--no-overwrite', '--fail-fast', '--concurrency', '1', '--json'], { cwd });
    expect(result.code).toBe(1); // nothing was uploaded
    expect(result.stderr).toMatch(/9 file\(s\) not uploaded: stopped after the first failure/);
    const outcomes = JSON.parse(result.stdout);
    expect(outcomes).toHaveLength(10);
    expect(outcomes.filter((o: { error?: { message: string } }) => o.error?.message.startsWith('not started'))).toHaveLength(9);
  });

  it('exits 3 when every upload is refused for credentials', async () => {
    const result = await upload(['notes.txt'], { cwd: site(), env: { ...env, IMAGEKIT_PRIVATE_KEY: 'private_wrong' } });
    expect(result.code).toBe(3);
  });

  it('re-runs with --skip-existing uploading only what is missing, and writes a manifest', async () => {
    const cwd = site();
    const first = await upload(['dist', '--folder', '/skip', '--exclude', 'img/*'], { cwd });
    expect(first.code).toBe(0);
    const before = uploads().length;
    const listsBefore = emulator.requests.filter((r) => r.path === '/v1/files').length;
    const rerun = await upload(['dist', '--folder', '/skip', '--skip-existing', '--manifest', 'manifest.json'], { cwd });
    expect(rerun.code).toBe(0);
    expect(uploads().length - before).toBe(1); // only img/logo.png is new
    expect(emulator.requests.filter((r) => r.path === '/v1/files').length - listsBefore).toBe(3); // one list call per folder
    const manifest = JSON.parse(readFileSync(join(cwd, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest).sort()).toEqual(['dist/img/logo.png', 'dist/index.html', 'dist/js/app.js', 'dist/js/app.js.map']);
    expect(manifest['dist/index.html']).toEqual({
      status: 'skipped',
      url: `${emulator.urlEndpoint}/skip/index.html`,
      filePath: '/skip/index.html',
      fileId: expect.stringMatching(/^[0-9a-f]{24}$/),
      size: 6,
      versionId: expect.stringMatching(/^[0-9a-f]{24}$/),
    });
  });

  it('stores the SHA-256 when the account has the field, and --skip-existing then never skips a same-size edit', async () => {
    const own = await startEmulator();
    try {
      const ownEnv = { IMAGEKIT_BASE_URL: own.url, IMAGEKIT_PRIVATE_KEY: own.privateKey };
      const cwd = dirWith({ 'h/a.txt': 'aaaa', 'h/b.txt': 'bbbb' });
      const sent = (name: string) => uploads(own).filter((r) => r.fields!.fileName === name).at(-1)!.fields!.customMetadata;
      await runCli(['upload', 'h', '--folder', '/hash'], { cwd, env: ownEnv });
      expect(sent('b.txt')).toBeUndefined(); // no field yet: upload never creates it
      const authorization = { authorization: `Basic ${Buffer.from(`${own.privateKey}:`).toString('base64')}`, 'content-type': 'application/json' };
      await fetch(`${own.url}/v1/customMetadataFields`, {
        method: 'POST',
        headers: authorization,
        body: JSON.stringify({ name: 'ikcliSha256', label: 'imagekit CLI SHA-256', schema: { type: 'Text', minLength: 64, maxLength: 64 } }),
      });
      expect((await runCli(['upload', 'h', '--folder', '/hash'], { cwd, env: ownEnv })).code).toBe(0);
      const { createHash } = await import('node:crypto');
      expect(JSON.parse(sent('b.txt')!)).toEqual({ ikcliSha256: createHash('sha256').update('bbbb').digest('hex') });
      writeFileSync(join(cwd, 'h/a.txt'), 'AAAA'); // same size, new content
      const before = uploads(own).length;
      const rerun = await runCli(['upload', 'h', '--folder', '/hash', '--skip-existing'], { cwd, env: ownEnv });
      expect(rerun.stdout.trim().split('\n').map((l) => l.split('\t').slice(0, 2).join(' '))).toEqual(['uploaded h/a.txt', 'skipped h/b.txt']);
      expect(uploads(own).length - before).toBe(1);
    } finally {
      await own.close();
    }
  });

  it('sends nothing that changes anything with --dry-run', async () => {
    const before = uploads().length;
    const result = await upload(['dist', '--folder', '/dry', '--dry-run', '--json'], { cwd: site() });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).map((o: { status: string; filePath: string }) => `${o.status} ${o.filePath}`)).toEqual([
      'planned /dry/img/logo.png',
      'planned /dry/index.html',
      'planned /dry/js/app.js',
      'planned /dry/js/app.js.map',
    ]);
    expect(uploads().length).toBe(before);
  });

  it('streams one JSON line per file with --ndjson', async () => {
    const result = await upload(['dist', '--folder', '/nd', '--ndjson'], { cwd: site() });
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines.every((l) => l.status === 'uploaded')).toBe(true);
  });

  it('draws a progress line on a terminal, and one line per file with --verbose elsewhere', async () => {
    const onTerminal = await upload(['dist', '--folder', '/progress'], { cwd: site(), tty: { stderr: true } });
    expect(onTerminal.stderr).toMatch(/\r\x1b\[2K\d\/4 files, \d+ B\/25 B, /);
    const piped = await upload(['dist', '--folder', '/progress'], { cwd: site() });
    expect(piped.stderr).toMatch(/^4 uploaded, 0 skipped, 25 B in \d+\.\ds\n$/); // the summary of a batch
    expect((await upload(['dist', '--folder', '/progress', '--quiet'], { cwd: site() })).stderr).toBe('');
    const verbose = await upload(['dist', '--folder', '/progress', '--verbose', '--quiet'], { cwd: site() });
    expect(verbose.stderr.trim().split('\n').sort()).toEqual([
      'uploaded dist/img/logo.png -> /progress/img/logo.png',
      'uploaded dist/index.html -> /progress/index.html',
      'uploaded dist/js/app.js -> /progress/js/app.js',
      'uploaded dist/js/app.js.map -> /progress/js/app.js.map',
    ]);
  });

  it('exits 130 when interrupted, reporting what was done', async () => {
    const result = await upload(['dist', '--folder', '/interrupted', '--json', '--concurrency', '1'], { cwd: site(), interrupt: Promise.resolve('SIGINT') });
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/^3 file\(s\) not uploaded: interrupted/m);
    const outcomes = JSON.parse(result.stdout);
    expect(outcomes.map((o: { status: string }) => o.status).sort()).toEqual(['failed', 'failed', 'failed', 'uploaded']);
  });

  it('excludes folders by name as .gitignore does, and follows every path through symlinks', async () => {
    const cwd = site();
    const byName = await upload(['dist', '--folder', '/x', '--exclude', 'js', '--dry-run'], { cwd });
    expect(byName.stdout.trim().split('\n').map((l) => l.split('\t')[2])).toEqual(['/x/img/logo.png', '/x/index.html']);
    const folderOnly = await upload(['dist', '--folder', '/x', '--exclude', 'img/', '--dry-run'], { cwd });
    expect(folderOnly.stdout).not.toContain('logo.png');
    const { symlinkSync } = await import('node:fs');
    symlinkSync(join(cwd, 'dist', 'js'), join(cwd, 'dist', 'latest'));
    const linked = await upload(['dist', '--folder', '/x', '--follow-symlinks', '--dry-run', '--include', '*.js'], { cwd });
    expect(linked.stdout.trim().split('\n').map((l) => l.split('\t')[2])).toEqual(['/x/js/app.js', '/x/latest/app.js']);
  });

  it('plans a dry run without credentials, printing it with --ndjson too', async () => {
    const result = await upload(['dist', '--folder', '/plan', '--dry-run', '--ndjson'], { cwd: site(), env: {} });
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').map((l) => JSON.parse(l).status)).toEqual(['planned', 'planned', 'planned', 'planned']);
  });

  it('feeds purge --from-manifest with what it uploaded, not what it skipped', async () => {
    const cwd = site();
    await upload(['dist/index.html', '--folder', '/deploy'], { cwd });
    expect((await upload(['dist', '--folder', '/deploy', '--skip-existing', '--manifest', 'm.json'], { cwd })).code).toBe(0);
    const purged = await runCli(['purge', '--from-manifest', 'm.json', '--json'], { cwd, env });
    expect(JSON.parse(purged.stdout).map((o: { url: string }) => o.url.replace(emulator.urlEndpoint, '')).sort()).toEqual([
      '/deploy/img/logo.png',
      '/deploy/js/app.js',
      '/deploy/js/app.js.map',
    ]);
  });

  it.each([
    [['missing.txt'], /no such file or directory: missing\.txt/],
    [['notes.txt', '--folder', '/a/../b'], /must not contain \.\./],
    [['notes.txt', '--folder', 'C:/Program Files/Git/assets'], /looks like a local path/],
    [['dist', '--folder', '/d', '--name', 'x.txt'], /--name names one file, not a directory/],
    [['notes.txt', '--manifest', 'no/such/dir/m.json'], /--manifest: the folder .* does not exist/],
    [['dist/{js', '--folder', '/g'], /not a valid glob|no files match/],
    [['-'], /needs --name/],
    [['dist'], /needs --folder/],
    [['notes.txt', '--post', '{bad'], /--post is not valid JSON/],
    [['notes.txt', '--post', '{}'], /--post must be a JSON array/],
    [['notes.txt', 'dist/index.html', '--name', 'x.txt'], /--name names one file/],
    [['nomatch/*.zip'], /no files match/],
    [['notes.txt', 'dist/../notes.txt'], /would both be uploaded to \/notes\.txt/],
    [['notes.txt', '--skip-existing', '--unique-name'], /cannot tell what exists/],
  ])('refuses bad input before sending anything: %j', async (argv, message) => {
    const before = emulator.requests.length;
    const result = await upload(argv, { cwd: site() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(emulator.requests.length).toBe(before);
  });
});

describe('imagekit upload, rough edges', () => {
  it('stops at the first refusal of a wrong key: one error, exit 3', async () => {
    const cwd = dirWith(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`many/f${i}.txt`, `x${i}`])));
    const before = emulator.requests.length;
    const result = await upload(['many', '--folder', '/refused', '--concurrency', '2'], { cwd, env: { ...env, IMAGEKIT_PRIVATE_KEY: 'private_wrong' } });
    expect(result.code).toBe(3);
    expect(result.stderr.match(/^error: /gm)).toHaveLength(1);
    // The calls already under way when the first refusal came back, and no more.
    expect(emulator.requests.length - before).toBeLessThanOrEqual(2);
  });

  it('says once which names ImageKit will change, and sums up files never started in one line', async () => {
    const cwd = dirWith({ 'odd/a#b?c.txt': 'x', 'odd/my file (1).js': 'y', 'odd/plain.txt': 'z' });
    const renamed = await upload(['odd', '--folder', '/renamed'], { cwd });
    expect(renamed.code).toBe(0);
    expect(renamed.stderr.match(/^warning: ImageKit will store 2 name\(s\)/gm)).toHaveLength(1);
    expect(renamed.stderr).toContain('"a#b?c.txt" as "a_b_c.txt"');
    expect(renamed.stdout).toMatch(/\/renamed\/my_file__1_\.js/);

    const ff = dirWith(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`ff/f${i}.txt`, `x${i}`])));
    await upload(['ff/f0.txt', '--folder', '/ff-rows'], { cwd: ff });
    const stopped = await upload(['ff', '--folder', '/ff-rows', '--no-overwrite', '--fail-fast', '--concurrency', '1'], { cwd: ff });
    expect(stopped.code).toBe(1);
    expect(stopped.stdout.trim().split('\n')).toHaveLength(1); // the failed file; the 5 never started are not rows
    expect(stopped.stderr).toMatch(/^5 file\(s\) not uploaded: stopped after the first failure/m);
    expect(stopped.stderr).toMatch(/^0 uploaded, 0 skipped, 1 failed, 5 not started, 0 B in /m);
  });
});

describe('imagekit upload, files that cannot be sent', () => {
  it('fails a name that is not UTF-8 and a FIFO alone (exit 5), and refuses a FIFO named on the command line (exit 2)', async () => {
    const cwd = dirWith({ 'mixed/good.txt': 'ok' });
    writeFileSync(Buffer.from(join(cwd, 'mixed/') + 'f\xff.txt', 'latin1'), 'bad name');
    execFileSync('mkfifo', [join(cwd, 'mixed', 'pipe')]);
    const result = await upload(['mixed', '--folder', '/mixed', '--json'], { cwd });
    expect(result.code).toBe(5);
    const outcomes = JSON.parse(result.stdout) as Array<{ source: string; status: string; error?: { message: string } }>;
    expect(outcomes.find((o) => o.source === 'mixed/good.txt')).toMatchObject({ status: 'uploaded' });
    expect(outcomes.filter((o) => o.status === 'failed').map((o) => o.error!.message).sort()).toEqual([
      expect.stringMatching(/FIFO/),
      expect.stringMatching(/not valid UTF-8|UTF-8/),
    ]);
    const named = await upload([join('mixed', 'pipe')], { cwd });
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/is a FIFO, not a regular file/);
  });

  it('refuses numbers past their bounds before anything is sent (exit 2)', async () => {
    const cwd = site();
    for (const argv of [['--timeout', '1e308'], ['--concurrency', '65'], ['--retries', '21']]) {
      const result = await upload(['notes.txt', ...argv], { cwd });
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
    }
    expect((await runCli(['emulator', '--port', '99999'])).stderr).toMatch(/--port takes a whole number from 0 to 65535/);
  });
});
