// `imagekit folder` and `job` against the emulator over real HTTP on 127.0.0.1.
import { useEmulator } from '../helpers/emulator.js';
import { runCli, type RunOptions } from '../helpers/cli.js';

const ik = useEmulator({ jobDurationMs: 300 });

const run = (argv: string[], options: RunOptions = {}) => runCli(argv, { env: ik.env, now: () => Date.now(), ...options });
const names = async (path: string) => (await ik.client.listFiles({ path, type: 'all' })).map((f) => f.name).sort();
const seed = async (folder: string, ...files: string[]) => {
  for (const name of files) await ik.client.upload({ bytes: Buffer.from(name) }, { fileName: name, folder, useUniqueFileName: false });
};
describe('imagekit folder', () => {
  it('creates a folder with its parents', async () => {
    const result = await run(['folder', 'create', '/made/deep/down', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ folderPath: '/made/deep/down', created: true });
    expect(await names('/made/deep')).toEqual(['down']);
  });

  it('says which folder ImageKit made, refuses .., and knows a missing folder', async () => {
    expect(JSON.parse((await run(['folder', 'create', '/odd/my dir', '--json'])).stdout).folderPath).toBe('/odd/my_dir');
    expect(await names('/odd')).toEqual(['my_dir']);
    expect((await run(['folder', 'create', '/odd/../up'])).code).toBe(2);
    expect((await run(['folder', 'rm', '/no/such/folder', '--dry-run'])).code).toBe(4);
    const dry = await run(['folder', 'mv', '/odd/my_dir', '/elsewhere', '--dry-run', '--json']);
    expect(JSON.parse(dry.stdout)).toEqual({ source: '/odd/my_dir', destination: '/elsewhere/my_dir', moved: false, dryRun: true });
  });

  it('stops waiting on Ctrl-C with exit 130, printing the job id to resume with', async () => {
    await seed('/intr/src', 'g.txt');
    ik.emulator.configure({ jobDurationMs: 5000 });
    try {
      const result = await run(['folder', 'cp', '/intr/src', '/intr/dst', '--json'], { interrupt: new Promise((r) => setTimeout(() => r('SIGINT'), 100)) });
      expect(result.code).toBe(130);
      const { jobId } = JSON.parse(result.stdout);
      expect(result.stderr).toContain(`resume with: imagekit job status ${jobId} --wait`);
    } finally {
      ik.emulator.configure({ jobDurationMs: 300 });
    }
  });

  it('copies through Pending to Completed before returning', async () => {
    await seed('/copy/src', 'a.txt', 'b.txt');
    const result = await run(['folder', 'cp', '/copy/src', '/copy/dst', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ type: 'COPY_FOLDER', status: 'Completed' });
    expect(await names('/copy/dst/src')).toEqual(['a.txt', 'b.txt']);
  });

  it('returns at once with --no-wait, and job status --wait finishes the wait', async () => {
    await seed('/nowait/src', 'c.txt');
    const result = await run(['folder', 'mv', '/nowait/src', '/nowait/dst', '--yes', '--no-wait', '--json']);
    const { jobId, status } = JSON.parse(result.stdout);
    expect(status).toBe('submitted'); // it did not wait for the 300 ms job
    expect(JSON.parse((await run(['job', 'status', jobId, '--json'])).stdout)).toMatchObject({ status: 'Pending' });
    const waited = await run(['job', 'status', jobId, '--wait', '--json']);
    expect(JSON.parse(waited.stdout)).toMatchObject({ jobId, type: 'MOVE_FOLDER', status: 'Completed' });
    expect(await names('/nowait/dst/src')).toEqual(['c.txt']);
  });

  it('exits 1 naming the job when the wait runs out', async () => {
    await seed('/slow/src', 'd.txt');
    ik.emulator.configure({ jobDurationMs: 5000 });
    try {
      const result = await run(['folder', 'cp', '/slow/src', '/slow/dst', '--wait-timeout', '200ms']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: job ([0-9a-f]{24}) is still Pending after \ds; resume with: imagekit job status \1 --wait/);
    } finally {
      ik.emulator.configure({ jobDurationMs: 300 });
    }
  });

  it('renames, purging the old URLs when asked', async () => {
    await seed('/ren/old', 'e.txt');
    expect((await run(['folder', 'rename', '/ren/old', 'new', '--purge'])).code).toBe(2); // a wildcard purge: asks first
    const result = await run(['folder', 'rename', '/ren/old', 'new', '--purge', '--yes', '--json']);
    expect(JSON.parse(result.stdout)).toMatchObject({ type: 'RENAME_FOLDER', status: 'Completed', purgeRequestId: expect.stringMatching(/^[0-9a-f]{24}$/) });
    expect(await names('/ren')).toEqual(['new']);
    expect((await run(['folder', 'rename', '/ren/new', 'a/b'])).code).toBe(2);
  });

  it('asks before deleting or moving, refuses unattended without --yes, and --dry-run sends nothing', async () => {
    await seed('/rm/me', 'f.txt');
    const before = ik.mutations();
    const refused = await run(['folder', 'rm', '/rm/me']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refusing without confirmation; pass --yes/);
    expect((await run(['folder', 'mv', '/rm/me', '/elsewhere'])).code).toBe(2);
    const dry = await run(['folder', 'rm', '/rm/me', '--dry-run', '--json']);
    expect(JSON.parse(dry.stdout)).toMatchObject({ folderPath: '/rm/me', deleted: false, itemsDirectlyInside: 1 });
    const declined = await run(['folder', 'rm', '/rm/me'], { tty: { stdin: true, stderr: true }, answers: ['n'] });
    expect(declined.code).toBe(2);
    expect(ik.mutations()).toBe(before);
    const asked = await run(['folder', 'rm', '/rm/me'], { tty: { stdin: true, stderr: true }, answers: ['y'] });
    expect(asked.code).toBe(0);
    expect(asked.prompts[0]!.question).toMatch(/^Delete \/rm\/me and everything in it\? \[y\/N\] $/);
    expect(await names('/rm')).toEqual([]);
    expect((await run(['folder', 'rm', '/rm/me', '--yes'])).code).toBe(4);
  });
});
