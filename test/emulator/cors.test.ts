// CORS over plain HTTP, as a browser would meet it: the upload API's preflights and answers, delivery
// readable from any origin, and none of it on the private-key API. The browser itself is in browser/.
import { getAuthenticationParameters } from '../../src/auth.js';
import { emulatorWith, useEmulator } from '../helpers/emulator.js';
import { testImage } from '../helpers/images.js';

const PAGE_ORIGIN = 'http://127.0.0.1:9';
const running = useEmulator();
const handle = () => running.emulator;

/** A preflight as Chromium sends it before a cross-origin request it may not send plainly. */
const preflight = (url: string, method: string, headers = '') =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin: PAGE_ORIGIN, 'access-control-request-method': method, ...(headers ? { 'access-control-request-headers': headers } : {}) },
  });

/** A client-side upload's form, signed with fresh auth params unless others are given. */
function signedForm(params = getAuthenticationParameters({ privateKey: handle().privateKey }), fileName = 'from-page.txt'): FormData {
  const form = new FormData();
  form.set('file', new Blob(['hello from a page']), fileName);
  form.set('fileName', fileName);
  form.set('publicKey', handle().publicKey);
  for (const [key, value] of Object.entries(params)) form.set(key, String(value));
  return form;
}

const uploadUrl = () => `${handle().url}/api/v1/files/upload`;

describe('the upload API', () => {
  it('answers a preflight with 204, any origin, POST, the headers asked for but Authorization, and records nothing', async () => {
    const before = handle().requests.length;
    const response = await preflight(uploadUrl(), 'POST', 'X-Upload-Note, Authorization');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('x-upload-note');
    expect(response.headers.get('access-control-max-age')).toBe('86400');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(await response.text()).toBe('');
    expect((await preflight(`${handle().url}/api/v2/files/upload`, 'POST')).status).toBe(204);
    expect(handle().requests.length).toBe(before);
  });

  it('answers a signed upload, and its refusals, with the headers a page needs to read them', async () => {
    const params = getAuthenticationParameters({ privateKey: handle().privateKey });
    const stored = await fetch(uploadUrl(), { method: 'POST', headers: { origin: PAGE_ORIGIN }, body: signedForm(params) });
    expect(stored.status).toBe(200);
    expect(stored.headers.get('access-control-allow-origin')).toBe('*');
    expect(stored.headers.get('access-control-expose-headers')).toBe('x-ik-requestid');
    const reused = await fetch(uploadUrl(), { method: 'POST', headers: { origin: PAGE_ORIGIN }, body: signedForm(params) });
    expect(reused.status).toBe(400);
    expect(reused.headers.get('access-control-allow-origin')).toBe('*');
    expect(((await reused.json()) as { message: string }).message).toMatch(/token has already been used/);
  });

  it('keeps the headers on an injected fault, so that a page sees the 500 or 503 instead of a network error', async () => {
    const faulty = await emulatorWith({ failRate: 1 });
    try {
      const response = await fetch(`${faulty.url}/api/v1/files/upload`, { method: 'POST', headers: { origin: PAGE_ORIGIN }, body: new FormData() });
      expect([500, 503]).toContain(response.status);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(faulty.requests.at(-1)).toMatchObject({ status: response.status, fault: 'error' });
    } finally {
      await faulty.close();
    }
  });
});

describe('delivery', () => {
  it('lets any origin read a delivered file, and the emulator\'s own headers about it', async () => {
    await running.client.upload({ bytes: await testImage() }, { fileName: 'cors.png', useUniqueFileName: false });
    const response = await fetch(`${handle().urlEndpoint}/tr:w-20/cors.png`, { headers: { origin: PAGE_ORIGIN } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')).toBe('x-ik-requestid, x-emulator-skipped, x-emulator-cache');
    const missing = await fetch(`${handle().urlEndpoint}/missing.png`, { headers: { origin: PAGE_ORIGIN } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers a preflight with GET and HEAD', async () => {
    const response = await preflight(`${handle().urlEndpoint}/cors.png`, 'GET', 'range');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('range');
  });
});

describe('the private-key API', () => {
  it('has no CORS: its preflight meets the API (401 without a key), and no answer allows an origin', async () => {
    const refused = await preflight(`${handle().url}/v1/files`, 'GET', 'authorization');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const auth = `Basic ${Buffer.from(`${handle().privateKey}:`).toString('base64')}`;
    const listed = await fetch(`${handle().url}/v1/files`, { headers: { origin: PAGE_ORIGIN, authorization: auth } });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the request log', () => {
  it('names the fault injected instead of an answer', async () => {
    const limited = await emulatorWith({ rateLimit: { limit: 1, intervalMs: 60_000 }, privateKey: 'private_faults' });
    const dropping = await emulatorWith({ resetRate: 1 });
    try {
      const auth = { authorization: `Basic ${Buffer.from('private_faults:').toString('base64')}` };
      await fetch(`${limited.url}/v1/files`, { headers: auth });
      await fetch(`${limited.url}/v1/files`, { headers: auth });
      expect(limited.requests.map((r) => [r.status, r.fault])).toEqual([[200, undefined], [429, 'rate limit']]);
      await expect(fetch(`${dropping.url}/v1/files`)).rejects.toThrow();
      expect(dropping.requests.map((r) => [r.status, r.fault])).toEqual([[0, 'reset']]);
    } finally {
      await Promise.all([limited.close(), dropping.close()]);
    }
  });
});
