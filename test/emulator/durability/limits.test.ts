// Limits before work: an upload's credentials are checked before a byte of its file is written, and
// its fields and file are held to the plan's documented limits, with ImageKit's errors.
import { createHmac } from 'node:crypto';
import { readdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { startEmulator, UPLOAD_PLANS, type Emulator } from '../../../emulator/index.js';
import { temporaryFolder } from './temporary-folder.js';

const MB = 1024 * 1024;
let emulator: Emulator;
let blobs: string;
beforeAll(async () => {
  const dataDir = temporaryFolder('imagekit-limits-');
  blobs = join(dataDir, 'blobs');
  emulator = await startEmulator({ dataDir, plan: 'free' });
});
afterAll(() => emulator.close());

const auth = () => ({ authorization: `Basic ${Buffer.from(`${emulator.privateKey}:`).toString('base64')}` });

/** A multipart body streamed from parts (no part held whole in memory for long), and its content type. */
function multipart(parts: Array<{ name: string; value: string } | { name: string; filename: string; bytes: Iterable<Buffer> }>) {
  const boundary = 'limits-test-boundary';
  async function* body() {
    for (const part of parts) {
      if ('value' in part) yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`);
      else {
        yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\n\r\n`);
        yield* part.bytes;
        yield Buffer.from('\r\n');
      }
    }
    yield Buffer.from(`--${boundary}--\r\n`);
  }
  return { body: Readable.toWeb(Readable.from(body())) as ReadableStream, type: `multipart/form-data; boundary=${boundary}` };
}

/** `total` bytes in chunks of 1 MB, starting with `head`. */
function* bytesOf(total: number, head = Buffer.alloc(0)): Iterable<Buffer> {
  const chunk = Buffer.alloc(MB, 1);
  yield head;
  for (let sent = head.length; sent < total; sent += MB) yield chunk.subarray(0, Math.min(MB, total - sent));
}

async function send(parts: Parameters<typeof multipart>[0], headers: Record<string, string> = {}) {
  const { body, type } = multipart(parts);
  const response = await fetch(`${emulator.url}/api/v1/files/upload`, { method: 'POST', headers: { ...headers, 'content-type': type }, body, duplex: 'half' } as RequestInit);
  return { status: response.status, body: (await response.json()) as { message: string; help: string } };
}

/** Runs `action` while watching the blob folder; the names of files that appeared in it meanwhile. */
async function filesWrittenDuring(action: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const watcher = watch(blobs, (_event, name) => name && seen.push(name));
  try {
    await action();
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    watcher.close();
  }
  return seen;
}

describe('credentials before the file', () => {
  it('refuses an upload without any credentials, keeping none of its bytes', async () => {
    // The browser SDK may send the file before its signature fields (ImageKit takes any order), so a
    // form that has named no credentials by its file is written, within the plan's size limit, until
    // the form is read: then it is refused, and its bytes removed at once.
    const answer = await send([{ name: 'fileName', value: 'big.bin' }, { name: 'file', filename: 'big.bin', bytes: bytesOf(10 * MB) }]);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ message: 'Your request does not contain private API key.', help: expect.any(String) });
    expect(readdirSync(blobs)).toEqual([]);
  }, 20_000);

  it('checks signature fields sent before the file before writing a byte, and takes them after the file too', async () => {
    const token = `token-${Date.now()}`;
    const expire = String(Math.floor(Date.now() / 1000) + 600);
    const signedWith = (key: string, forToken = token) => [
      { name: 'token', value: forToken },
      { name: 'expire', value: expire },
      { name: 'signature', value: createHmac('sha1', key).update(forToken + expire).digest('hex') },
    ];
    const file = () => ({ name: 'file', filename: 'a.bin', bytes: bytesOf(MB) });
    const publicKey = { name: 'publicKey', value: emulator.publicKey };
    const written = await filesWrittenDuring(async () => {
      expect((await send([...signedWith('private_wrong'), { name: 'fileName', value: 'a.bin' }, file(), publicKey])).status).toBe(400);
    });
    expect(written).toEqual([]);
    // The browser SDK's order: the file first, the signature after it, the public key last.
    expect((await send([{ name: 'fileName', value: 'a.bin' }, file(), ...signedWith(emulator.privateKey), publicKey])).status).toBe(200);
    expect((await send([...signedWith(emulator.privateKey, `${token}-2`), { name: 'fileName', value: 'b.bin' }, file(), publicKey])).status).toBe(200);
  });

  it('refuses a wrong or empty private key before reading the body', async () => {
    const wrong = { authorization: `Basic ${Buffer.from('private_wrong:').toString('base64')}` };
    const file = () => [{ name: 'fileName', value: 'a.bin' }, { name: 'file', filename: 'a.bin', bytes: bytesOf(5 * MB) }];
    const written = await filesWrittenDuring(async () => {
      expect((await send(file(), wrong)).status).toBe(403);
      expect((await send(file(), { authorization: '' })).status).toBe(401);
    });
    expect(written).toEqual([]);
  });
});

describe('the plan limits', () => {
  it(`refuses a file past the free plan's ${UPLOAD_PLANS.free.file / MB} MB with ImageKit's error, keeping nothing`, async () => {
    const blobsBefore = readdirSync(blobs);
    const answer = await send([{ name: 'fileName', value: 'big.bin' }, { name: 'file', filename: 'big.bin', bytes: bytesOf(UPLOAD_PLANS.free.file + 1) }], auth());
    expect(answer).toEqual({ status: 400, body: { message: 'Your request contains invalid file parameter. The file size exceeds limits.', help: expect.any(String) } });
    expect(readdirSync(blobs)).toEqual(blobsBefore);
  });

  it("takes a video past that size, up to the plan's video limit", async () => {
    const mp4 = Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex');
    const blobsBefore = readdirSync(blobs).length;
    const answer = await send([{ name: 'fileName', value: 'clip.mp4' }, { name: 'file', filename: 'clip.mp4', bytes: bytesOf(UPLOAD_PLANS.free.file + MB, mp4) }], auth());
    expect(answer.status).toBe(200);
    expect(readdirSync(blobs)).toHaveLength(blobsBefore + 1);
  });

  it('refuses a field past its size, and a form of too many fields', async () => {
    const tags = await send([{ name: 'tags', value: 'x'.repeat(300 * 1024) }, { name: 'fileName', value: 'a.txt' }, { name: 'file', value: 'aGVsbG8=' }], auth());
    expect(tags).toEqual({ status: 400, body: { message: 'Your request contains invalid tags parameter. The field size exceeds limits.', help: expect.any(String) } });
    const many = Array.from({ length: 60 }, (_, i) => ({ name: `field${i}`, value: 'x' }));
    expect((await send([...many, { name: 'fileName', value: 'a.txt' }, { name: 'file', value: 'aGVsbG8=' }], auth())).status).toBe(400);
  });
});
