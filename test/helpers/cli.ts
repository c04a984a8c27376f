import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../commands/cli/main.js';
import type { IO, PromptOptions } from '../../commands/cli/io.js';

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Text on stdin; stdin is empty (and not a terminal) when omitted. */
  stdin?: string;
  cwd?: string;
  /** Pretend these streams are terminals. */
  tty?: { stdin?: boolean; stdout?: boolean; stderr?: boolean };
  /** The width of the pretend terminals (80 when omitted; 0 for one that does not say). */
  columns?: number;
  /** The clock, in milliseconds: a fixed time, or a function for a clock that moves. */
  now?: number | (() => number);
  /** Answers to prompts, in order. */
  answers?: string[];
  /** Resolves when the command should be interrupted, as Ctrl-C would (never, when omitted). */
  interrupt?: Promise<string>;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  prompts: Array<{ question: string; secret: boolean }>;
}

/** Folders the tests made, removed when the test process ends. */
const madeFolders: string[] = [];
process.once('exit', () => {
  for (const dir of madeFolders) rmSync(dir, { recursive: true, force: true });
});

function makeFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeFolders.push(dir);
  return dir;
}

let emptyDirectory: string | undefined;
/** An empty folder with no config file in it or above it, the default working directory of tests. */
export function emptyDir(): string {
  emptyDirectory ??= makeFolder('imagekit-test-');
  return emptyDirectory;
}

/** Fake IO for in-process runs: buffers for stdout and stderr, pretend terminals, a fixed clock. */
export function fakeIO(options: RunOptions = {}): { io: IO; output: () => Omit<RunResult, 'code'> } {
  let stdout = '';
  let stderr = '';
  const prompts: RunResult['prompts'] = [];
  const answers = [...(options.answers ?? [])];
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  const io: IO = {
    stdin,
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    stdinIsTTY: options.tty?.stdin ?? false,
    stdoutIsTTY: options.tty?.stdout ?? false,
    stderrIsTTY: options.tty?.stderr ?? false,
    stderrColumns: options.tty?.stderr ? options.columns ?? 80 : 0,
    stdoutColumns: options.tty?.stdout ? options.columns ?? 80 : 0,
    env: options.env ?? {},
    cwd: options.cwd ?? emptyDir(),
    now: typeof options.now === 'function' ? options.now : () => (options.now as number | undefined) ?? 1_700_000_000_000,
    sleep: (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
    prompt: async (question: string, promptOptions?: PromptOptions) => {
      prompts.push({ question, secret: promptOptions?.secret === true });
      return answers.shift() ?? '';
    },
    interrupted: () => options.interrupt ?? new Promise<string>(() => {}),
  };
  return { io, output: () => ({ stdout, stderr, prompts }) };
}

/** Runs the CLI in-process with fake streams, as `imagekit <argv...>` would run. */
export async function runCli(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const { io, output } = fakeIO(options);
  const code = await main(argv, io);
  return { code, ...output() };
}

/** A new temporary folder holding these files (paths may have folders; objects are written as JSON). */
export function dirWith(files: Record<string, unknown>): string {
  const dir = makeFolder('imagekit-cfg-');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}
