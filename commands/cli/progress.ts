/** The progress line of long batches (upload), redrawn in place on stderr. */
import type { IO } from './io.js';

/**
 * One status line on stderr, redrawn in place at most ten times a second. Drawn only when stderr is a
 * terminal (one that reports no width is taken as 80 columns): in CI and pipes it stays silent.
 */
export interface ProgressLine {
  /** Redraws the line with what `describe` says, asked only when the line is drawn: most updates are not. */
  update(describe: () => string): void;
  /** Removes the line, so that what follows starts on a clean line. */
  clear(): void;
}

export function progressLine(io: IO, enabled: boolean): ProgressLine {
  if (!enabled || !io.stderrIsTTY) return { update() {}, clear() {} };
  const columns = io.stderrColumns > 0 ? io.stderrColumns : 80;
  let last = 0;
  let shown = false;
  return {
    update(describe: () => string) {
      const now = io.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      io.stderr.write(`\r\x1b[2K${describe().slice(0, columns - 1)}`);
    },
    clear() {
      if (shown) io.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
