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
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toContain('Usage: imagekit phash');
  });
});

describe('help', () => {
  it('every command, down to each leaf, shows at least one example', async () => {
    const { fullProgram } = await import('../../commands/cli/main.js');
    const { fakeIO } = await import('../helpers/cli.js');
    const program = await fullProgram({ io: fakeIO().io, action: () => async () => {} });
    type Node = { name(): string; commands: readonly Node[]; helpInformation(): string; parent: Node | null };
    const leaves: Node[] = [];
    const walk = (command: Node) => (command.commands.length === 0 ? leaves.push(command) : command.commands.forEach(walk));
    walk(program as unknown as Node);
    const withoutExamples: string[] = [];
    for (const leaf of leaves) {
      const path = [leaf.name(), leaf.parent?.parent ? leaf.parent.name() : ''].reverse().filter(Boolean).join(' ');
      const help = await runCli([...path.split(' '), '--help']);
      if (!help.stdout.includes('Examples:')) withoutExamples.push(path);
    }
    expect(withoutExamples).toEqual([]);
  });

  it('plain imagekit prints the help on stdout and exits 0; -v and version print the version', async () => {
    const plain = await runCli([]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('Usage: imagekit');
    const version = (await runCli(['--version'])).stdout;
    expect((await runCli(['-v'])).stdout).toBe(version);
    expect((await runCli(['version'])).stdout).toBe(version);
  });
});
