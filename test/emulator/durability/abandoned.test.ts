// Uploads whose client goes away mid-file: each one's file is closed and its partial blob removed,
// so that 200 of them leave the emulator process's descriptors and its blob folder as they were.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { eventually, openDescriptors, spawnEmulator } from './emulator-process.js';
import { temporaryFolder } from './temporary-folder.js';

const DROPPED = 200;
const AT_ONCE = 50;

/** Sends the start of a 10 MB upload, with a part of its file, over a raw connection left open. */
function startUpload(port: number, authorization: string): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      const boundary = randomBytes(8).toString('hex');
      const form = `--${boundary}\r\nContent-Disposition: form-data; name="fileName"\r\n\r\ndropped.bin\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="dropped.bin"\r\n\r\n`;
      socket.write(
        `POST /api/v1/files/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${authorization}\r\n` +
          `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n${form}`,
      );
      socket.write(Buffer.alloc(256 * 1024, 7), () => resolve(socket));
    });
  });
}

describe('abandoned uploads', () => {
  it(`leave no descriptor and no byte behind: ${DROPPED} dropped mid-file`, async () => {
    const dataDir = temporaryFolder('imagekit-dropped-');
    const blobs = join(dataDir, 'blobs');
    const emulator = await spawnEmulator(['--data', dataDir]);
    try {
      // One whole upload first, so that what is loaded once (the multipart parser) is loaded.
      const form = new FormData();
      form.append('fileName', 'kept.bin');
      form.append('file', new Blob([Buffer.from('kept')]), 'kept.bin');
      expect((await fetch(`${emulator.url}/api/v1/files/upload`, { method: 'POST', headers: emulator.auth, body: form })).status).toBe(200);
      const blobsBefore = readdirSync(blobs);
      const descriptorsBefore = openDescriptors(emulator.pid);

      const port = Number(new URL(emulator.url).port);
      for (let dropped = 0; dropped < DROPPED; dropped += AT_ONCE) {
        const sockets = await Promise.all(Array.from({ length: AT_ONCE }, () => startUpload(port, emulator.auth.authorization)));
        // Dropped once every one of them is being written to disk.
        expect(await eventually(() => readdirSync(blobs).length === blobsBefore.length + AT_ONCE)).toBe(true);
        for (const socket of sockets) socket.destroy();
      }

      expect(await eventually(() => readdirSync(blobs).length === blobsBefore.length)).toBe(true);
      expect(readdirSync(blobs)).toEqual(blobsBefore);
      expect(await eventually(() => openDescriptors(emulator.pid) <= descriptorsBefore)).toBe(true);
    } finally {
      emulator.child.kill('SIGTERM');
      await emulator.exited;
    }
  }, 30_000);
});
