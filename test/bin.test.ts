// A few runs of the real bin/imagekit.js (built by `npm test`'s pretest step), proving the shim, the
// bundle, real stdout and exit codes. Everything else is tested in-process.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../commands/cli/registry.js';
import { emptyDir } from './helpers/cli.js';

const BIN = fileURLToPath(new URL('../bin/imagekit.js', import.meta.url));

function run(args: string[], env: Record<string, string> = {}, input = '') {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('IMAGEKIT_') && k !== 'FORCE_COLOR'));
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: emptyDir(), env: { ...clean, ...env }, input, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const ENV = { IMAGEKIT_URL_ENDPOINT: 'https://ik.imagekit.io/demo', IMAGEKIT_PRIVATE_KEY: 'private_spawned_key_9876' };

describe('bin/imagekit.js', () => {
  it('prints a URL and nothing else', () => {
    expect(run(['url', '/default-image.jpg', '-t', 'height=300,width=400'], ENV)).toEqual({
      code: 0,
      stdout: 'https://ik.imagekit.io/demo/tr:h-300,w-400/default-image.jpg\n',
      stderr: '',
    });
  });

  it('runs a batch from stdin', () => {
    const result = run(['url', '--batch'], ENV, '{"path":"/a.jpg"}\n{"path":"/b.jpg","signed":true}\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^https:\/\/ik\.imagekit\.io\/demo\/a\.jpg\nhttps:\/\/ik\.imagekit\.io\/demo\/b\.jpg\?ik-s=[0-9a-f]{40}\n$/);
  });

  it('prints its version and help', () => {
    expect(run(['--version'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
    expect(run(['url', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Examples:') });
  });

  it('writes no colour codes when piped, even for tables', () => {
    const result = run(['phash', 'f06830ca9f1e3e90', '2d5ad3936d2e015b', '2d6ed293db36a4fb'], ENV);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/\x1b\[/);
    expect(result.stdout.split('\n')[0]).toBe('2d5ad3936d2e015b\t2d6ed293db36a4fb\t17');
  });

  it('exits 2 for a usage error and 3 for missing credentials, printing "error:" on stderr', () => {
    const usage = run(['url', '/a.jpg', '--nope'], ENV);
    expect(usage).toMatchObject({ code: 2, stdout: '' });
    expect(usage.stderr).toMatch(/^error: unknown option '--nope'/);
    const missing = run(['url', '/a.jpg']);
    expect(missing).toMatchObject({ code: 3, stdout: '' });
    expect(missing.stderr).toMatch(/^error: .*IMAGEKIT_URL_ENDPOINT/);
  });

  it('never prints the private key', () => {
    const outputs = [run(['config', 'show'], ENV), run(['config', 'show', '--json'], ENV), run(['auth-params'], ENV)];
    for (const { stdout, stderr } of outputs) expect(stdout + stderr).not.toContain(ENV.IMAGEKIT_PRIVATE_KEY);
  });
});

describe('the package as a library', () => {
  it('exports the core functions with their types, by package name', () => {
    const script = "import('imagekit-cli').then((m) => console.log([typeof m.buildUrl, typeof m.getAuthenticationParameters, typeof m.phashDistance, m.phashDistance('2d5ad3936d2e015b', '2d6ed293db36a4fb')].join(' ')))";
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' });
    expect(result.stdout).toBe('function function function 17\n');
  });

  it('exports the client and the emulator', () => {
    const script = "const { ImageKitClient } = await import('imagekit-cli'); const { startEmulator } = await import('imagekit-cli/emulator'); const e = await startEmulator(); const c = new ImageKitClient({ privateKey: e.privateKey, baseUrl: e.url, uploadBaseUrl: e.url }); console.log(JSON.stringify(await c.listFiles())); await e.close();";
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' });
    expect(result.stdout).toBe('[]\n');
  });
});

describe('a missing build', () => {
  it('is said in one line, not a module stack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imagekit-nobuild-'));
    mkdirSync(join(dir, 'bin'));
    copyFileSync(BIN, join(dir, 'bin', 'imagekit.js'));
    const result = spawnSync(process.execPath, [join(dir, 'bin', 'imagekit.js'), 'files', 'ls'], { encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
    expect({ code: result.status, stderr: result.stderr }).toEqual({ code: 1, stderr: 'error: the build in dist/ is missing (or was being replaced): run "npm run build", or try again\n' });
  });
});

describe('the bundles', () => {
  const CACHE = fileURLToPath(new URL('../dist/cli/code-cache/', import.meta.url));
  const PHASH = ['phash', 'f06830ca9f1e3e90', '2d5ad3936d2e015b'];

  it('run a command from its own bundle, as the whole program would, help and usage errors too', () => {
    expect(run(PHASH)).toEqual({ code: 0, stdout: '36\n', stderr: '' });
    // A global option before the command's name takes the whole program's path: the same answer.
    expect(run(['--no-color', ...PHASH])).toEqual({ code: 0, stdout: '36\n', stderr: '' });
    expect(run(['upload', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Examples:') });
    const unknown = run(['files', 'lss']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: unknown command 'lss'/);
  });

  it('are one per command of the registry, but for url (the quick path) and completion (the whole program)', () => {
    const bundled = readdirSync(fileURLToPath(new URL('../dist/cli/bundle/commands/', import.meta.url)));
    const expected = COMMANDS.map((c) => c.name).filter((name) => name !== 'url' && name !== 'completion');
    expect(bundled.sort()).toEqual(expected.map((name) => `${name}.cjs`).sort());
  });

  it('keep a code cache of each bundle run, and run right with one that does not fit', () => {
    run(PHASH);
    const cached = readdirSync(CACHE).filter((name) => name.startsWith('commands-phash.cjs.'));
    expect(cached).toHaveLength(1);
    writeFileSync(join(CACHE, cached[0]!), 'not a V8 code cache');
    expect(run(PHASH)).toEqual({ code: 0, stdout: '36\n', stderr: '' });
    // The cache that did not fit was made anew.
    expect(readFileSync(join(CACHE, cached[0]!), 'utf8')).not.toBe('not a V8 code cache');
  });
});
