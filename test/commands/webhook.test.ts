// `imagekit webhook verify`, witnessed by the official SDK: for each request, the CLI must call it
// valid (exit 0) exactly when @imagekit/nodejs `webhooks.unwrap` accepts it, invalid (1) when the
// SDK refuses the signature or its age, and malformed (2) when the SDK cannot read it. Requests are
// signed with `standardwebhooks`, the library the SDK verifies with.
import ImageKit from '@imagekit/nodejs';
import { Webhook } from 'standardwebhooks';
import { dirWith, runCli } from '../helpers/cli.js';

const SECRET = 'whsec_c2VjcmV0LWZvci10ZXN0cw==';
const sdk = new ImageKit({ privateKey: 'private_webhook_test' });
const EVENT = { id: 'evt_1', type: 'file.created', created_at: '2025-03-10T12:00:00.000Z', data: { fileId: 'f1', name: 'a.jpg' } };
const BODY = JSON.stringify(EVENT);

/** Signs as ImageKit does: the HMAC key is the secret's own bytes (the SDK base64-encodes it for standardwebhooks). */
const sign = (body: string, id: string, seconds: number, secret = SECRET) => new Webhook(Buffer.from(secret).toString('base64')).sign(id, new Date(seconds * 1000), body);

type Request = { body: string; headers: Record<string, string> };
const signed = (body = BODY, ageSeconds = 0, secret = SECRET): Request => {
  const timestamp = Math.floor(Date.now() / 1000) - ageSeconds;
  return { body, headers: { 'webhook-id': 'msg_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': sign(body, 'msg_1', timestamp, secret) } };
};

/** What the SDK makes of a request: valid, invalid (a verification error) or malformed (anything else it throws). */
function sdkVerdict({ body, headers }: Request): 'valid' | 'invalid' | 'malformed' {
  try {
    sdk.webhooks.unwrap(body, { headers, key: SECRET });
    return 'valid';
  } catch (error) {
    const message = (error as Error).message;
    return /No matching signature|timestamp too (old|new)/.test(message) ? 'invalid' : 'malformed';
  }
}

const verify = ({ body, headers }: Request, extra: string[] = []) =>
  runCli(['webhook', 'verify', '--secret-env', 'WH_SECRET', ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]), ...extra], {
    env: { WH_SECRET: SECRET },
    stdin: body,
    now: () => Date.now(),
  });

const EXIT = { valid: 0, invalid: 1, malformed: 2 };

describe('imagekit webhook verify, with the SDK as witness', () => {
  const valid = signed();
  const cases: Array<[string, Request]> = [
    ['a valid request', valid],
    ['several signatures, one of them valid', { ...valid, headers: { ...valid.headers, 'webhook-signature': `v1,AAAA ${valid.headers['webhook-signature']}` } }],
    ['headers written in capitals', { ...valid, headers: Object.fromEntries(Object.entries(valid.headers).map(([k, v]) => [k.toUpperCase(), v])) }],
    ['another secret', signed(BODY, 0, 'whsec_other')],
    ['a body changed after signing', { ...valid, body: BODY.replace('a.jpg', 'b.jpg') }],
    ['a v2 signature only', { ...valid, headers: { ...valid.headers, 'webhook-signature': valid.headers['webhook-signature']!.replace('v1,', 'v2,') } }],
    ['a timestamp ten minutes old', signed(BODY, 600)],
    ['a timestamp ten minutes ahead', signed(BODY, -600)],
    ['no signature header', { ...valid, headers: { 'webhook-id': 'msg_1', 'webhook-timestamp': valid.headers['webhook-timestamp']! } }],
    ['a timestamp that is no number', { ...valid, headers: { ...valid.headers, 'webhook-timestamp': 'yesterday' } }],
    ['a signed body that is no JSON', signed('not json')],
  ];

  it.each(cases)('agrees with the SDK on %s', async (_, request) => {
    const expected = sdkVerdict(request);
    const result = await verify(request, ['--json']);
    expect(result.code).toBe(EXIT[expected]);
    if (expected === 'valid') expect(JSON.parse(result.stdout)).toEqual({ valid: true, event: EVENT });
    if (expected === 'invalid') expect(JSON.parse(result.stdout)).toEqual({ valid: false, reason: expect.any(String) });
  });

  it('covers each verdict at least once', () => {
    expect(new Set(cases.map(([, request]) => sdkVerdict(request)))).toEqual(new Set(['valid', 'invalid', 'malformed']));
  });

  it('reads the body from a file, and says what it found on a terminal or in a pipe', async () => {
    const request = signed();
    const dir = dirWith({ 'event.json': request.body });
    const fromFile = await runCli(
      ['webhook', 'verify', '--secret-env', 'WH_SECRET', '--body', '@event.json', ...Object.entries(request.headers).flatMap(([name, value]) => ['--header', `${name}: ${value}`])],
      { env: { WH_SECRET: SECRET }, cwd: dir, now: () => Date.now() },
    );
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toMatch(/^valid\ttrue$/m);
    expect(fromFile.stdout).toMatch(/^type\tfile\.created$/m);
    expect(fromFile.stdout).toContain(`event\t${BODY}`);
    const invalid = await verify(signed(BODY, 0, 'whsec_other'));
    expect(invalid).toMatchObject({ code: 1, stderr: expect.stringMatching(/invalid webhook signature: no matching signature/) });
    expect(invalid.stdout).toMatch(/^valid\tfalse$/m);
  });

  it('refuses to run without the secret or with malformed flags', async () => {
    const request = signed();
    expect((await runCli(['webhook', 'verify', '--secret-env', 'NOT_SET', '-H', 'webhook-id: x'], { stdin: request.body })).stderr).toMatch(/NOT_SET is not set/);
    expect((await runCli(['webhook', 'verify', '--secret-env', 'WH_SECRET', '-H', 'no colon'], { env: { WH_SECRET: SECRET } })).code).toBe(2);
    expect((await runCli(['webhook', 'verify', '-H', 'webhook-id: x'])).code).toBe(2);
  });
});
