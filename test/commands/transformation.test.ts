// `imagekit transformation` against the emulator over real HTTP on 127.0.0.1: named transformations
// by id or name, checked before sending, and what delivery's `n-<name>` is given.
import { runCli, type RunOptions } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';

const ik = useEmulator();
const run = (argv: string[], options: RunOptions = {}) => runCli(argv, { env: ik.env, ...options });
const { mutations } = ik;

describe('imagekit transformation', () => {
  it('creates, lists, gets, updates and deletes named transformations', async () => {
    const created = await run(['transformation', 'create', '--name', 'thumb', '--transformation', 'w-150,h-150', '--json']);
    expect(created.code).toBe(0);
    const thumb = JSON.parse(created.stdout);
    expect(thumb).toEqual({ id: expect.any(String), name: 'thumb', transformation: 'w-150,h-150', enabled: true, createdAt: expect.any(String) });
    expect(ik.emulator.store.namedTransformation('thumb')).toBe('w-150,h-150');
    await run(['transformation', 'create', '--name', 'draft_banner', '-t', 'tr:w-1200,q-60', '--disabled']);
    expect(ik.emulator.store.namedTransformation('draft_banner')).toBeUndefined();

    const listed = await run(['transformation', 'ls']);
    expect(listed.stdout).toMatch(new RegExp(`^${thumb.id}\\tthumb\\ttrue\\tw-150,h-150$`, 'm'));
    expect(listed.stdout).toMatch(/\tdraft_banner\tfalse\ttr:w-1200,q-60$/m);
    expect(JSON.parse((await run(['transformation', 'ls', '--json'])).stdout)).toHaveLength(2);
    expect((await run(['transformation', 'get', 'thumb'])).stdout).toMatch(/^transformation\tw-150,h-150$/m);
    expect(JSON.parse((await run(['transformation', 'get', thumb.id, '--json', 'name,enabled'])).stdout)).toEqual({ name: 'thumb', enabled: true });

    const updated = JSON.parse((await run(['transformation', 'update', 'thumb', '--transformation', 'w-200,h-200', '--name', 'thumbnail', '--json'])).stdout);
    expect(updated).toMatchObject({ id: thumb.id, name: 'thumbnail', transformation: 'w-200,h-200' });
    expect(ik.emulator.store.namedTransformation('thumbnail')).toBe('w-200,h-200');
    await run(['transformation', 'update', 'draft_banner', '--enable']);
    expect(ik.emulator.store.namedTransformation('draft_banner')).toBe('tr:w-1200,q-60');
    await run(['transformation', 'update', 'thumbnail', '--disable']);
    expect(ik.emulator.store.namedTransformation('thumbnail')).toBeUndefined();

    const before = mutations();
    expect(JSON.parse((await run(['transformation', 'rm', 'thumbnail', '--dry-run', '--json'])).stdout)).toEqual({ id: thumb.id, name: 'thumbnail', deleted: false, dryRun: true });
    expect((await run(['transformation', 'rm', 'thumbnail'])).code).toBe(2);
    expect(mutations()).toBe(before);
    expect((await run(['transformation', 'rm', 'thumbnail', '--yes'])).code).toBe(0);
    expect((await run(['transformation', 'get', 'thumbnail'])).code).toBe(4);
  });

  it('refuses bad names and transformations before sending, and what the API refuses after', async () => {
    const before = mutations();
    expect((await run(['transformation', 'create', '--name', 'has-dash', '-t', 'w-1'])).code).toBe(2);
    const unknown = await run(['transformation', 'create', '--name', 'odd', '-t', 'w-10,zz-3']);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown parameter "zz"/) });
    expect((await run(['transformation', 'create', '--name', 'x'])).code).toBe(2);
    expect((await run(['transformation', 'update', 'draft_banner'])).stderr).toMatch(/nothing to update/);
    expect((await run(['transformation', 'update', 'draft_banner', '--enable', '--disable'])).code).toBe(2);
    expect((await run(['transformation', 'update', 'nope', '--enable'])).code).toBe(4);
    expect(mutations()).toBe(before);
    expect((await run(['transformation', 'create', '--name', 'draft_banner', '-t', 'w-1'])).code).toBe(1);
  });
});
