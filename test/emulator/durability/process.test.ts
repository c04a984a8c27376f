// The `imagekit emulator` process and its life: a port out of range is a usage error, --pid-file
// names the running process and is removed on exit, --exit-with-parent stops it once whatever
// started it is gone, and the README's CI recipe leaves no emulator running.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../helpers/cli.js';
import { eventually, spawnEmulator } from './emulator-process.js';
import { temporaryFolder } from './temporary-folder.js';

const BIN = fileURLToPath(new URL('../../../bin/imagekit.js', import.meta.url));

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

it.each(['99999', '65536', '-1'])('refuses --port %s as a usage error (exit 2)', async (port) => {
  const result = await runCli(['emulator', '--port', port]);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`--port takes a whole number from 0 to 65535, got "${port}"`);
});

describe('--pid-file', () => {
  it('holds the pid while running, is removed on exit, and refuses a second emulator', async () => {
    const pidFile = join(temporaryFolder('imagekit-pid-'), 'emulator.pid');
    const emulator = await spawnEmulator(['--pid-file', pidFile]);
    try {
      expect(readFileSync(pidFile, 'utf8').trim()).toBe(String(emulator.pid));
      const second = await runCli(['emulator', '--pid-file', pidFile]);
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`the pid file ${pidFile} names a running process (pid ${emulator.pid})`);
    } finally {
      emulator.child.kill('SIGTERM');
    }
    expect(await emulator.exited).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
  }, 20_000);
});

describe('--exit-with-parent', () => {
  it('stops the emulator once the process that started it is killed', async () => {
    const dataDir = temporaryFolder('imagekit-parent-');
    // A parent that starts the emulator, says its pid, and waits: as npx does.
    const starter = `const c = require('node:child_process').spawn(process.execPath, [${JSON.stringify(BIN)}, 'emulator', '--exit-with-parent', '--data', ${JSON.stringify(dataDir)}], { stdio: 'ignore' }); console.log(c.pid);`;
    const parent = spawn(process.execPath, ['-e', starter], { stdio: ['ignore', 'pipe', 'ignore'] });
    const pid = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (chunk) => resolve(String(chunk)))));
    try {
      expect(await eventually(() => existsSync(join(dataDir, 'emulator.lock')), 10_000)).toBe(true);
      parent.kill('SIGKILL');
      expect(await eventually(() => !isRunning(pid), 10_000)).toBe(true);
      // Stopped, not killed: it unlocked the folder on its way out.
      expect(existsSync(join(dataDir, 'emulator.lock'))).toBe(false);
    } finally {
      if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 30_000);
});

describe("the README's CI recipe", () => {
  it('stops the emulator it started', () => {
    const work = temporaryFolder('imagekit-recipe-');
    const recipe = `
      node ${JSON.stringify(BIN)} emulator --pid-file emulator.pid > emulator.env &
      until grep -q PUBLIC_KEY emulator.env; do sleep 0.1; done
      . ./emulator.env
      node ${JSON.stringify(BIN)} url /assets/logo.png --signed
      kill "$(cat emulator.pid)"
      wait
    `;
    const result = spawnSync('sh', ['-c', recipe], { cwd: work, encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/emulator\/assets\/logo\.png\?ik-s=/);
    expect(existsSync(join(work, 'emulator.pid'))).toBe(false);
  }, 30_000);
});
