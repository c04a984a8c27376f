/**
 * The URLs a `sync --purge` overwrote or deleted and has not purged yet, kept in a small file of the
 * user's cache folder. Purges go out only after every upload succeeded, so a run that failed or was
 * interrupted leaves some URLs stale; their files then look unchanged to the next run, which reads
 * them from here instead, and purges them with its own. Written a line at a time as files change,
 * so even a run killed outright leaves what it changed on record.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileDurablySync } from '../../src/durable-write.js';
import type { Context } from '../cli/context.js';

export class PendingPurges {
  private readonly file: string;
  private broken = false;

  /**
   * One file per account and remote folder. The account is told apart by a hash of its API host and
   * private key, from which neither can be read back.
   */
  constructor(
    private readonly context: Context,
    where: { baseUrl: string; privateKey: string; folder: string },
  ) {
    const { env } = context.io;
    const cache = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
    const key = createHash('sha256').update(`${where.baseUrl}\n${where.privateKey}\n${where.folder}`).digest('hex').slice(0, 32);
    this.file = join(cache, 'imagekit', 'pending-purges', `${key}.ndjson`);
  }

  /** The URLs on record, each once (a line cut short by a crash is passed over). */
  urls(): string[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const urls = new Set<string>();
    for (const line of text.split('\n')) {
      try {
        const url: unknown = JSON.parse(line);
        if (typeof url === 'string') urls.add(url);
      } catch {
        // an empty or torn line
      }
    }
    return [...urls];
  }

  /** Records a URL whose cached copy just went stale. */
  add(url: string): void {
    this.write(() => {
      mkdirSync(join(this.file, '..'), { recursive: true });
      appendFileSync(this.file, JSON.stringify(url) + '\n');
    });
  }

  /** Keeps only the URLs whose purge failed, for the next run; none left removes the file. */
  settle(failed: readonly string[]): void {
    this.write(() => (failed.length === 0 ? rmSync(this.file, { force: true }) : writeFileDurablySync(this.file, failed.map((url) => JSON.stringify(url) + '\n').join(''))));
  }

  /** A cache folder that cannot be written costs only the record: told once, the sync goes on. */
  private write(change: () => void): void {
    if (this.broken) return;
    try {
      change();
    } catch (error) {
      this.broken = true;
      this.context.warn(`cannot keep the URLs still to purge in ${this.file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): a failed run's stale URLs would need purging by hand`);
    }
  }
}
