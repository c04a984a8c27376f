// `imagekit files` and `metadata` against the emulator over real HTTP on 127.0.0.1.
import { main } from '../../commands/cli/main.js';
import { ImageKitClient, type UploadResult } from '../../src/client.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { fakeIO, runCli, type RunOptions } from '../helpers/cli.js';
import { testImage } from '../helpers/images.js';

let emulator: Emulator;
let env: Record<string, string>;
let client: ImageKitClient;
beforeAll(async () => {
  emulator = await startEmulator();
  env = { IMAGEKIT_BASE_URL: emulator.url, IMAGEKIT_PRIVATE_KEY: emulator.privateKey, IMAGEKIT_URL_ENDPOINT: emulator.urlEndpoint };
  client = new ImageKitClient({ privateKey: emulator.privateKey, baseUrl: emulator.url, uploadBaseUrl: emulator.url, concurrency: 16 });
});
afterAll(() => emulator.close());

const run = (argv: string[], options: RunOptions = {}) => runCli(argv, { env, ...options });
const put = (folder: string, name: string, bytes: Buffer = Buffer.from(name), extra = {}): Promise<UploadResult> =>
  client.upload({ bytes }, { fileName: name, folder, useUniqueFileName: false, ...extra });
const mutations = () => emulator.requests.filter((r) => r.method !== 'GET').length;

describe('imagekit files ls', () => {
  beforeAll(async () => {
    await put('/ls', 'a.txt', Buffer.from('aaaa'), { tags: ['x'] });
    await put('/ls', 'b.png', await testImage());
    await put('/ls/sub', 'c.txt');
  });

  it('lists a folder as TSV when piped, and as a table on a terminal', async () => {
    const piped = await run(['files', 'ls', '/ls', '--sort', 'ASC_NAME']);
    expect(piped.code).toBe(0);
    const rows = piped.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(rows.map((r) => r.slice(0, 4))).toEqual([
      ['a.txt', '/ls/a.txt', 'file', '4 B'],
      ['b.png', '/ls/b.png', 'file', expect.stringMatching(/ (B|KB)$/)],
    ]);
    const table = await run(['files', 'ls', '/ls', '--type', 'all', '--no-color'], { tty: { stdout: true } });
    expect(table.stdout).toMatch(/│ name +│ path +│ type +│ size +│ createdAt +│ fileId +│/);
    expect(table.stdout).toMatch(/│ sub +│ \/ls\/sub +│ folder/);
  });

  it('chooses columns or JSON keys with --fields, and names the valid ones for a typo', async () => {
    const result = await run(['files', 'ls', '/ls', '--fields', 'name,size,tags', '--json', '--sort', 'ASC_NAME']);
    expect(JSON.parse(result.stdout)).toEqual([
      { name: 'a.txt', size: 4, tags: ['x'] },
      { name: 'b.png', size: expect.any(Number), tags: null },
    ]);
    const typo = await run(['files', 'ls', '--fields', 'name,sise']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown field\(s\) sise; the fields are: name, path, type, size/);
  });

  it('searches with --query and filters with --tags and --file-type', async () => {
    expect((await run(['files', 'ls', '--query', 'name = "a.txt"', '--fields', 'path'])).stdout).toBe('/ls/a.txt\n');
    expect((await run(['files', 'ls', '/ls', '--tags', 'x', '--fields', 'name'])).stdout).toBe('a.txt\n');
    expect((await run(['files', 'ls', '/ls', '--file-type', 'image', '--fields', 'name'])).stdout).toBe('b.png\n');
    const bad = await run(['files', 'ls', '--query', 'size >']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/position 7/);
  });

  it('pages past 1000 with --all, and streams --ndjson: the first line before the last page is asked for', async () => {
    await Promise.all(Array.from({ length: 2500 }, (_, i) => put('/big', `f${String(i).padStart(4, '0')}.txt`)));
    const all = await run(['files', 'ls', '/big', '--all', '--fields', 'name']);
    expect(all.stdout.trim().split('\n')).toHaveLength(2500);
    expect((await run(['files', 'ls', '/big', '--limit', '1500', '--fields', 'name'])).stdout.trim().split('\n')).toHaveLength(1500);
    expect((await run(['files', 'ls', '/big', '--fields', 'name'])).stdout.trim().split('\n')).toHaveLength(1000);

    const listCalls = () => emulator.requests.filter((r) => r.path === '/v1/files' && r.query.path === '/big').length;
    const before = listCalls();
    let callsAtFirstLine = -1;
    let lines = 0;
    const { io } = fakeIO({ env });
    io.stdout = {
      write: (chunk: string) => {
        if (callsAtFirstLine < 0) callsAtFirstLine = listCalls() - before;
        lines += chunk.split('\n').length - 1;
      },
    };
    expect(await main(['files', 'ls', '/big', '--all', '--ndjson', '--fields', 'name,path'], io)).toBe(0);
    expect(lines).toBe(2500);
    expect(listCalls() - before).toBe(3);
    expect(callsAtFirstLine).toBe(1);
  }, 60_000);
});

