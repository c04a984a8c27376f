/**
 * Waiting for ImageKit's asynchronous work (folder jobs, purges): polling with backoff, a spinner on
 * a terminal, and a time limit that ends the wait with exit code 1 and says how to resume.
 */
import { ImageKitError } from '../src/errors.js';
import { UsageError, type Context } from './context.js';

const FIRST_POLL_MS = 250;
const MAX_POLL_MS = 5000;

/** A duration such as `10m`, `90s`, `500ms` or `1h` (a bare number is seconds), in milliseconds. */
export function parseDuration(name: string) {
  return (value: string): number => {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
    if (!match) throw new UsageError(`${name} takes a duration such as 10m, 90s or 500ms, got "${value}"`);
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
    return Number(match[1]) * unit;
  };
}

export const DEFAULT_WAIT_TIMEOUT_MS = 10 * 60_000;

/** The wait ran out before the work was done. */
export class WaitTimeoutError extends ImageKitError {
  constructor(message: string) {
    super('ERR_WAIT_TIMEOUT', message);
  }
}

/** The user stopped the wait (Ctrl-C): the work goes on at ImageKit. */
export class WaitInterruptedError extends ImageKitError {
  constructor(message: string) {
    super('ERR_INTERRUPTED', message);
  }
}

interface Spinner {
  text: string;
  stop(): void;
}

/** ora on a real terminal with a width; nothing elsewhere (ora would spin forever at width 0). */
async function startSpinner(context: Context, text: string): Promise<Spinner> {
  const { io } = context;
  const stream = io.stderrStream;
  if (!stream || !io.stderrIsTTY || io.stderrColumns <= 0) return { text, stop() {} };
  const { default: ora } = await import('ora');
  return ora({ text, stream, isEnabled: true, discardStdin: false }).start();
}

/**
 * Polls `check` until it says done, with backoff from 250 ms to 5 s. Throws WaitTimeoutError naming
 * `what` after `timeoutMs`.
 */
export async function waitUntil<T>(
  context: Context,
  options: { what: string; timeoutMs: number; resumeHint: string },
  check: () => Promise<{ done: boolean; value: T; status: string }>,
): Promise<T> {
  const { io } = context;
  const started = io.now();
  const spinner = await startSpinner(context, `waiting for ${options.what}`);
  let interrupted = false;
  const interruption = io.interrupted().then(() => (interrupted = true));
  try {
    for (let delay = FIRST_POLL_MS; ; delay = Math.min(MAX_POLL_MS, delay * 2)) {
      const result = await check();
      const elapsed = io.now() - started;
      spinner.text = `waiting for ${options.what}: ${result.status} (${Math.round(elapsed / 1000)}s)`;
      if (result.done) return result.value;
      if (elapsed >= options.timeoutMs) {
        throw new WaitTimeoutError(`${options.what} is still ${result.status} after ${Math.round(elapsed / 1000)}s; resume with: ${options.resumeHint}`);
      }
      await Promise.race([io.sleep(Math.min(delay, Math.max(0, options.timeoutMs - elapsed))), interruption]);
      if (interrupted) throw new WaitInterruptedError(`stopped waiting for ${options.what} (it goes on at ImageKit); resume with: ${options.resumeHint}`);
    }
  } finally {
    spinner.stop();
  }
}
