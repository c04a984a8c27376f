/**
 * The one way the project writes a file holding a secret or state it must not lose (the config file
 * with the private key, upload manifests, the emulator's index): never seen half written, never
 * written through a link planted beside it, and owner-only when it holds a secret.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { crypto } from './builtins.js';
import { FileWriteError } from './errors.js';

export interface DurableWriteOptions {
  /** Owner-only (0600), for anything holding the private key; otherwise 0644, less what the umask removes. */
  secret?: boolean;
}

/**
 * Writes a whole file so that readers, and a crash at any moment, find the old content or the new,
 * never a part. The data goes to a temporary file beside the target, created exclusively under an
 * unpredictable name (so a link planted there cannot redirect it, and no existing file is reused),
 * is flushed to disk, and is renamed over the target; the folder is then flushed so the rename
 * survives a power cut too. The file gets its mode afresh, never the mode of the file it replaces,
 * and a link at the target itself is replaced, not followed. On failure the temporary file is
 * removed, the target is untouched, and a FileWriteError names the path. Synchronous, so it also
 * works while a process exits.
 */
export function writeFileDurablySync(path: string, data: string | Uint8Array, { secret = false }: DurableWriteOptions = {}): void {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${crypto().randomBytes(8).toString('hex')}.tmp`);
  let fd: number | undefined;
  let created = false;
  try {
    // 'wx' is O_CREAT | O_EXCL: it fails rather than follow a link or open a file already there.
    fd = openSync(temporary, 'wx', secret ? 0o600 : 0o644);
    created = true;
    writeFileSync(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    // Only a file this call made: never one that was at that name before.
    if (created) rmSync(temporary, { force: true });
    throw new FileWriteError(path, error);
  }
  syncFolder(folder);
}

/** Flushes a written file to disk, then renames it into place and flushes the rename: never a file half there after a crash. */
export function renameDurablySync(written: string, path: string): void {
  const fd = openSync(written, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(written, path);
  syncFolder(dirname(path));
}

/**
 * Flushes a folder's entries, and so a rename in it, to disk. The file is in place by then: a folder
 * that cannot be flushed (Windows cannot open one; some network file systems refuse) is no reason
 * to report the write as failed.
 */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort: see above.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