describe('one file, by id or by path', () => {
  let file: UploadResult;
  beforeAll(async () => {
    file = await put('/one', 'shoe.png', await testImage({ seed: 3 }), { tags: ['red'] });
  });

  it('gets details either way', async () => {
    const byPath = JSON.parse((await run(['files', 'get', '/one/shoe.png', '--json'])).stdout);
    const byId = JSON.parse((await run(['files', 'get', file.fileId, '--json'])).stdout);
    expect(byPath).toEqual(byId);
    expect(byPath).toMatchObject({ fileId: file.fileId, filePath: '/one/shoe.png', tags: ['red'] });
    const view = await run(['files', 'get', '/one/shoe.png']);
    expect(view.stdout).toMatch(/^fileId\t[0-9a-f]{24}\nname\tshoe\.png\n/);
  });

  it('exits 4 for a path or id that names no file', async () => {
    const missingPath = await run(['files', 'get', '/one/nope.png']);
    expect(missingPath.code).toBe(4);
    expect(missingPath.stderr).toBe('error: no file at /one/nope.png\n');
    expect((await run(['files', 'get', '000000000000000000000000'])).code).toBe(4);
    expect((await run(['files', 'versions', '/one/nope.png'])).code).toBe(4);
    expect((await run(['files', 'metadata', '000000000000000000000000'])).code).toBe(4);
  });

  it('updates tags, coordinates and typed custom metadata, and refuses publish mixed with other changes', async () => {
    await client.createCustomMetadataField({ name: 'price', label: 'Price', schema: { type: 'Number' } });
    const updated = await run(['files', 'update', '/one/shoe.png', '--tags', 'sale,summer', '--custom-coordinates', '1,2,3,4', '--meta', 'price=49.5', '--json']);
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.stdout)).toMatchObject({ tags: ['sale', 'summer'], customCoordinates: '1,2,3,4', customMetadata: { price: 49.5 } });
    expect(emulator.requests.at(-1)!.body).toEqual({ tags: ['sale', 'summer'], customCoordinates: '1,2,3,4', customMetadata: { price: 49.5 } });
    const before = mutations();
    const mixed = await run(['files', 'update', '/one/shoe.png', '--publish', 'false', '--tags', 'x']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/--publish cannot be combined/);
    expect(mutations()).toBe(before);
    const published = await run(['files', 'update', file.fileId, '--publish', 'false', '--include-versions', '--json']);
    expect(JSON.parse(published.stdout).isPublished).toBe(false);
    expect(emulator.requests.at(-1)!.body).toEqual({ publish: { isPublished: false, includeFileVersions: true } });
    await run(['files', 'update', file.fileId, '--publish', 'true']);
    expect((await run(['files', 'update', file.fileId, '--meta', 'nope=1'])).code).toBe(2);
    expect((await run(['files', 'update', file.fileId])).code).toBe(2);
  });

  it('lists, shows, restores and deletes versions', async () => {
    await put('/one', 'shoe.png', await testImage({ seed: 4 }));
    const versions = JSON.parse((await run(['files', 'versions', '/one/shoe.png', '--json'])).stdout);
    expect(versions).toHaveLength(2);
    const old = versions.find((v: { type: string }) => v.type === 'file-version');
    expect(JSON.parse((await run(['files', 'version', '/one/shoe.png', old.versionInfo.id, '--json'])).stdout).type).toBe('file-version');
    const restored = await run(['files', 'restore', '/one/shoe.png', old.versionInfo.id, '--json']);
    expect(JSON.parse(restored.stdout).versionInfo.id).toBe(old.versionInfo.id);
    const other = JSON.parse((await run(['files', 'versions', file.fileId, '--json'])).stdout).find((v: { type: string }) => v.type === 'file-version');
    expect((await run(['files', 'rm-version', file.fileId, other.versionInfo.id])).code).toBe(2); // no terminal, no --yes
    expect((await run(['files', 'rm-version', file.fileId, other.versionInfo.id, '--yes'])).code).toBe(0);
    expect((await run(['files', 'rm-version', file.fileId, old.versionInfo.id, '--yes'])).code).toBe(1); // the current version: 400
  });

  it('copies, moves and renames, printing the purge request id', async () => {
    await put('/mv', 'doc.txt');
    expect((await run(['files', 'cp', '/mv/doc.txt', '/mv/copies'])).code).toBe(0);
    // One file is moved without asking, as one is copied (the contract asks for moving many).
    expect((await run(['files', 'mv', '/mv/doc.txt', '/mv/moved'])).code).toBe(0);
    expect((await run(['files', 'rename', '/mv/moved/doc.txt', 'report.txt', '--purge'])).code).toBe(2); // a wildcard purge: asks first
    const renamed = await run(['files', 'rename', '/mv/moved/doc.txt', 'report.txt', '--purge', '--yes', '--json']);
    expect(JSON.parse(renamed.stdout)).toEqual({
      source: '/mv/moved/doc.txt',
      newName: 'report.txt',
      filePath: '/mv/moved/report.txt',
      purgeRequestId: expect.stringMatching(/^[0-9a-f]{24}$/),
    });
    const spaced = await run(['files', 'rename', '/mv/moved/report.txt', 'final report.txt', '--dry-run', '--json']);
    expect(JSON.parse(spaced.stdout)).toMatchObject({ newName: 'final_report.txt', filePath: '/mv/moved/final_report.txt', renamed: false });
    const before = mutations();
    expect(JSON.parse((await run(['files', 'mv', '/mv/moved/report.txt', '/x', '--dry-run', '--json'])).stdout)).toMatchObject({ moved: false, dryRun: true });
    expect(mutations()).toBe(before);
    expect((await client.listFiles({ path: '/mv/moved' })).map((f) => f.name)).toEqual(['report.txt']);
    expect((await client.listFiles({ path: '/mv/copies' })).map((f) => f.name)).toEqual(['doc.txt']);
    await put('/mv/moved', 'taken.txt');
    expect((await run(['files', 'rename', '/mv/moved/report.txt', 'taken.txt'])).code).toBe(1); // 409
  });

  it('shows metadata of a file and of a URL', async () => {
    const meta = JSON.parse((await run(['files', 'metadata', '/one/shoe.png', '--json'])).stdout);
    expect(meta).toMatchObject({ width: 64, height: 48, format: 'png', pHash: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const fromUrl = JSON.parse((await run(['metadata', `${emulator.urlEndpoint}/one/shoe.png`, '--json'])).stdout);
    expect(fromUrl.pHash).toBe(meta.pHash);
    expect((await run(['metadata', 'one/shoe.png'])).code).toBe(2);
  });
});

