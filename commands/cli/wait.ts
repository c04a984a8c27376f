/**
 * Waiting for ImageKit's asynchronous work (folder jobs, purges): polling with backoff, a spinner on
 * a terminal, and a time limit that ends the wait with exit code 1 and says how to resume.
 */
import type { Context } from './context.js';
import { InterruptedError, WaitTimeoutError } from './errors.js';

const FIRST_POLL_MS = 250;
const MAX_POLL_MS = 5000;

export const DEFAULT_WAIT_TIMEOUT_MS = 10 * 60_000;

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
  const listening = new AbortController();
  const interruption = io.interrupted(listening.signal).then(() => (interrupted = true));
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
      if (interrupted) throw new InterruptedError(`stopped waiting for ${options.what} (it goes on at ImageKit); resume with: ${options.resumeHint}`);
    }
  } finally {
    listening.abort();
    spinner.stop();
  }
}
