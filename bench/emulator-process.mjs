// Starts `imagekit emulator` in a process of its own, so that a benchmark measures only its client:
// resolves with the environment the emulator prints (IMAGEKIT_*) and a stop function.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = join(ROOT, 'bin', 'imagekit.js');

export async function startEmulatorProcess(args) {
  const child = spawn(process.execPath, [CLI, 'emulator', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 15_000;
  while (!output.includes('IMAGEKIT_PUBLIC_KEY')) {
    if (Date.now() > deadline) throw new Error('the emulator did not start');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const env = Object.fromEntries(output.trim().split('\n').map((line) => line.replace(/^export /, '').split('=', 2)));
  const stop = () => new Promise((resolve) => (child.kill('SIGTERM'), child.on('exit', resolve)));
  return { env, stop };
}