describe('bulk calls', () => {
  it('tags many files, reporting partial success per file (exit 5)', async () => {
    const a = await put('/bulk', 'a.txt');
    await put('/bulk', 'b.txt');
    const result = await run(['files', 'tag', a.fileId, '/bulk/b.txt', '000000000000000000000000', '--add', 'new', '--json']);
    expect(result.code).toBe(5);
    expect(JSON.parse(result.stdout).map((o: { status: string }) => o.status)).toEqual(['done', 'done', 'failed']);
    expect(result.stderr).toMatch(/^error: 000000000000000000000000: The requested file does not exist\./m);
    expect((await client.getFileDetails(a.fileId)).tags).toEqual(['new']);
    expect((await run(['files', 'tag', '/bulk/a.txt', '--add', 'x', '--remove', 'new'])).code).toBe(0);
    expect((await client.getFileDetails(a.fileId)).tags).toEqual(['x']);
    expect((await run(['files', 'untag-ai', '/bulk/a.txt', '--tags', 'car'])).code).toBe(0);
    expect((await run(['files', 'tag', '/bulk/none.txt', '000000000000000000000001', '--add', 'x'])).code).toBe(4);
    expect((await run(['files', 'tag', '/bulk/a.txt'])).code).toBe(2);
  });

  it('splits tags into chunks of 50 and deletes in chunks of 100', async () => {
    const many = await Promise.all(Array.from({ length: 120 }, (_, i) => put('/chunks', `c${i}.txt`)));
    const ids = many.map((f) => f.fileId);
    const before = emulator.requests.length;
    expect((await run(['files', 'tag', ...ids, '--add', 'bulk'])).code).toBe(0);
    expect(emulator.requests.slice(before).filter((r) => r.path === '/v1/files/addTags').map((r) => (r.body as { fileIds: string[] }).fileIds.length)).toEqual([50, 50, 20]);
    const deleteStart = emulator.requests.length;
    expect((await run(['files', 'rm', ...ids, '--yes'])).code).toBe(0);
    expect(emulator.requests.slice(deleteStart).filter((r) => r.path === '/v1/files/batch/deleteByFileIds').map((r) => (r.body as { fileIds: string[] }).fileIds.length)).toEqual([100, 20]);
  });

  it('deletes only after confirmation, and --dry-run sends nothing', async () => {
    const doomed = await put('/rm', 'x.txt');
    const before = mutations();
    const refused = await run(['files', 'rm', '/rm/x.txt']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refusing without confirmation; pass --yes/);
    const dry = await run(['files', 'rm', '/rm/x.txt', '--dry-run', '--json']);
    expect(JSON.parse(dry.stdout)).toEqual([{ file: '/rm/x.txt', fileId: doomed.fileId, status: 'planned' }]);
    expect(mutations()).toBe(before);
    const asked = await run(['files', 'rm', '/rm/x.txt', '/rm/missing.txt'], { tty: { stdin: true, stderr: true }, answers: ['y'] });
    expect(asked.code).toBe(5);
    expect(asked.prompts[0]!.question).toBe('Delete /rm/x.txt with all its versions? [y/N] ');
    expect((await run(['files', 'get', doomed.fileId])).code).toBe(4);
  });
});

