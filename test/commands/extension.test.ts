// `imagekit extension` against the emulator over real HTTP on 127.0.0.1, and the saved extensions
// that `upload --extensions` and `files update --extensions` run by id.
import { dirWith, runCli, type RunOptions } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';

const ik = useEmulator();
const run = (argv: string[], options: RunOptions = {}) => runCli(argv, { env: ik.env, ...options });
const TAGGING = { name: 'google-auto-tagging', minConfidence: 80, maxTags: 5 };

describe('imagekit extension', () => {
  it('creates, lists, gets, updates and deletes saved extensions', async () => {
    const created = await run(['extension', 'create', '--name', 'Cut out', '--description', 'removes backgrounds', '--extension', '{"name":"remove-bg"}', '--json']);
    expect(created.code).toBe(0);
    const cutOut = JSON.parse(created.stdout);
    expect(cutOut).toMatchObject({ name: 'Cut out', description: 'removes backgrounds', config: { name: 'remove-bg' } });
    const dir = dirWith({ 'tagging.json': TAGGING });
    expect((await run(['extension', 'create', '--name', 'Tagger', '--description', 'tags', '--extension', '@tagging.json'], { cwd: dir })).code).toBe(0);

    const listed = await run(['extension', 'ls']);
    expect(listed.stdout).toMatch(new RegExp(`^${cutOut.id}\\tCut out\\tremove-bg\\tremoves backgrounds$`, 'm'));
    expect(listed.stdout).toMatch(/\tTagger\tgoogle-auto-tagging\ttags$/m);
    expect((await run(['extension', 'get', 'Tagger'])).stdout).toMatch(/^config\t\{"name":"google-auto-tagging","minConfidence":80,"maxTags":5\}$/m);
    const updated = await run(['extension', 'update', 'Cut out', '--extension', '{"name":"remove-bg","options":{"bg_color":"white"}}', '--description', 'white background', '--json']);
    expect(JSON.parse(updated.stdout)).toMatchObject({ id: cutOut.id, description: 'white background', config: { options: { bg_color: 'white' } } });

    expect((await run(['extension', 'rm', 'Cut out', '--dry-run'])).stdout).toMatch(/^dryRun\ttrue$/m);
    expect((await run(['extension', 'rm', 'Cut out', '--yes'])).code).toBe(0);
    expect((await run(['extension', 'get', cutOut.id])).code).toBe(4);
  });

  it('refuses malformed configurations, before sending or from the API', async () => {
    expect((await run(['extension', 'create', '--name', 'x', '--description', 'x', '--extension', '[1]'])).code).toBe(2);
    expect((await run(['extension', 'create', '--name', 'x', '--description', 'x', '--extension', '{"name":"saved-extension","id":"a"}'])).code).toBe(2);
    expect((await run(['extension', 'create', '--name', 'x', '--description', 'x', '--extension', '@missing.json'])).stderr).toMatch(/cannot read/);
    const refused = await run(['extension', 'create', '--name', 'x', '--description', 'x', '--extension', '{"name":"aws-auto-tagging"}']);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/Invalid extension configuration/) });
    expect((await run(['extension', 'update', 'Tagger'])).code).toBe(2);
  });

  it('runs saved extensions on upload and file update by id, bare or in JSON', async () => {
    const tagger = JSON.parse((await run(['extension', 'get', 'Tagger', '--json'])).stdout);
    const uploaded = await run(['upload', '-', '--name', 'a.txt', '--extensions', tagger.id, '--json'], { stdin: 'x' });
    expect(uploaded.code).toBe(0);
    expect(ik.emulator.requests.at(-1)!.fields!.extensions).toBe(JSON.stringify([{ name: 'saved-extension', id: tagger.id }]));
    const [file] = JSON.parse(uploaded.stdout);
    const mixed = await run(['upload', '-', '--name', 'b.txt', '--extensions', JSON.stringify([tagger.id, { name: 'remove-bg' }])], { stdin: 'x' });
    expect(mixed.code).toBe(0);
    expect(JSON.parse(ik.emulator.requests.at(-1)!.fields!.extensions!)).toEqual([{ name: 'saved-extension', id: tagger.id }, { name: 'remove-bg' }]);
    const unknown = await run(['upload', '-', '--name', 'c.txt', '--extensions', '000000000000000000000000'], { stdin: 'x' });
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringMatching(/saved extension/) });
    const update = await run(['files', 'update', file.fileId, '--extensions', tagger.id, '--json']);
    expect(JSON.parse(update.stdout).extensionStatus).toEqual({ 'google-auto-tagging': 'pending' });
    expect((await run(['upload', '-', '--name', 'd.txt', '--extensions', '{"name":'], { stdin: 'x' })).code).toBe(2);
  });
});
