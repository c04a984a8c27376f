// `imagekit config show` and `config init`, run in-process.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dirWith, runCli } from '../helpers/cli.js';

const PRIVATE = 'private_lRUAvf1Kq2nWbYe7xZ8abcd';

describe('imagekit config show', () => {
  it('prints every setting with its source, the private key masked', async () => {
    const cwd = dirWith({ '.imagekitrc.json': { privateKey: PRIVATE, urlEndpoint: 'https://ik.imagekit.io/file' } });
    const result = await runCli(['config', 'show'], { cwd, env: { IMAGEKIT_PUBLIC_KEY: 'public_env' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        `privateKey\tprivate_****abcd\t${join(cwd, '.imagekitrc.json')}`,
        'publicKey\tpublic_env\tenv IMAGEKIT_PUBLIC_KEY',
        `urlEndpoint\thttps://ik.imagekit.io/file\t${join(cwd, '.imagekitrc.json')}`,
        'baseUrl\thttps://api.imagekit.io\tdefault',
        'uploadBaseUrl\thttps://upload.imagekit.io\tdefault',
        'transformationPosition\tpath\tdefault',
        `configFile\t${join(cwd, '.imagekitrc.json')}\tfound from the working directory`,
        'profile\t\tnone',
        '',
      ].join('\n'),
    );
    expect(result.stdout + result.stderr).not.toContain(PRIVATE);
  });

  it('gives JSON with the file and profile', async () => {
    const cwd = dirWith({ '.imagekitrc.json': { profiles: { p: { privateKey: PRIVATE } } } });
    const result = await runCli(['config', 'show', '--json', '--profile', 'p'], { cwd });
    const shown = JSON.parse(result.stdout);
    expect(shown.configFile).toBe(join(cwd, '.imagekitrc.json'));
    expect(shown.profile).toBe('p');
    expect(shown.settings.privateKey).toEqual({ value: 'private_****abcd', source: `${join(cwd, '.imagekitrc.json')} (profile p)` });
    expect(result.stdout).not.toContain(PRIVATE);
  });

  it('shows a table on a terminal', async () => {
    const result = await runCli(['config', 'show', '--no-color'], { tty: { stdout: true } });
    expect(result.stdout).toMatch(/│ setting +│ value +│ source +│/);
  });

  it.each([
    ['.imagekitrc.json', `{"privateKey": "${PRIVATE}", oops}`, /not valid JSON at line 1, column 51/],
    ['.imagekitrc.json', `{"privateKey": ${PRIVATE}}`, /not valid JSON/],
    ['.imagekitrc.yaml', `privateKey: ${PRIVATE}\n  bad: [indent`, /not valid YAML at line 2/],
  ])('exits 3 for an unreadable %s, showing no part of its private key', async (name, content, message) => {
    const result = await runCli(['config', 'show', '--json'], { cwd: dirWith({ [name]: content }) });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: cannot read config file/);
    expect(result.stderr).toMatch(message);
    expect(result.stdout + result.stderr).not.toContain(PRIVATE.slice(0, 12));
    expect(result.stdout + result.stderr).not.toContain(PRIVATE.slice(-8));
  });

  it('exits 3 for an unknown profile', async () => {
    const result = await runCli(['--profile', 'nope', 'config', 'show'], { cwd: dirWith({ '.imagekitrc.json': {} }) });
    expect(result.code).toBe(3);
  });
});

