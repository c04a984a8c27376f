import { runCli } from '../helpers/cli.js';

describe('the program', () => {
  it('lists every command in its help, with the exit codes', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const name of ['url', 'auth-params', 'phash', 'config']) expect(result.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(result.stdout).toContain('Exit codes: 0 ok');
  });

  it('prints its version', async () => {
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
  });

  it('exits 2 for an unknown command', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('shows help for a command through "help <command>"', async () => {
    const result = await runCli(['help', 'phash']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: imagekit phash');
  });
});
