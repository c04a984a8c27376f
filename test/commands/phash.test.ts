import { runCli } from '../helpers/cli.js';

describe('imagekit phash', () => {
  it.each([
    ['f06830ca9f1e3e90', 'f06830ca9f1e3e90', '0'],
    ['2d5ad3936d2e015b', '2d6ed293db36a4fb', '17'],
    ['a4a65595ac94518b', '7838873e791f8400', '37'],
    ['A4A65595AC94518B', '7838873e791f8400', '37'],
  ])('%s vs %s is %s, as in the seed', async (a, b, distance) => {
    expect(await runCli(['phash', a, b])).toMatchObject({ code: 0, stdout: `${distance}\n`, stderr: '' });
  });

  it('gives JSON for two hashes', async () => {
    const result = await runCli(['phash', '2d5ad3936d2e015b', '2d6ed293db36a4fb', '--json']);
    expect(JSON.parse(result.stdout)).toEqual({ first: '2d5ad3936d2e015b', second: '2d6ed293db36a4fb', distance: 17 });
  });

  it('lists every pair of three or more, most similar first', async () => {
    const hashes = ['a4a65595ac94518b', '2d5ad3936d2e015b', '2d6ed293db36a4fb'];
    const piped = await runCli(['phash', ...hashes]);
    const rows = piped.stdout.trim().split('\n').map((line) => line.split('\t'));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual(['2d5ad3936d2e015b', '2d6ed293db36a4fb', '17']);
    const distances = rows.map((r) => Number(r[2]));
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    const json = JSON.parse((await runCli(['phash', ...hashes, '--json'])).stdout);
    expect(json[0]).toEqual({ first: '2d5ad3936d2e015b', second: '2d6ed293db36a4fb', distance: 17 });
    const table = await runCli(['phash', ...hashes, '--no-color'], { tty: { stdout: true } });
    expect(table.stdout).toMatch(/│ first +│ second +│ distance │/);
  });

  it.each([
    [['phash', 'f06830ca9f1e3e9g', 'f06830ca9f1e3e90'], /invalid pHash value "f06830ca9f1e3e9g"/],
    [['phash', 'f06830ca', 'f06830ca9f1e3e90'], /unequal pHash lengths/],
    [['phash', 'f06830ca9f1e3e90'], /two or more/],
    [['phash'], /missing required argument/],
  ])('exits 2 for %j', async (argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });
});
