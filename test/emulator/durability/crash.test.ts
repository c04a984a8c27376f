// A kill -9 of the emulator process in the middle of concurrent uploads, then a restart on the same
// data folder: every upload that was answered 200 is listed and delivers its bytes, and no blob is
// left that no file refers to. Killed at several moments, for the journal's every state.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnEmulator, type EmulatorProcess } from './emulator-process.js';
import { temporaryFolder } from './temporary-folder.js';

const CONCURRENCY = 16;

function upload(emulator: EmulatorProcess, name: string, bytes: Buffer): Promise<Response> {
  const form = new FormData();
  form.append('fileName', name);
  form.append('folder', '/crash');
  form.append('useUniqueFileName', 'false');
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  return fetch(`${emulator.url}/api/v1/files/upload`, { method: 'POST', headers: emulator.auth, body: form });
}

describe('a kill -9 in the middle of concurrent uploads', () => {
  it.each([1, 12, 40])('loses no upload answered 200, and leaves no blob unreferenced (killed after %i answers)', async (killAfter) => {
    const dataDir = temporaryFolder('imagekit-crash-');
    const first = await spawnEmulator(['--data', dataDir]);
    const acknowledged = new Map<string, Buffer>();
    let killed = false;
    let next = 0;
    const uploader = async () => {
      while (!killed) {
        const name = `f${next++}.bin`;
        const bytes = randomBytes(1000 + next * 7);
        const response = await upload(first, name, bytes).catch(() => undefined);
        if (response?.status !== 200) continue;
        acknowledged.set(name, bytes);
        // Killed as an answer arrives, with the other uploads still on their way.
        if (acknowledged.size >= killAfter && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, uploader));
    await first.exited;

    const second = await spawnEmulator(['--data', dataDir]);
    try {
      const listed = (await (await fetch(`${second.url}/v1/files?path=/crash&limit=1000`, { headers: second.auth })).json()) as Array<{ name: string }>;
      const names = new Set(listed.map((file) => file.name));
      expect([...acknowledged.keys()].filter((name) => !names.has(name))).toEqual([]);
      for (const [name, bytes] of acknowledged) {
        const delivered = Buffer.from(await (await fetch(`${second.urlEndpoint}/crash/${name}`)).arrayBuffer());
        expect(delivered.equals(bytes)).toBe(true);
      }
      // Each file has one version, so one blob: any more would be bytes no record refers to.
      expect(readdirSync(join(dataDir, 'blobs'))).toHaveLength(listed.length);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 30_000);
});
