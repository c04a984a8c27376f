// `imagekit usage` against the emulator over real HTTP on 127.0.0.1: usage and analytics of what the
// emulator stored and delivered, in human units, with the range of days checked.
import { runCli, type RunOptions } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';

const NOW = Date.parse('2025-03-10T12:00:00Z');
const ik = useEmulator({ now: () => NOW });
beforeAll(async () => {
  await runCli(['upload', '-', '--name', 'big.bin'], { env: ik.env, stdin: 'x'.repeat(3000) });
  for (let i = 0; i < 2; i++) await fetch(`${ik.emulator.urlEndpoint}/big.bin`);
});

const run = (argv: string[], options: RunOptions = {}) => runCli(argv, { env: ik.env, now: NOW, ...options });

describe('imagekit usage', () => {
  it('shows usage over the days asked for, --to included, in human units', async () => {
    const shown = await run(['usage', '--from', '2025-03-01', '--to', '2025-03-10']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^bandwidth\t5\.9 KB$/m);
    expect(shown.stdout).toMatch(/^mediaLibraryStorage\t2\.9 KB$/m);
    expect(ik.emulator.requests.at(-1)!.query).toEqual({ startDate: '2025-03-01', endDate: '2025-03-11' });
    expect(JSON.parse((await run(['usage', 'show', '--to', '2025-03-09', '--json'])).stdout)).toEqual(expect.objectContaining({ bandwidthBytes: 0, mediaLibraryStorageBytes: 0 })); // stored on the 10th
    expect(ik.emulator.requests.at(-1)!.query).toEqual({ startDate: '2025-02-08', endDate: '2025-03-10' });
    expect((await run(['usage'])).stdout).toMatch(/^from\t2025-02-09$/m);
  });

  it('shows the analytics as a table of groups', async () => {
    const analytics = await run(['usage', 'analytics', '--from', '2025-03-10', '--to', '2025-03-10']);
    expect(analytics.code).toBe(0);
    expect(analytics.stdout).toMatch(/^total\t2025-03-10 to 2025-03-10\t2\t5\.9 KB$/m);
    expect(analytics.stdout).toMatch(/^cache\tmiss\t2\t$/m);
    expect(analytics.stdout).toMatch(new RegExp(`^topOtherAssets\\t${ik.emulator.urlEndpoint}/big.bin\\t2\\t5\\.9 KB$`, 'm'));
    expect(analytics.stdout).toMatch(/^statusCodes\t200\t2\t$/m);
    const table = await run(['usage', 'analytics', '--from', '2025-03-10'], { env: { ...ik.env, NO_COLOR: '1' }, tty: { stdout: true }, columns: 160 });
    expect(table.stdout).toMatch(/│ group +│ name +│ requests │ bandwidth │/);
    expect(JSON.parse((await run(['usage', 'analytics', '--json'])).stdout)).toMatchObject({ requestCount: 2, bandwidthBytes: 6000 });
  });

  it('refuses dates that are not days, or out of order; the API refuses long ranges', async () => {
    expect((await run(['usage', '--from', '2025-3-1'])).code).toBe(2);
    expect((await run(['usage', '--from', '2025-02-30'])).code).toBe(2);
    expect((await run(['usage', '--from', '2025-03-05', '--to', '2025-03-01'])).stderr).toMatch(/is after --to/);
    const long = await run(['usage', 'analytics', '--from', '2024-01-01', '--to', '2025-01-01']);
    expect(long).toMatchObject({ code: 1, stderr: expect.stringMatching(/within 90 days/) });
  });
});
