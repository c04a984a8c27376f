import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveSettings, findConfigFile, maskSecret } from '../../src/config.js';
import { dirWith, emptyDir } from '../helpers/cli.js';

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