describe('bulk edge cases', () => {
  it('counts a file named twice once, so its success is not reported as a failure', async () => {
    const twice = await put('/dup', 'h.txt');
    const result = await run(['files', 'rm', twice.fileId, '/dup/h.txt', '000000000000000000000000', '--yes', '--json']);
    expect(result.code).toBe(5);
    expect(JSON.parse(result.stdout).map((o: { status: string }) => o.status)).toEqual(['done', 'done', 'failed']);
    expect((await run(['files', 'get', twice.fileId])).code).toBe(4);
  });

  it('exits 3 when the key is refused during a bulk call, printing no per-file rows', async () => {
    const file = await put('/dup', 'k.txt');
    const result = await run(['files', 'tag', file.fileId, '--add', 'x'], { env: { ...env, IMAGEKIT_PRIVATE_KEY: 'private_wrong' } });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
  });

  it('points a path with characters ImageKit replaces at the stored name (exit 4)', async () => {
    await put('/odd', 'my file.txt');
    const result = await run(['files', 'get', '/odd/my file.txt']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/stored it as \/odd\/my_file\.txt/);
    expect((await run(['files', 'get', '/odd/my_file.txt'])).code).toBe(0);
    expect((await run(['files', 'get', '/odd/caf\u0065\u0301.txt'])).code).toBe(4);
  });

  it('refuses --type or --tags with --query, and an empty --fields; accepts API keys as fields', async () => {
    expect((await run(['files', 'ls', '--query', 'name = "a"', '--type', 'folder'])).code).toBe(2);
    expect((await run(['files', 'ls', '--fields', ''])).code).toBe(2);
    const api = await run(['files', 'ls', '/odd', '--fields', 'filePath,versionInfo', '--json']);
    expect(JSON.parse(api.stdout)).toEqual([{ filePath: '/odd/my_file.txt', versionInfo: { id: expect.any(String), name: 'Version 1' } }]);
  });
});

describe('credentials', () => {
  it('exit 3 for a wrong or missing key', async () => {
    expect((await run(['files', 'ls'], { env: { ...env, IMAGEKIT_PRIVATE_KEY: 'private_wrong' } })).code).toBe(3);
    expect((await run(['files', 'ls'], { env: { IMAGEKIT_BASE_URL: emulator.url } })).code).toBe(3);
  });
});
