import { createHmac } from 'node:crypto';
import { runCli } from '../helpers/cli.js';

const KEY = 'private_key_test';

describe('imagekit auth-params', () => {
  const env = { IMAGEKIT_PRIVATE_KEY: KEY };

  it('matches the SDKs\' vector with a fixed token and expiry', async () => {
    const result = await runCli(['auth-params', '--token', 'your_token', '--expire', '1582269249'], { env, now: 1582269249_000 - 600_000 });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ token: 'your_token', expire: 1582269249, signature: 'e71bcd6031016b060d349d212e23e85c791decdd' });
    expect(result.stderr).toBe('');
  });

  it('defaults to a UUID v4 token and 30 minutes from now', async () => {
    const now = 1_700_000_000_123;
    const result = await runCli(['auth-params', '--json'], { env, now });
    const params = JSON.parse(result.stdout);
    expect(params.token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(params.expire).toBe(1_700_000_000 + 1800);
    expect(params.signature).toBe(createHmac('sha1', KEY).update(params.token + params.expire).digest('hex'));
  });

  it('takes --expires-in from now', async () => {
    const result = await runCli(['auth-params', '--expires-in', '600', '--token', 't'], { env, now: 1_700_000_000_000 });
    expect(JSON.parse(result.stdout).expire).toBe(1_700_000_600);
  });

  it('shows a key/value list on a terminal and export lines with --env', async () => {
    const tty = await runCli(['auth-params', '--token', 't', '--expire', '1700000100', '--no-color'], { env, now: 1_700_000_000_000, tty: { stdout: true } });
    expect(tty.stdout).toMatch(/^token +t\nexpire +1700000100\nsignature +[0-9a-f]{40}\n$/);
    const shell = await runCli(['auth-params', '--token', "it's", '--expire', '1700000100', '--env'], { env, now: 1_700_000_000_000 });
    expect(shell.stdout).toMatch(/^export IMAGEKIT_TOKEN='it'\\''s'\nexport IMAGEKIT_EXPIRE=1700000100\nexport IMAGEKIT_SIGNATURE=[0-9a-f]{40}\n$/);
  });

  it('warns on stderr when the expiry is more than an hour ahead or already past', async () => {
    const ahead = await runCli(['auth-params', '--expires-in', '7200'], { env });
    expect(ahead.code).toBe(0);
    expect(ahead.stderr).toMatch(/^warning: expire is 7200 s ahead/);
    const past = await runCli(['auth-params', '--expire', '1000'], { env });
    expect(past.stderr).toMatch(/in the past/);
  });

  it('exits 3 without a private key, naming where to set it', async () => {
    const result = await runCli(['auth-params'], { env: {} });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/IMAGEKIT_PRIVATE_KEY.*privateKey/);
  });

  it('exits 2 for conflicting or bad expiry flags', async () => {
    expect((await runCli(['auth-params', '--expire', '5', '--expires-in', '5'], { env })).code).toBe(2);
    expect((await runCli(['auth-params', '--expires-in', '0'], { env })).code).toBe(2);
  });
});
