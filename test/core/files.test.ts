// Local sources for upload: the walk tells each entry it cannot upload (a name that is not UTF-8, a
// FIFO, a socket, a device, a broken link) and goes on, and a path that is not a regular file is named
// for what it is, before anything is sent.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageKitClient } from '../../src/client.js';
import { InvalidInputError } from '../../src/errors.js';
import { regularFileProblem, walkDirectory, type SkippedEntry } from '../../src/files.js';
import { startEmulator } from '../../emulator/index.js';

/** A name as raw bytes inside a folder: Node takes a Buffer path as the exact bytes. */
const rawPath = (dir: string, ...bytes: number[]) => Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(bytes)]);

let root: string;
let socketServer: Server;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'imagekit-files-'));
  writeFileSync(join(root, 'a.txt'), 'a');
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, 'sub', 'b.txt'), 'bb');
  writeFileSync(rawPath(root, 0x66, 0xff, 0x2e, 0x74, 0x78, 0x74), 'not UTF-8'); // f\xff.txt
  writeFileSync(rawPath(root, 0xc3, 0xa9, 0xe2, 0x82), 'a valid é, then the start of a € cut short');
  mkdirSync(rawPath(root, 0x62, 0xfe)); // b\xfe
  writeFileSync(Buffer.concat([rawPath(root, 0x62, 0xfe), Buffer.from('/inside.txt')]), 'in a folder not named in UTF-8');
  execFileSync('mkfifo', [join(root, 'pipe')]);
  execFileSync('mkfifo', [join(root, '.hidden-pipe')]);
  symlinkSync('/dev/null', join(root, 'null'));
  symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(join(root, 'socket'), resolve));
});
afterAll(async () => {
  await new Promise((resolve) => socketServer.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

function walk(options: { followSymlinks: boolean; maxDepth?: number }) {
  const skipped: SkippedEntry[] = [];
  const found = walkDirectory(root, { hidden: false, ...options }, (_path, _reason, entry) => skipped.push(entry));
  const byPath = (a: SkippedEntry, b: SkippedEntry) => (a.relativePath < b.relativePath ? -1 : 1);
  return { found: found.map((f) => [f.relativePath, f.size]), skipped: skipped.sort(byPath).map(({ relativePath, reason, isFolder }) => ({ relativePath, reason, isFolder })) };
}

describe('walkDirectory', () => {
  it('tells each entry it cannot upload and goes on with the rest', () => {
    expect(walk({ followSymlinks: true })).toEqual({
      found: [
        ['a.txt', 1],
        ['sub/b.txt', 2],
      ],
      skipped: [
        { relativePath: 'b\\xfe', reason: 'its name is not valid UTF-8', isFolder: true },
        { relativePath: 'dangling', reason: 'a broken symbolic link', isFolder: false },
        { relativePath: 'f\\xff.txt', reason: 'its name is not valid UTF-8', isFolder: false },
        { relativePath: 'null', reason: 'a character device, not a regular file', isFolder: false },
        { relativePath: 'pipe', reason: 'a FIFO, not a regular file', isFolder: false },
        { relativePath: 'socket', reason: 'a socket, not a regular file', isFolder: false },
        { relativePath: 'é\\xe2\\x82', reason: 'its name is not valid UTF-8', isFolder: false },
      ],
    });
  });

  it('leaves links out silently when not following them, and folders it would not enter', () => {
    expect(walk({ followSymlinks: false, maxDepth: 1 }).skipped.map((s) => s.relativePath)).toEqual(['f\\xff.txt', 'pipe', 'socket', 'é\\xe2\\x82']);
  });

  it('still takes a callback of a path and a reason, as upload does, with the absolute path', () => {
    const told: string[] = [];
    walkDirectory(root, { hidden: false, followSymlinks: false, maxDepth: 1 }, (path, reason) => told.push(`${path}: ${reason}`));
    expect(told).toContain(`${join(root, 'pipe')}: a FIFO, not a regular file`);
    expect(told).toContain(`${join(root, 'f\\xff.txt')}: its name is not valid UTF-8`);
  });
});

describe('regularFileProblem', () => {
  it('names what a path is when it is not a regular file', () => {
    expect(regularFileProblem(join(root, 'a.txt'))).toBeUndefined();
    expect(regularFileProblem(join(root, 'pipe'), 'x')).toBe('x is a FIFO, not a regular file');
    expect(regularFileProblem(join(root, 'socket'), 'x')).toBe('x is a socket, not a regular file');
    expect(regularFileProblem(join(root, 'null'), 'x')).toBe('x is a character device, not a regular file');
    expect(regularFileProblem(join(root, 'sub'), 'x')).toBe('x is a folder, not a regular file');
    expect(regularFileProblem(join(root, 'dangling'), 'x')).toBe('x does not exist');
    expect(regularFileProblem(join(root, 'pipe'))).toBe(`${join(root, 'pipe')} is a FIFO, not a regular file`);
  });

  it('keeps the client from uploading a FIFO, before anything is sent', async () => {
    const emulator = await startEmulator();
    try {
      const client = new ImageKitClient({ privateKey: emulator.privateKey, baseUrl: emulator.url, uploadBaseUrl: emulator.url });
      const error = await client.upload({ path: join(root, 'pipe') }, { fileName: 'pipe' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as Error).message).toBe(`${join(root, 'pipe')} is a FIFO, not a regular file`);
      expect(emulator.requests).toHaveLength(0);
    } finally {
      await emulator.close();
    }
  });
});
