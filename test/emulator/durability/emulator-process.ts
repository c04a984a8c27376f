// The emulator as a real process (`imagekit emulator --json`), for what only a process shows: a
// kill -9, its open descriptors, its exit. It listens on 127.0.0.1, port 0; its details come from
// the JSON line it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/imagekit.js', import.meta.url));

export interface EmulatorProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  urlEndpoint: string;
  privateKey: string;
  publicKey: string;
  /** The `Authorization` header of the private key. */
  auth: { authorization: string };
  /** Resolves with the exit code (null when killed by a signal) once the process has ended. */
  exited: Promise<number | null>;
  /** What it wrote to stderr so far. */
  stderr(): string;
}

/** Starts `imagekit emulator --json --port 0` with these arguments; resolves once it listens. */
export async function spawnEmulator(args: string[]): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [BIN, 'emulator', '--json', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 15_000;
  while (!stdout.includes('\n')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the emulator did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const details = JSON.parse(stdout) as { url: string; urlEndpoint: string; privateKey: string; publicKey: string };
  return {
    child,
    pid: child.pid!,
    ...details,
    auth: { authorization: `Basic ${Buffer.from(`${details.privateKey}:`).toString('base64')}` },
    exited,
    stderr: () => stderr,
  };
}

/** The number of descriptors a process has open (Linux). */
export const openDescriptors = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

/** Polls `check` until it holds or `ms` have passed; whether it held. */
export async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}
