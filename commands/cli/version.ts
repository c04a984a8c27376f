/** The CLI's own version, for --version and the User-Agent. */
import { readFileSync } from 'node:fs';

let version: string | undefined;

/** The package's version, from the package.json above this module (in dist/ or, under tests, the sources). */
export function packageVersion(): string {
  if (version) return version;
  for (let dir = new URL('.', import.meta.url); dir.pathname !== '/'; dir = new URL('..', dir)) {
    try {
      return (version = (JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { version: string }).version);
    } catch {
      // not here: look one level up
    }
  }
  return (version = 'unknown');
}
