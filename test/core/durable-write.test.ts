// writeFileDurablySync: whole files or none, fresh modes, no writing through planted links, nothing
// left behind on failure; and, with a writer killed at random moments in a child process, no reader
// ever sees a partial file.
import { spawn } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileDurablySync } from '../../src/durable-write.js';
import { FileWriteError } from '../../src/errors.js';

const SECRET = 'private_durable_secret';
const modeOf = (path: string) => statSync(path).mode & 0o777;

let dir: string;
let umask: number;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'imagekit-durable-'));
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

describe('writeFileDurablySync', () => {
  it('writes the whole file and leaves nothing else in the folder', () => {
    const target = join(dir, 'manifest.json');
    writeFileDurablySync(target, '{"a":1}\n');
    writeFileDurablySync(target, Buffer.from('{"a":2}\n'));
    expect(readFileSync(target, 'utf8')).toBe('{"a":2}\n');
    expect(readdirSync(dir)).toEqual(['manifest.json']);
  });

  it('gives a secret file 0600 and any other 0644, whatever mode the file it replaces had', () => {
    const target = join(dir, '.imagekitrc.json');
    writeFileSync(target, '{}');
    chmodSync(target, 0o666);
    writeFileDurablySync(target, JSON.stringify({ privateKey: SECRET }), { secret: true });
    expect(modeOf(target)).toBe(0o600);
    chmodSync(target, 0o700);
    writeFileDurablySync(target, '{}');
    expect(modeOf(target)).toBe(0o644);
  });

  it('never writes through a link planted at the temporary name the old code used', () => {
    const target = join(dir, '.imagekitrc.json');
    const victim = join(dir, 'victim.txt');
    const planted = `${target}.${process.pid}.tmp`;
    writeFileSync(victim, 'untouched');
    symlinkSync(victim, planted);
    writeFileDurablySync(target, JSON.stringify({ privateKey: SECRET }), { secret: true });
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(lstatSync(planted).isSymbolicLink()).toBe(true);
    expect(readlinkSync(planted)).toBe(victim);
    expect(readFileSync(target, 'utf8')).toContain(SECRET);
  });

  it('replaces a link at the target itself instead of writing where it points', () => {
    const target = join(dir, 'state.json');
    const elsewhere = join(dir, 'elsewhere.json');
    writeFileSync(elsewhere, 'untouched');
    symlinkSync(elsewhere, target);
    writeFileDurablySync(target, 'new', { secret: true });
    expect(lstatSync(target).isFile()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(readFileSync(elsewhere, 'utf8')).toBe('untouched');
  });

  it('on failure leaves the target as it was, removes its temporary file, and names the path, not the data', () => {
    const folderInTheWay = join(dir, 'state.json');
    mkdirSync(folderInTheWay);
    writeFileSync(join(folderInTheWay, 'kept.txt'), 'kept');
    const error = (() => {
      try {
        writeFileDurablySync(folderInTheWay, SECRET, { secret: true });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(FileWriteError);
    expect((error as FileWriteError).message).toMatch(new RegExp(`^cannot write ${folderInTheWay}: E[A-Z]+$`));
    expect(String(error) + JSON.stringify(error) + (error as Error).stack).not.toContain(SECRET);
    expect(readdirSync(dir)).toEqual(['state.json']);
    expect(readFileSync(join(folderInTheWay, 'kept.txt'), 'utf8')).toBe('kept');

    expect(() => writeFileDurablySync(join(dir, 'no', 'such', 'folder.json'), 'x')).toThrow(`cannot write ${join(dir, 'no', 'such', 'folder.json')}: ENOENT`);
  });

  it('shows readers the old file or the new one, never a part, even when the writer is killed mid-way', async () => {
    const target = join(dir, 'index.json');
    const size = 1 << 20;
    const whole = [Buffer.alloc(size, 'a'), Buffer.alloc(size, 'b')];
    writeFileDurablySync(target, whole[0]!);
    // The built module (npm test builds it first), in a child process killed at a random moment, as a crash would.
    const built = new URL('../../dist/src/durable-write.js', import.meta.url).href;
    const script = `
      const { writeFileDurablySync } = await import(${JSON.stringify(built)});
      const whole = [Buffer.alloc(${size}, 'a'), Buffer.alloc(${size}, 'b')];
      for (let i = 1; ; i++) {
        writeFileDurablySync(${JSON.stringify(target)}, whole[i % 2]);
        if (i === 2) process.stdout.write('writing\\n');
      }`;
    const writer = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => writer.on('exit', resolve));
    const seen = new Set<number>();
    let reads = 0;
    try {
      await new Promise((resolve) => writer.stdout.once('data', resolve));
      const started = Date.now();
      while (Date.now() - started < 300 || (seen.size < 2 && Date.now() - started < 5000)) {
        const content = readFileSync(target);
        const which = whole.findIndex((w) => w.equals(content));
        expect(which).not.toBe(-1);
        seen.add(which);
        reads++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      writer.kill('SIGKILL');
      await exited;
    }
    expect(seen.size).toBe(2);
    expect(reads).toBeGreaterThan(10);
    expect(whole.some((w) => w.equals(readFileSync(target)))).toBe(true);
  });
});