describe('imagekit config init', () => {
  it('writes the flags and the env private key to an owner-only file', async () => {
    const cwd = dirWith({});
    const result = await runCli(['config', 'init', '--endpoint', 'https://ik.imagekit.io/me', '--public-key', 'public_me'], {
      cwd,
      env: { IMAGEKIT_PRIVATE_KEY: PRIVATE },
    });
    expect(result.code).toBe(0);
    const file = join(cwd, '.imagekitrc.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ urlEndpoint: 'https://ik.imagekit.io/me', publicKey: 'public_me', privateKey: PRIVATE });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(result.stdout + result.stderr).not.toContain(PRIVATE);
    expect(result.stdout).toContain('private_****abcd');
  });

  it('reads the private key from stdin with --private-key-stdin', async () => {
    const cwd = dirWith({});
    await runCli(['config', 'init', '--private-key-stdin'], { cwd, stdin: `${PRIVATE}\n` });
    expect(JSON.parse(readFileSync(join(cwd, '.imagekitrc.json'), 'utf8'))).toEqual({ privateKey: PRIVATE });
  });

  it('refuses to overwrite without --force', async () => {
    const cwd = dirWith({ '.imagekitrc.json': { urlEndpoint: 'https://ik.imagekit.io/old' } });
    const refused = await runCli(['config', 'init', '--endpoint', 'https://ik.imagekit.io/new'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already exists: pass --force/);
    expect(JSON.parse(readFileSync(join(cwd, '.imagekitrc.json'), 'utf8')).urlEndpoint).toBe('https://ik.imagekit.io/old');
    const forced = await runCli(['config', 'init', '--endpoint', 'https://ik.imagekit.io/new', '--force'], { cwd });
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, '.imagekitrc.json'), 'utf8')).urlEndpoint).toBe('https://ik.imagekit.io/new');
  });

  it('adds a profile to an existing file, keeping the rest', async () => {
    const cwd = dirWith({ '.imagekitrc.json': { urlEndpoint: 'https://ik.imagekit.io/main' } });
    const result = await runCli(['config', 'init', '--profile', 'staging', '--endpoint', 'https://ik.imagekit.io/staging'], { cwd });
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, '.imagekitrc.json'), 'utf8'))).toEqual({
      urlEndpoint: 'https://ik.imagekit.io/main',
      profiles: { staging: { urlEndpoint: 'https://ik.imagekit.io/staging' } },
    });
  });

  it('asks on a terminal, hiding the private key', async () => {
    const cwd = dirWith({});
    const result = await runCli(['config', 'init'], {
      cwd,
      tty: { stdin: true, stderr: true, stdout: true },
      answers: ['https://ik.imagekit.io/asked', 'public_asked', PRIVATE],
    });
    expect(result.code).toBe(0);
    expect(result.prompts.map((p) => p.secret)).toEqual([false, false, true]);
    expect(JSON.parse(readFileSync(join(cwd, '.imagekitrc.json'), 'utf8'))).toEqual({
      urlEndpoint: 'https://ik.imagekit.io/asked',
      publicKey: 'public_asked',
      privateKey: PRIVATE,
    });
  });

  it('replaces an existing file that is not an object only with --force, and prints JSON with --json', async () => {
    const cwd = dirWith({ '.imagekitrc.json': 'null' });
    expect((await runCli(['config', 'init', '--profile', 'p', '--endpoint', 'https://ik.imagekit.io/x'], { cwd })).code).toBe(2);
    const forced = await runCli(['config', 'init', '--profile', 'p', '--endpoint', 'https://ik.imagekit.io/x', '--force', '--json'], { cwd });
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ profile: 'p', urlEndpoint: 'https://ik.imagekit.io/x' });
    expect(JSON.parse(readFileSync(join(cwd, '.imagekitrc.json'), 'utf8'))).toEqual({ profiles: { p: { urlEndpoint: 'https://ik.imagekit.io/x' } } });
  });

  it('says so when the target folder does not exist', async () => {
    const result = await runCli(['config', 'init', '--endpoint', 'https://ik.imagekit.io/x', '--file', 'missing/dir/x.json'], { cwd: dirWith({}) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/folder .*missing\/dir does not exist/);
  });

  it('refuses to write nothing, or a malformed endpoint', async () => {
    const cwd = dirWith({});
    expect((await runCli(['config', 'init'], { cwd })).code).toBe(2);
    expect((await runCli(['config', 'init', '--endpoint', 'not a url'], { cwd })).code).toBe(2);
    expect(existsSync(join(cwd, '.imagekitrc.json'))).toBe(false);
  });
});

