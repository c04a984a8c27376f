/** Values written for people: sizes, durations, and words quoted for a POSIX shell. */

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

/** Quotes a value for a POSIX shell. */
export const shellQuote = (value: string) => (/^[A-Za-z0-9_\-.,:/@%+=]*$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);
