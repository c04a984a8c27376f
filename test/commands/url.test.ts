import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dirWith, runCli } from '../helpers/cli.js';

const env = { IMAGEKIT_URL_ENDPOINT: 'https://ik.imagekit.io/demo', IMAGEKIT_PRIVATE_KEY: 'private_test_key_123456' };
const hmac = (message: string) => createHmac('sha1', env.IMAGEKIT_PRIVATE_KEY).update(message).digest('hex');

describe('imagekit url', () => {
  it('prints the URL alone, with SDK names and raw parameters in a step', async () => {
    const result = await runCli(['url', '/default-image.jpg', '-t', 'height=300,width=400,ar-4-3,q-40'], { env });
    expect(result).toMatchObject({ code: 0, stderr: '', stdout: 'https://ik.imagekit.io/demo/tr:h-300,w-400,ar-4-3,q-40/default-image.jpg\n' });
  });

  it('chains --transformation, then each -t, then --tr, in that order', async () => {
    const result = await runCli(
      ['url', 'a.jpg', '--transformation', '[{"width":100},{"rotation":90}]', '-t', 'effect_sharpen=-,named=thumb', '-t', 'l-text,i-Hi,l-end', '--tr', 'q-50'],
      { env },
    );
    expect(result.stdout).toBe('https://ik.imagekit.io/demo/tr:w-100:rt-90:e-sharpen,n-thumb:l-text,i-Hi,l-end:q-50/a.jpg\n');
  });

  it('reads --transformation from a file with @', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imagekit-tr-'));
    writeFileSync(join(dir, 'steps.json'), JSON.stringify([{ aspectRatio: '4-3', defaultImage: '/folder/default.jpg/' }]));
    const result = await runCli(['url', '/a.jpg', '--transformation', '@steps.json'], { env, cwd: dir });
    expect(result.stdout).toBe('https://ik.imagekit.io/demo/tr:ar-4-3,di-folder@@default.jpg/a.jpg\n');
  });

  it('puts the transformation in the query when asked, or for a full URL', async () => {
    expect((await runCli(['url', '/a.jpg', '-t', 'h=300,w=400', '--position', 'query'], { env })).stdout).toBe(
      'https://ik.imagekit.io/demo/a.jpg?tr=h-300%2Cw-400\n',
    );
    expect((await runCli(['url', 'https://cdn.example.com/a.jpg?v=1', '-t', 'width=10'], { env })).stdout).toBe('https://cdn.example.com/a.jpg?v=1&tr=w-10\n');
  });

  it('takes the position from the settings', async () => {
    const result = await runCli(['url', '/a.jpg', '-t', 'width=10'], { env, cwd: dirWith({ '.imagekitrc.json': { transformationPosition: 'query' } }) });
    expect(result.stdout).toBe('https://ik.imagekit.io/demo/a.jpg?tr=w-10\n');
  });

  it('adds query parameters', async () => {
    const result = await runCli(['url', '/a.jpg', '-q', 'v=2', '-q', 'name=a b'], { env });
    expect(result.stdout).toBe('https://ik.imagekit.io/demo/a.jpg?v=2&name=a+b\n');
  });

  it('signs with --expire-at reproducibly, and with --expires from the clock', async () => {
    const atResult = await runCli(['url', '/a.jpg', '-t', 'w-100', '--expire-at', '1800000000'], { env });
    expect(atResult.stdout).toBe(`https://ik.imagekit.io/demo/tr:w-100/a.jpg?ik-t=1800000000&ik-s=${hmac('tr:w-100/a.jpg1800000000')}\n`);
    const inResult = await runCli(['url', '/a.jpg', '--expires', '60'], { env, now: 1_700_000_000_000 });
    expect(inResult.stdout).toBe(`https://ik.imagekit.io/demo/a.jpg?ik-t=1700000060&ik-s=${hmac('a.jpg1700000060')}\n`);
    const signed = await runCli(['url', '/a.jpg', '--signed'], { env });
    expect(signed.stdout).toBe(`https://ik.imagekit.io/demo/a.jpg?ik-s=${hmac('a.jpg9999999999')}\n`);
  });

  it('takes --endpoint over the environment', async () => {
    expect((await runCli(['url', '/a.jpg', '--endpoint', 'https://ik.imagekit.io/other/'], { env })).stdout).toBe('https://ik.imagekit.io/other/a.jpg\n');
    expect((await runCli(['--endpoint', 'https://ik.imagekit.io/other', 'url', '/a.jpg'], { env })).stdout).toBe('https://ik.imagekit.io/other/a.jpg\n');
  });

  it('percent-encodes the transformation in the path and signs that form', async () => {
    const result = await runCli(['url', '/a.jpg', '-t', 'l-text,i-Héllo World,l-end', '--signed'], { env });
    const tr = 'l-text,i-H%C3%A9llo%20World,l-end';
    expect(result.stdout).toBe(`https://ik.imagekit.io/demo/tr:${tr}/a.jpg?ik-s=${hmac(`tr:${tr}/a.jpg9999999999`)}\n`);
  });

  it('resolves dot segments before signing, never above the endpoint', async () => {
    expect((await runCli(['url', '/x/../a.jpg'], { env })).stdout).toBe('https://ik.imagekit.io/demo/a.jpg\n');
    expect((await runCli(['url', '/../../a.jpg'], { env })).stdout).toBe('https://ik.imagekit.io/demo/a.jpg\n');
    expect((await runCli(['url', 'https://ik.imagekit.io/demo//a.jpg', '--signed'], { env })).stdout).toBe((await runCli(['url', '//a.jpg', '--signed'], { env })).stdout);
  });

  it('keeps a query key without a value as it is', async () => {
    expect((await runCli(['url', '/a.jpg?download', '-q', 'v=1'], { env })).stdout).toBe('https://ik.imagekit.io/demo/a.jpg?download&v=1\n');
  });

  it('prints {"url"} with --json', async () => {
    const result = await runCli(['url', '/a.jpg', '--json'], { env });
    expect(JSON.parse(result.stdout)).toEqual({ url: 'https://ik.imagekit.io/demo/a.jpg' });
  });

  describe('exit codes', () => {
    it('3 without an endpoint, naming the env variable and the config key', async () => {
      const result = await runCli(['url', '/a.jpg'], { env: {} });
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^error: .*IMAGEKIT_URL_ENDPOINT.*urlEndpoint/);
    });

    it('3 when signing without a private key', async () => {
      const result = await runCli(['url', '/a.jpg', '--signed'], { env: { IMAGEKIT_URL_ENDPOINT: env.IMAGEKIT_URL_ENDPOINT } });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('IMAGEKIT_PRIVATE_KEY');
    });

    it.each([
      [['url', '/a.jpg', '--expires', 'soon']],
      [['url', '/a.jpg', '--expire-at', '-5']],
      [['url', '/a.jpg', '--position', 'side']],
      [['url', '/a.jpg', '--bogus']],
      [['url', '/a.jpg', '/b.jpg']],
      [['url']],
      [['url', '/a.jpg', '--transformation', '{nope']],
      [['url', '/a.jpg', '--transformation', '@missing.json']],
      [['url', '/a.jpg', '--transformation', '["w-100"]']],
      [['url', '/a.jpg', '-q', 'novalue']],
      [['url', '/a.jpg', '--batch']],
      [['url', '--explain']],
      [['url', '/a.jpg', '--expires', '60', '--expire-at', '1800000000']],
      [['url', '/a.jpg', '--expire-at', '1000000000000000000000']],
      [['url', '/a.jpg', '--signed', '-q', 'ik-s=x']],
      [['url', 'ftp://x/a.jpg', '--explain']],
    ])('2 for a usage error: %j', async (argv) => {
      const result = await runCli(argv, { env });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/error/);
    });

    it('writes the error as JSON on stdout too with --json, parse errors included', async () => {
      const result = await runCli(['url', '/a.jpg', '--json'], { env: {} });
      expect(result.code).toBe(3);
      expect(JSON.parse(result.stdout).error.message).toContain('IMAGEKIT_URL_ENDPOINT');
      for (const argv of [['url', '/a.jpg', '--json', '--expires', '0'], ['url', '/a.jpg', '--json', '--bogus'], ['--json', 'url', '/a.jpg', '--position', 'x']]) {
        const failed = await runCli(argv, { env });
        expect(failed.code).toBe(2);
        expect(JSON.parse(failed.stdout)).toEqual({ error: { status: null, message: expect.any(String), help: null, requestId: null } });
      }
    });
  });

  describe('--batch', () => {
    const lines = [
      '{"path":"/a.jpg","transformation":[{"width":100}]}',
      'not json',
      '{"src":"https://cdn.example.com/b.jpg","transformation":[{"height":5}]}',
      '{"transformation":[{"width":1}]}',
      '{"path":"/c.jpg","src":"https://cdn.example.com/ignored.jpg","query_parameters":{"v":"1"}}',
      '{"path":"/d.jpg","signed":true,"expireAt":1800000000}',
      '{"path":"/e.jpg","urlEndpoint":"https://ik.imagekit.io/other","transformationPosition":"query","transformation":[{"width":3}]}',
    ];

    it('prints one line per input line, an empty line for each bad one, and exits 2 naming them', async () => {
      const result = await runCli(['url', '--batch'], { env, stdin: lines.join('\n') + '\n' });
      expect(result.code).toBe(2);
      expect(result.stdout.split('\n')).toEqual([
        'https://ik.imagekit.io/demo/tr:w-100/a.jpg',
        '',
        'https://cdn.example.com/b.jpg?tr=h-5',
        '',
        'https://ik.imagekit.io/demo/c.jpg?v=1',
        `https://ik.imagekit.io/demo/d.jpg?ik-t=1800000000&ik-s=${hmac('d.jpg1800000000')}`,
        'https://ik.imagekit.io/other/e.jpg?tr=w-3',
        '',
      ]);
      expect(result.stderr).toMatch(/line 2: not valid JSON/);
      expect(result.stderr).toMatch(/line 4: neither "path" nor "src"/);
      expect(result.stderr.trim().split('\n')).toHaveLength(2);
    });

    it('follows the SDK shape: null is absent, signed:false wins over an expiry, and types are checked', async () => {
      const result = await runCli(['url', '--batch'], {
        env,
        stdin: [
          '\uFEFF{"path":"/a.jpg","expireSeconds":null}',
          '{"path":"/b.jpg","signed":false,"expireSeconds":300}',
          '{"path":"/c.jpg","expireSeconds":0}',
          '{"path":"/d.jpg","queryParameters":"a=b"}',
          '{"path":{"x":1}}',
          '{"path":"/e.jpg","signed":"true"}',
        ].join('\n'),
      });
      expect(result.code).toBe(2);
      expect(result.stdout.split('\n')).toEqual([
        'https://ik.imagekit.io/demo/a.jpg',
        'https://ik.imagekit.io/demo/b.jpg',
        'https://ik.imagekit.io/demo/c.jpg',
        '',
        '',
        '',
        '',
      ]);
      expect(result.stderr).toMatch(/line 4: queryParameters must be an object/);
      expect(result.stderr).toMatch(/line 5: path must be a string/);
      expect(result.stderr).toMatch(/line 6: signed must be true or false/);
    });

    it('exits 3 when lines fail for a missing setting', async () => {
      const result = await runCli(['url', '--batch'], { env: {}, stdin: '{"path":"/a.jpg"}\n{"src":"https://x.io/a.jpg"}\n' });
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('\nhttps://x.io/a.jpg\n');
    });

    it('prints {"url"} or {"error"} objects with --json', async () => {
      const result = await runCli(['url', '--batch', '--json'], { env, stdin: lines.slice(0, 2).join('\n') });
      expect(result.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
        { url: 'https://ik.imagekit.io/demo/tr:w-100/a.jpg' },
        { error: 'not valid JSON' },
      ]);
    });

    it('applies the command line as defaults, and a line\'s own transformation replaces it', async () => {
      const result = await runCli(['url', '--batch', '-t', 'w-9', '--position', 'query'], {
        env,
        stdin: '{"path":"/a.jpg"}\n{"path":"/b.jpg","transformation":[{"height":2}]}\n',
      });
      expect(result).toMatchObject({ code: 0, stdout: 'https://ik.imagekit.io/demo/a.jpg?tr=w-9\nhttps://ik.imagekit.io/demo/b.jpg?tr=h-2\n' });
    });
  });

  describe('--explain', () => {
    const url = 'https://ik.imagekit.io/demo/tr:w-400,e-sharpen:rt-90/a.jpg';

    it('prints tab-separated rows when piped', async () => {
      const result = await runCli(['url', '--explain', url], { env });
      expect(result.stdout).toBe('1\tw\twidth\t400\tapplied\n1\te-sharpen\teffect_sharpen\t\tapplied\n2\trt\trotation\t90\tapplied\n');
    });

    it("says per parameter whether the emulator applies it (emulator/transform/applied.ts)", async () => {
      const result = await runCli(['url', '--explain', 'https://ik.imagekit.io/demo/tr:w-400,e-bgremove,di-a.jpg/a.jpg', '--json'], { env });
      expect(JSON.parse(result.stdout).parameters.map((p: { code: string; emulator: string }) => `${p.code}:${p.emulator}`)).toEqual(['w:applied', 'e-bgremove:skipped', 'di:applied']);
    });

    it('prints a table on a terminal', async () => {
      const result = await runCli(['url', '--explain', url, '--no-color'], { env, tty: { stdout: true } });
      expect(result.stdout).toContain('│ step │ code');
      expect(result.stdout).toMatch(/│ 2 +│ rt +│ rotation +│ 90 +│ applied +│/);
      expect(result.stdout).not.toMatch(/\x1b\[/);
    });

    it('round-trips: the explained steps build the same URL again', async () => {
      const built = (await runCli(['url', '/a.jpg', '-t', 'height=300,width=400,effect_gray=-', '-t', 'rotation=90'], { env })).stdout.trim();
      const explained = JSON.parse((await runCli(['url', '--explain', built, '--json'], { env })).stdout);
      const steps: Record<number, string[]> = {};
      for (const p of explained.parameters) (steps[p.step] ??= []).push(`${p.name}=${p.value ?? '-'}`);
      const argv = ['url', '/a.jpg', ...Object.values(steps).flatMap((entries) => ['-t', entries.join(',')])];
      expect((await runCli(argv, { env })).stdout.trim()).toBe(built);
    });
  });

  it('shows help with examples and exits 0', async () => {
    const result = await runCli(['url', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: imagekit url [options] [path-or-url]');
    expect(result.stdout).toContain('--expire-at <unix-seconds>');
    expect(result.stdout).toContain('Examples:');
  });
});
