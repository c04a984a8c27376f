/**
 * A file that holds the pid of the process holding it, created whole and exclusively: the lock that
 * lets one emulator at a time use a data folder, and `--pid-file`. A file whose process is gone (an
 * emulator killed with -9 never removes it) is stale, and is taken over.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The file is held by a running process; the message says what is in use and by which pid. */
export class LockHeldError extends Error {
  constructor(
    message: string,
    readonly pid: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export interface PidLock {
  /** Removes the file, if it still names this process. */
  release(): void;
}

/** Files held by this process: a second claim of one is refused even though the pid is ours. */
const heldHere = new Set<string>();

/**
 * Claims `path` for this process, or throws LockHeldError with `inUse(pid)` as its message when a
 * running process holds it. The pid is written to a temporary file that is then hard-linked into
 * place: the link fails when the file exists, and a reader never sees it empty or half written.
 */
export function claimPidFile(path: string, inUse: (pid: number) => string): PidLock {
  const target = resolve(path);
  if (heldHere.has(target)) throw new LockHeldError(inUse(process.pid), process.pid);
  const draft = `${target}.${randomBytes(8).toString('hex')}.tmp`;
  writeFileSync(draft, `${process.pid}\n`, { flag: 'wx' });
  try {
    // A few rounds at most: each ends with the file ours, refused, or a stale file moved aside.
    for (let round = 0; ; round++) {
      try {
        linkSync(draft, target);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || round === 3) throw error;
      }
      const holder = readPid(target);
      // Our own pid in a file we do not hold is a previous process that had the same pid.
      if (holder !== undefined && holder !== process.pid && isRunning(holder)) throw new LockHeldError(inUse(holder), holder);
      moveStaleAside(target, holder, inUse);
    }
  } finally {
    rmSync(draft, { force: true });
  }
  heldHere.add(target);
  return {
    release() {
      if (!heldHere.delete(target)) return;
      if (readPid(target) === process.pid) rmSync(target, { force: true });
    },
  };
}

/**
 * Removes a stale file by moving it aside first, so that a file another process created in the
 * meantime is not removed unseen: that one is put back, and the claim refused.
 */
function moveStaleAside(target: string, stalePid: number | undefined, inUse: (pid: number) => string): void {
  const aside = `${target}.${randomBytes(8).toString('hex')}.stale`;
  try {
    renameSync(target, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readPid(aside);
  try {
    if (moved !== stalePid && moved !== undefined && isRunning(moved)) {
      try {
        linkSync(aside, target);
      } catch {
        // A third process has claimed it since: it holds the file, and this claim is refused all the same.
      }
      throw new LockHeldError(inUse(moved), moved);
    }
  } finally {
    rmSync(aside, { force: true });
  }
}

/** The pid a file names; undefined when it is gone or names none. */
function readPid(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