describe('config, rough edges', () => {
  it('writes through an unpredictable name: a link planted at the old predictable one is left alone', async () => {
    const cwd = dirWith({ 'victim.txt': 'untouched' });
    symlinkSync(join(cwd, 'victim.txt'), join(cwd, `.imagekitrc.json.${process.pid}.tmp`));
    const result = await runCli(['config', 'init', '--private-key-stdin', '--endpoint', 'https://ik.imagekit.io/me'], { cwd, stdin: PRIVATE });
    expect(result.code).toBe(0);
    expect(readFileSync(join(cwd, 'victim.txt'), 'utf8')).toBe('untouched');
    expect(statSync(join(cwd, '.imagekitrc.json')).mode & 0o777).toBe(0o600);
  });

  it('checks each answer as it is given, and speaks of prompts when all are empty', async () => {
    const cwd = dirWith({});
    const tty = { stdin: true, stderr: true };
    const retried = await runCli(['config', 'init'], { cwd, tty, answers: ['not a url', 'https://ik.imagekit.io/me', '', ''] });
    expect(retried.code).toBe(0);
    expect(retried.prompts.map((p) => p.question.split(' ')[0])).toEqual(['URL', 'URL', 'Public', 'Private']);
    expect(retried.stderr).toMatch(/try again/);
    const empty = await runCli(['config', 'init', '--file', 'empty.json'], { cwd, tty, answers: ['', '', ''] });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/every prompt was left empty/);
  });

  it('warns when a private key lands in a git work tree that does not ignore the file', async () => {
    const cwd = dirWith({});
    execFileSync('git', ['init', '-q', cwd]);
    const warned = await runCli(['config', 'init', '--private-key-stdin'], { cwd, stdin: PRIVATE });
    expect(warned.stderr).toMatch(/does not ignore it: add this line to \.gitignore:\n  \/\.imagekitrc\.json/);
    writeFileSync(join(cwd, '.gitignore'), '.imagekitrc.json\n');
    const quiet = await runCli(['config', 'init', '--private-key-stdin', '--force'], { cwd, stdin: PRIVATE });
    expect(quiet.stderr).not.toMatch(/gitignore/);
  });

  it('a profile with its own endpoint never borrows the top level\'s keys; one without does', async () => {
    const cwd = dirWith({
      '.imagekitrc.json': { privateKey: PRIVATE, urlEndpoint: 'https://ik.imagekit.io/main', profiles: { other: { urlEndpoint: 'https://ik.imagekit.io/other' }, slow: { baseUrl: 'http://127.0.0.1:9' } } },
    });
    const other = JSON.parse((await runCli(['config', 'show', '--json', '--profile', 'other'], { cwd })).stdout);
    expect(other.settings.privateKey).toEqual({ value: null, source: 'not set' });
    const slow = JSON.parse((await runCli(['config', 'show', '--json', '--profile', 'slow'], { cwd })).stdout);
    expect(slow.settings.privateKey.value).toBe('private_****abcd');
  });

  it('warns of unknown keys with the nearest valid one, and says which file was read when piped', async () => {
    const cwd = dirWith({ '.imagekitrc.json': { privatekey: PRIVATE, endpoint: 'https://ik.imagekit.io/x' } });
    const result = await runCli(['config', 'show'], { cwd });
    expect(result.stderr).toMatch(/unknown key "privatekey" is ignored; did you mean "privateKey"\?/);
    expect(result.stderr).toMatch(/unknown key "endpoint" is ignored/);
    expect(result.stderr).not.toContain(PRIVATE);
    expect(result.stdout).toMatch(/^configFile\t.*\.imagekitrc\.json\tfound from the working directory$/m);
  });

  it('refuses an API host that is not a URL with exit 3, naming the setting', async () => {
    const result = await runCli(['--base-url', 'not a url', 'files', 'ls'], { env: { IMAGEKIT_PRIVATE_KEY: PRIVATE } });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/baseUrl must be an http\(s\) URL, got "not a url" \(flag --base-url\)/);
  });
});
