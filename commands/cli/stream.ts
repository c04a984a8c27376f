/**
 * A streamed result (--ndjson) fed by work that runs while it prints: each item the work emits is
 * printed as it comes, and the exit code comes from the work's report once it ends. Used by the
 * commands that move many files (upload, sync).
 */
import { ExitCode } from './errors.js';
import type { Result } from './output.js';

export function streamedResult<Item, Report>(
  execute: (emit: (item: Item) => void) => Promise<Report>,
  exitCodeOf: (report: Report) => number,
  /** Called once the work is over (also when the reader went away), with its report if it ended well. */
  onEnd: (report: Report | undefined) => void,
): Result {
  let report: Report | undefined;
  async function* lines() {
    const emitted: Item[] = [];
    let wake: (() => void) | undefined;
    let done = false;
    const running = execute((item) => {
      emitted.push(item);
      wake?.();
    }).finally(() => {
      done = true;
      wake?.();
    });
    try {
      for (;;) {
        while (emitted.length > 0) yield { text: '', json: emitted.shift() };
        if (done) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      report = await running;
    } finally {
      // Also when the reader went away: the work under way ends before onEnd runs.
      report ??= await running.catch(() => undefined);
      onEnd(report);
    }
  }
  return { kind: 'lines', items: lines(), exitCode: () => (report === undefined ? ExitCode.failure : exitCodeOf(report)) };
}
