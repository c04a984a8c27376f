// `imagekit files download` against the emulator over real HTTP on 127.0.0.1.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ImageKitClient } from '../../src/client.js';
import { dirWith, runCli, type RunOptions } from '../helpers/cli.js';
import { emulatorWith, envFor, type Emulator } from '../helpers/emulator.js';

let emulator: Emulator;
let ids: Record<string, string>;
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
beforeAll(async () => {
  emulator = await emulatorWith();
  const client = new ImageKitClient({ privateKey: emulator.privateKey, baseUrl: emulator.url, uploadBaseUrl: emulator.url });
  ids = {};
  for (const [name, folder, bytes, isPrivateFile] of [
    ['a.txt', '/dl', Buffer.from('alpha'), false],
    ['b.bin', '/dl/sub', png, false],
    ['secret.txt', '/dl', Buffer.from('private bytes'), true],
    ['a.txt', '/other', Buffer.from('another a'), false],
  ] as const) {
    ids[`${folder}/${name}`] = (await client.upload({ bytes }, { fileName: name, folder, useUniqueFileName: false, isPrivateFile })).fileId;
  }
});
afterAll(() => emulator.close());

const download = (argv: string[], options: RunOptions = {}) => runCli(['files', 'download', ...argv], { env: envFor(emulator), now: () => Date.now(), ...options });

describe('imagekit files download', () => {
  it('fetches originals by path and by id into the current directory or a folder, byte for byte', async () => {
    const cwd = dirWith({ 'out/.keep': '' });
    const here = await download(['/dl/a.txt'], { cwd });
    expect(here.code).toBe(0);
    expect(here.stdout).toBe('downloaded\t/dl/a.txt\ta.txt\t5 B\n');
    expect(readFileSync(join(cwd, 'a.txt'), 'utf8')).toBe('alpha');
    const many = await download([ids['/dl/sub/b.bin']!, '/dl/secret.txt', '-o', 'out/', '--json'], { cwd });
    expect(many.code).toBe(0);
    expect(JSON.parse(many.stdout).map((o: { filePath: string; status: string }) => `${o.status} ${o.filePath}`)).toEqual(['downloaded out/b.bin', 'downloaded out/secret.txt']);
    expect(readFileSync(join(cwd, 'out/b.bin')).equals(png)).toBe(true);
    expect(readFileSync(join(cwd, 'out/secret.txt'), 'utf8')).toBe('private bytes'); // through a signed URL
    expect(readdirSync(join(cwd, 'out')).sort()).toEqual(['.keep', 'b.bin', 'secret.txt']);
  });

  it('writes one file to a named file, or to stdout with -o -', async () => {
    const cwd = dirWith({});
    expect((await download(['/dl/a.txt', '-o', 'renamed.txt'], { cwd })).code).toBe(0);
    expect(readFileSync(join(cwd, 'renamed.txt'), 'utf8')).toBe('alpha');
    const piped = await download(['/dl/secret.txt', '-o', '-'], { cwd });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe('private bytes');
  });

  it('names the files that fail and goes on: 5 when some fail, 4 when none exist', async () => {
    const cwd = dirWith({});
    const some = await download(['/dl/a.txt', '/dl/missing.txt'], { cwd });
    expect(some.code).toBe(5);
    expect(some.stderr).toMatch(/^error: \/dl\/missing\.txt: no file at \/dl\/missing\.txt/m);
    expect(some.stdout).toBe('downloaded\t/dl/a.txt\ta.txt\t5 B\nfailed\t/dl/missing.txt\t\t\n');
    expect((await download(['/nope.txt'], { cwd })).code).toBe(4);
  });

  it.each([
    [['/dl/a.txt', '/dl/sub/b.bin', '-o', '-'], /-o - writes one file to stdout/],
    [['/dl/a.txt', '/dl/sub/b.bin', '-o', 'one.txt'], /-o one\.txt names one file/],
    [['/dl/a.txt', '-o', 'no/such/dir/a.txt'], /-o: the folder .* does not exist/],
    [['/dl/a.txt', '-o', '-', '--json'], /--json cannot go with it/],
    [['/dl/a.txt', '/other/a.txt'], /would both be written to/],
  ])('refuses %j (exit 2), writing nothing', async (argv, message) => {
    const cwd = dirWith({});
    const result = await download(argv, { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(existsSync(join(cwd, 'a.txt'))).toBe(false);
  });
});
