// Output control as gh has it (--json <fields>, --jq), shell completion, tables that fit the
// terminal, and the notes of long lists: run in-process against the emulator over real HTTP.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useEmulator } from '../helpers/emulator.js';
import { fitToWidth, truncateMiddle } from '../../commands/cli/output.js';
import { runCli, type RunOptions } from '../helpers/cli.js';

const ik = useEmulator();
beforeAll(async () => {
  const long = 'a-very-long-file-name-that-goes-on-and-on-for-a-while-to-overflow-any-column.txt';
  await Promise.all([
    ...['a.txt', 'b.txt', long].map((name) => ik.client.upload({ bytes: Buffer.from(name) }, { fileName: name, folder: '/out', useUniqueFileName: false })),
    ...Array.from({ length: 5 }, (_, i) => ik.client.upload({ bytes: Buffer.from('x') }, { fileName: `p${i}.txt`, folder: '/paged', useUniqueFileName: false })),
  ]);
});

const run = (argv: string[], options: RunOptions = {}) => runCli(argv, { env: ik.env, ...options });

describe('--json <fields> and --jq', () => {
  it('prints just the named keys, on files ls and on upload', async () => {
    const listed = await run(['files', 'ls', '/out', '--json', 'name,size']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual(expect.arrayContaining([{ name: 'a.txt', size: 5 }]));
    expect(Object.keys(JSON.parse(listed.stdout)[0]).sort()).toEqual(['name', 'size']);
    // One declared field after --json is a field list; a folder after --json stays the folder.
    expect(JSON.parse((await run(['files', 'ls', '--json', 'name', '/out'])).stdout)).toContainEqual({ name: 'b.txt' });
    expect(JSON.parse((await run(['files', 'ls', '--json', '/out'])).stdout)).toContainEqual(expect.objectContaining({ name: 'b.txt', filePath: '/out/b.txt' }));
    const uploaded = await run(['upload', '-', '--name', 'fields.txt', '--json=status,filePath'], { stdin: 'x' });
    expect(JSON.parse(uploaded.stdout)).toEqual([{ status: 'uploaded', filePath: '/fields.txt' }]);
  });

  it('names the valid fields when one is unknown, before anything runs', async () => {
    const before = ik.emulator.requests.length;
    const result = await run(['files', 'ls', '/out', '--json', 'name,sizee']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown JSON field\(s\) sizee; the fields are: name, path, type, size/);
    expect(ik.emulator.requests.length).toBe(before);
  });

  it('filters through jq on two commands, strings printed raw', async () => {
    const names = await run(['files', 'ls', '/out', '--sort', 'asc_name', '--jq', '.[].name | select(length < 10)']);
    expect(names).toMatchObject({ code: 0, stdout: 'a.txt\nb.txt\n' });
    expect((await run(['phash', '2d5ad3936d2e015b', '2d6ed293db36a4fb', '--jq', '.distance'])).stdout).toBe('17\n');
    const bad = await run(['phash', '2d5ad3936d2e015b', '2d6ed293db36a4fb', '--jq', '.[']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--jq: jq: error/);
  });
});

describe('completion', () => {
  const script = async (shell: string) => (await runCli(['completion', shell])).stdout;
  const bash = spawnSync('bash', ['--version']).status === 0;

  (bash ? it : it.skip)('loads in bash, and completes a subcommand, a flag and a flag\'s values', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'imagekit-completion-')), 'imagekit.bash');
    writeFileSync(file, await script('bash'));
    const complete = (...words: string[]) =>
      spawnSync('bash', ['-c', `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _imagekit; echo "\${COMPREPLY[*]}"`], { encoding: 'utf8' }).stdout.trim();
    expect(complete('imagekit', 'fi')).toBe('files');
    expect(complete('imagekit', 'files', 'r')).toBe('rm-version restore rm rename');
    expect(complete('imagekit', 'files', 'ls', '--so')).toBe('--sort');
    expect(complete('imagekit', 'files', 'ls', '--sort', 'DESC_S')).toBe('DESC_SIZE');
    expect(complete('imagekit', '--profile', 'files', 'up')).toBe('upload');
  });

  it('makes zsh and fish scripts from the same tree (loaded by those shells where installed)', async () => {
    const zsh = await script('zsh');
    expect(zsh).toContain('bashcompinit');
    const fish = await script('fish');
    expect(fish).toContain("complete -c imagekit -n '__fish_use_subcommand' -a files");
    expect(fish).toMatch(/-n '__fish_seen_subcommand_from files; and not __fish_seen_subcommand_from [^']*' -a ls /);
    expect(fish).toMatch(/-l sort -x -a 'ASC_NAME /);
    for (const [shell, text] of [['zsh', zsh], ['fish', fish]] as const) {
      if (spawnSync(shell, ['--version']).status !== 0) continue;
      const file = join(mkdtempSync(join(tmpdir(), 'imagekit-completion-')), `imagekit.${shell}`);
      writeFileSync(file, text);
      expect(spawnSync(shell, ['-c', `source ${file}`]).status).toBe(0);
    }
    expect((await runCli(['completion', 'powershell'])).code).toBe(2);
  });
});

describe('tables that fit the terminal', () => {
  it('cuts long cells in the middle so a table is no wider than the terminal', async () => {
    const result = await run(['files', 'ls', '/out', '--fields', 'name,path,size,fileId,url'], { tty: { stdout: true }, columns: 100 });
    expect(result.code).toBe(0);
    // eslint-disable-next-line no-control-regex
    const widths = result.stdout.replace(/\x1b\[[0-9;]*m/g, '').trimEnd().split('\n').map((line) => line.length);
    expect(Math.max(...widths)).toBeLessThanOrEqual(100);
    expect(result.stdout).toContain('…');
    // Piped and JSON output keep the whole value.
    expect((await run(['files', 'ls', '/out', '--fields', 'name,path,size,fileId,url'])).stdout).toContain('to-overflow-any-column.txt');
  });

  it('keeps both ends of a cut value', () => {
    expect(truncateMiddle('/products/very/deep/folder/shoe.jpg', 15)).toBe('/produc…hoe.jpg');
    expect(fitToWidth(['a', 'b'], [['x'.repeat(50), 'short']], 40).rows[0]![0]).toHaveLength(40 - 7 - 5);
  });
});

describe('long lists and small things', () => {
  it('says on stderr that more exist when a listing stops at its limit', async () => {
    const result = await run(['files', 'ls', '/paged', '--limit', '3']);
    expect(result.stdout.trim().split('\n')).toHaveLength(3);
    expect(result.stderr).toMatch(/stopped at 3 items; there may be more: add --all, or --skip 3 for the next ones/);
    expect((await run(['files', 'ls', '/paged', '--all'])).stderr).toBe('');
  });

  it('says a folder that exists was not created, and refuses --json with --env', async () => {
    expect(JSON.parse((await run(['folder', 'create', '/made', '--json'])).stdout)).toEqual({ folderPath: '/made', created: true });
    expect(JSON.parse((await run(['folder', 'create', '/made', '--json'])).stdout)).toEqual({ folderPath: '/made', created: false });
    expect((await run(['auth-params', '--json', '--env'])).code).toBe(2);
  });
});
