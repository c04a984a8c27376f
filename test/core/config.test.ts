import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { resolveSettings, findConfigFile, maskSecret } from '../../src/config.js';
import { dirWith, emptyDir, runCli } from '../helpers/cli.js';

const PRIVATE = 'private_lRUAvf1Kq2nWbYe7xZ8abcd';

describe('settings resolution', () => {
  const file = {
    urlEndpoint: 'https://ik.imagekit.io/file',
    publicKey: 'public_file',
    privateKey: 'private_file_key_0000',
    transformationPosition: 'query',
    profiles: { staging: { urlEndpoint: 'https://ik.imagekit.io/staging', publicKey: 'public_staging' } },
  };

  it('takes flag > env > profile > file > default', async () => {
    const cwd = dirWith({ '.imagekitrc.json': file });
    const settings = await resolveSettings({
      cwd,
      flags: { urlEndpoint: 'https://ik.imagekit.io/flag' },
      profile: 'staging',
      env: { IMAGEKIT_URL_ENDPOINT: 'https://ik.imagekit.io/env', IMAGEKIT_PRIVATE_KEY: PRIVATE },
    });
    expect(settings.values).toEqual({
      urlEndpoint: 'https://ik.imagekit.io/flag',
      privateKey: PRIVATE,
      publicKey: 'public_staging',
      transformationPosition: 'query',
      baseUrl: 'https://api.imagekit.io',
      uploadBaseUrl: 'https://upload.imagekit.io',
    });
    expect(settings.sources.urlEndpoint).toEqual({ kind: 'flag', name: '--endpoint' });
    expect(settings.sources.privateKey).toEqual({ kind: 'env', name: 'IMAGEKIT_PRIVATE_KEY' });
    expect(settings.sources.publicKey).toEqual({ kind: 'file', path: join(cwd, '.imagekitrc.json'), profile: 'staging' });
    expect(settings.sources.transformationPosition).toEqual({ kind: 'file', path: join(cwd, '.imagekitrc.json') });
    expect(settings.sources.baseUrl).toEqual({ kind: 'default' });
  });

  it('selects the profile from IMAGEKIT_PROFILE', async () => {
    const settings = await resolveSettings({ cwd: dirWith({ '.imagekitrc.json': file }), env: { IMAGEKIT_PROFILE: 'staging' } });
    expect(settings.values.urlEndpoint).toBe('https://ik.imagekit.io/staging');
    expect(settings.profile).toBe('staging');
  });

  it('sends uploads to IMAGEKIT_BASE_URL when only it is set', async () => {
    const settings = await resolveSettings({ cwd: emptyDir(), env: { IMAGEKIT_BASE_URL: 'http://127.0.0.1:9' } });
    expect(settings.values.uploadBaseUrl).toBe('http://127.0.0.1:9');
    expect(settings.sources.uploadBaseUrl).toEqual({ kind: 'env', name: 'IMAGEKIT_BASE_URL' });
  });

  it.each([
    ['.imagekitrc', 'urlEndpoint: https://ik.imagekit.io/yaml\n'],
    ['.imagekitrc.yaml', 'urlEndpoint: https://ik.imagekit.io/yaml\n'],
    ['.imagekitrc.json', '{"urlEndpoint":"https://ik.imagekit.io/yaml"}'],
    ['imagekit.config.cjs', 'module.exports = { urlEndpoint: "https://ik.imagekit.io/yaml" };'],
    ['.config/imagekitrc.json', '{"urlEndpoint":"https://ik.imagekit.io/yaml"}'],
    ['package.json', '{"name":"x","imagekit":{"urlEndpoint":"https://ik.imagekit.io/yaml"}}'],
  ])('reads %s', async (name, content) => {
    const cwd = dirWith({ [name]: content });
    const settings = await resolveSettings({ cwd, env: {} });
    expect(settings.values.urlEndpoint).toBe('https://ik.imagekit.io/yaml');
    expect(settings.configFile).toBe(join(cwd, name));
  });

  it('searches from the working directory up to the project root, passing a package.json without an imagekit key', async () => {
    const root = dirWith({ 'app/.imagekitrc.json': { urlEndpoint: 'https://ik.imagekit.io/app' }, 'app/web/package.json': { name: 'web' }, 'app/web/src/x.txt': 'x' });
    // app/web is the project root (its package.json), so app/.imagekitrc.json above it is not read.
    expect(findConfigFile(join(root, 'app', 'web', 'src'))).toBeUndefined();
    // Without a project root in between, the search goes up and finds it.
    const plain = dirWith({ '.imagekitrc.json': { urlEndpoint: 'https://ik.imagekit.io/up' }, 'a/b/x.txt': 'x' });
    expect((await resolveSettings({ cwd: join(plain, 'a', 'b'), env: {} })).values.urlEndpoint).toBe('https://ik.imagekit.io/up');
  });

  it('never reads (or runs) a config file above the project root', async () => {
    const root = dirWith({
      '.imagekitrc.cjs': 'require("fs").writeFileSync(__dirname + "/ran", "yes"); module.exports = { baseUrl: "https://evil.example" };',
      'proj/package.json': { name: 'proj' },
      'proj/sub/x.txt': 'x',
    });
    const settings = await resolveSettings({ cwd: join(root, 'proj', 'sub'), env: {} });
    expect(settings.values.baseUrl).toBe('https://api.imagekit.io');
    expect(existsSync(join(root, 'ran'))).toBe(false);
  });

  it('falls back to a config file in the home directory', async () => {
    const home = dirWith({ '.imagekitrc.json': { urlEndpoint: 'https://ik.imagekit.io/home' } });
    const project = dirWith({ 'package.json': { name: 'p' } });
    const settings = await resolveSettings({ cwd: project, env: { HOME: home } });
    expect(settings.values.urlEndpoint).toBe('https://ik.imagekit.io/home');
    expect(settings.configFile).toBe(join(home, '.imagekitrc.json'));
  });

  it('treats an empty config file as no settings', async () => {
    expect((await resolveSettings({ cwd: dirWith({ '.imagekitrc.json': '' }), env: {} })).values.urlEndpoint).toBeUndefined();
  });

  it.each([
    ['an unknown profile', { '.imagekitrc.json': file }, { profile: 'prod' }, /profile "prod" is not defined .* \(profiles: staging\)/],
    ['a profile without a file', {}, { profile: 'prod' }, /no config file was found/],
    ['broken JSON', { '.imagekitrc.json': '{"urlEndpoint": ' }, {}, /cannot read config file/],
    ['a non-string value', { '.imagekitrc.json': { urlEndpoint: 5 } }, {}, /"urlEndpoint" must be a string/],
    ['a bad position', { '.imagekitrc.json': { transformationPosition: 'side' } }, {}, /transformationPosition must be "path" or "query"/],
    ['a missing --config file', {}, { configFile: 'nope.json' }, /cannot read config file .*nope\.json: no such file/],
  ])('refuses %s', async (_, files, options, message) => {
    await expect(resolveSettings({ cwd: dirWith(files), env: {}, ...options })).rejects.toThrow(message);
  });

  it('masks secrets', () => {
    expect(maskSecret(PRIVATE)).toBe('private_****abcd');
    expect(maskSecret('short')).toBe('****');
    expect(maskSecret('private_abc')).toBe('private_****');
    expect(maskSecret(undefined)).toBe('');
  });
});

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
