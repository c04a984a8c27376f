import { writeSync } from 'node:fs';
import { tty } from '../../src/builtins.js';
import { InterruptedError } from './errors.js';
/**
 * Everything a command may touch of the outside world. `bin/imagekit.js` passes the real process's;
 * tests pass buffers and pretend terminals, so commands run in-process.
 */
export interface Writer {
  /** Text is written as UTF-8; bytes (a downloaded file on stdout) as they are. */
  write(chunk: string | Uint8Array): unknown;
  /** True once the reader went away (a closed pipe): writing more is pointless. */
  readonly closed?: boolean;
}

export interface PromptOptions {
  /** Hide what is typed (for the private key). */
  secret?: boolean;
}

export interface IO {
  stdin: NodeJS.ReadableStream;
  stdout: Writer;
  stderr: Writer;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Width of the terminal on stderr; 0 when it is not one, or when the terminal does not say. */
  stderrColumns: number;
  /** Width of the terminal on stdout; 0 when it is not one, or when the terminal does not say (tables are not fitted then). */
  stdoutColumns: number;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** The clock, in milliseconds since the epoch. */
  now(): number;
  /** Asks a question on the terminal; only called when stdin and stderr are terminals. */
  prompt(question: string, options?: PromptOptions): Promise<string>;
  /**
   * Resolves with the signal's name when the user asks the program to stop (Ctrl-C, SIGTERM), until
   * `listening` is aborted: from then on a signal does what it would have done without this call.
   */
  interrupted(listening?: AbortSignal): Promise<string>;
  /** Waits; tests make waiting instant or short. */
  sleep(ms: number): Promise<void>;
  /** The real stderr stream, for a spinner; absent where stderr is not a real stream. */
  readonly stderrStream?: NodeJS.WriteStream;
}

/** A prompt on the real terminal: the question on stderr, the answer from stdin, hidden when secret. */
async function terminalPrompt(question: string, options: PromptOptions = {}): Promise<string> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  if (options.secret) {
    // Echo nothing of what is typed; readline writes through _writeToOutput.
    const internal = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WritableStream };
    let asked = false;
    internal._writeToOutput = (s: string) => {
      if (!asked) {
        internal.output.write(s);
        asked = true;
      } else if (s.includes('\n') || s.includes('\r')) internal.output.write('\n');
    };
  }
  try {
    return await new Promise<string>((resolve, reject) => {
      // Ctrl-C at a prompt stops the command (exit 130) on a clean line; Ctrl-D is an empty answer.
      rl.on('SIGINT', () => {
        process.stderr.write('\n');
        reject(new InterruptedError('interrupted'));
      });
      rl.on('close', () => resolve(''));
      rl.question(question, resolve);
    });
  } finally {
    rl.close();
  }
}

/**
 * A writer for stdout or stderr that writes straight to the file descriptor. Reaching process.stdout
 * builds a stream (and for a pipe loads the network stack), which costs `imagekit url` more start-up
 * time than everything else it does. A descriptor that cannot take more right now (EAGAIN) hands the
 * rest to the stream; a reader that went away (EPIPE, as in `| head -1`) ends the output silently.
 */
function descriptorWriter(fd: 1 | 2, stream: () => NodeJS.WriteStream): Writer {
  let fallback: NodeJS.WriteStream | undefined;
  let closed = false;
  return {
    get closed() {
      return closed;
    },
    write(chunk: string | Uint8Array) {
      if (closed) return false;
      if (fallback) return fallback.write(chunk);
      let bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      while (bytes.length > 0) {
        try {
          bytes = bytes.subarray(writeSync(fd, bytes));
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EPIPE') {
            closed = true;
            return false;
          }
          if (code !== 'EAGAIN') throw error;
          fallback = stream();
          fallback.on('error', (streamError: NodeJS.ErrnoException) => {
            if (streamError.code === 'EPIPE') closed = true;
          });
          return fallback.write(bytes);
        }
      }
      return true;
    },
  };
}

/** Whether a descriptor is a terminal; node:tty is loaded on first use, as most runs never ask. */
function isTerminal(fd: number): boolean {
  return tty().isatty(fd);
}

/** A value computed on first use, then kept. */
function once<T>(compute: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: compute() }).v;
}

export function systemIO(): IO {
  const stdinIsTTY = once(() => isTerminal(0));
  const stdoutIsTTY = once(() => isTerminal(1));
  const stderrIsTTY = once(() => isTerminal(2));
  return {
    get stdin() {
      return process.stdin;
    },
    stdout: descriptorWriter(1, () => process.stdout),
    stderr: descriptorWriter(2, () => process.stderr),
    get stdinIsTTY() {
      return stdinIsTTY();
    },
    get stdoutIsTTY() {
      return stdoutIsTTY();
    },
    get stderrIsTTY() {
      return stderrIsTTY();
    },
    get stderrColumns() {
      return stderrIsTTY() ? process.stderr.columns ?? 0 : 0;
    },
    get stdoutColumns() {
      return stdoutIsTTY() ? process.stdout.columns ?? 0 : 0;
    },
    env: process.env,
    cwd: process.cwd(),
    now: () => Date.now(),
    prompt: terminalPrompt,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    get stderrStream() {
      return process.stderr;
    },
    interrupted: (listening) =>
      new Promise((resolve) => {
        // A listener left behind would keep Ctrl-C from stopping the program later on.
        const stopListening = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        };
        const stop = (signal: string) => {
          stopListening();
          resolve(signal);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        listening?.addEventListener('abort', stopListening, { once: true });
      }),
  };
}

/** Whether colour may be used on a stream: NO_COLOR and --no-color turn it off, FORCE_COLOR on. */
export function colorEnabled(io: IO, isTTY: boolean, noColorFlag: boolean): boolean {
  if (noColorFlag || (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '')) return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return isTTY && io.env.TERM !== 'dumb';
}

/** The non-empty lines of a text, trimmed, without `#` comments. */
export const meaningfulLines = (text: string) => text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));

/** Arguments with `-` replaced by the lines of stdin, as many commands take their items. */
export async function withStdinArguments(args: readonly string[], io: IO): Promise<string[]> {
  const expanded: string[] = [];
  for (const arg of args) {
    if (arg === '-') expanded.push(...meaningfulLines(await readAll(io.stdin)));
    else expanded.push(arg);
  }
  return expanded;
}

/** Reads all of stdin as UTF-8 text. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
