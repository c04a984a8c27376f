import type { IO } from './io.js';

/**
 * One status line on stderr, redrawn in place at most ten times a second. Drawn only when stderr is a
 * terminal with a width: in CI and pipes it stays silent.
 */
export interface ProgressLine {
  update(text: string): void;
  /** Removes the line, so that what follows starts on a clean line. */
  clear(): void;
}

export function progressLine(io: IO, enabled: boolean): ProgressLine {
  const columns = io.stderrColumns;
  if (!enabled || !io.stderrIsTTY || columns <= 0) return { update() {}, clear() {} };
  let last = 0;
  let shown = false;
  return {
    update(text: string) {
      const now = io.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      io.stderr.write(`\r\x1b[2K${text.slice(0, columns - 1)}`);
    },
    clear() {
      if (shown) io.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** Bytes in human units: 1536 is "1.5 KB". */
export function humanBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

/** A duration in seconds as "1m05s" or "12s". */
export function humanDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
