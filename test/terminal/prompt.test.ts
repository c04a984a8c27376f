// The real bin/imagekit.js in a real pseudo-terminal (tmux): what a person at a prompt sees when they
// press Ctrl-C. Skipped, with a notice, where tmux is not installed (.ci/run installs it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/imagekit.js', import.meta.url));
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
// On stderr: jest hides console output of a file whose tests are all skipped.
if (!hasTmux) process.stderr.write('tmux is not installed (apt-get install tmux): the pseudo-terminal tests are skipped\n');
const describeWithTmux = hasTmux ? describe : describe.skip;

const tmux = (...args: string[]) => spawnSync('tmux', ['-L', `imagekit-test-${process.pid}`, ...args], { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits, within a bound, until the pane shows `text`; returns the screen. */
async function screenWith(text: string, timeoutMs = 10_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const screen = tmux('capture-pane', '-p', '-t', 'prompt').stdout;
    if (screen.includes(text) || Date.now() > until) return screen;
    await sleep(50);
  }
}

describeWithTmux('prompts on a real terminal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'imagekit-tty-'));
  });
  afterEach(() => {
    tmux('kill-server');
    rmSync(dir, { recursive: true, force: true });
  });

  it('Ctrl-C at the config init prompt exits 130 on a clean line, and writes nothing', async () => {
    const codeFile = join(dir, 'code');
    const command = `cd ${dir} && env -u IMAGEKIT_PRIVATE_KEY node ${BIN} config init; echo $? > ${codeFile}; sleep 30`;
    tmux('new-session', '-d', '-s', 'prompt', '-x', '100', '-y', '20', command);
    expect(await screenWith('URL endpoint')).toContain('URL endpoint (https://ik.imagekit.io/your_id):');
    tmux('send-keys', '-t', 'prompt', 'C-c');
    const screen = await screenWith('error: interrupted');
    expect(screen).toMatch(/your_id\):\s*\nerror: interrupted/);
    for (let i = 0; i < 100 && spawnSync('test', ['-s', codeFile]).status !== 0; i++) await sleep(50);
    expect(readFileSync(codeFile, 'utf8').trim()).toBe('130');
    expect(spawnSync('test', ['-e', join(dir, '.imagekitrc.json')]).status).not.toBe(0);
  });
});
