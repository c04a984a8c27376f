// A client-side upload without its token is refused with the API's message, over real HTTP.
import { createHmac } from 'node:crypto';
import { useEmulator } from '../helpers/emulator.js';

const ik = useEmulator();

it('refuses a client-side upload that has a signature but no token', async () => {
  const expire = String(Math.floor(Date.now() / 1000) + 600);
  const form = new FormData();
  form.append('fileName', 'a.txt');
  form.append('expire', expire);
  form.append('signature', createHmac('sha1', ik.emulator.privateKey).update(expire).digest('hex'));
  form.append('publicKey', ik.emulator.publicKey);
  form.append('file', new Blob(['x']), 'a.txt');
  const response = await fetch(`${ik.emulator.url}/api/v1/files/upload`, { method: 'POST', body: form });
  expect(response.status).toBe(400);
  expect(((await response.json()) as { message: string }).message).toBe('Your request is missing token parameter.');
});
