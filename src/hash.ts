/**
 * The SHA-256 of local files, as lowercase hex: what `sync` and `upload` store on each file they
 * upload, so that a later run can tell by content (not by size) whether a file changed.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { crypto } from './builtins.js';

/** Files up to this size are read in one go; larger ones stream through the hash. */
const WHOLE_READ_BYTES = 1024 * 1024;
/** One buffer for every whole read: hashing allocates nothing per file. */
const buffer = Buffer.allocUnsafe(WHOLE_READ_BYTES);

/**
 * Streams a file through SHA-256; memory stays flat whatever its size. A file of up to 1 MB is read
 * with synchronous reads into one shared buffer, which for the thousands of small files of a web
 * build is several times faster than a trip through the thread pool per file, and short enough not
 * to hold up other work. `size`, when the caller knows it, saves asking the file system again.
 */
export async function sha256File(path: string, size?: number): Promise<string> {
  const hash = crypto().createHash('sha256');
  const fd = openSync(path, 'r');
  let streaming = false;
  try {
    if ((size ?? fstatSync(fd).size) > WHOLE_READ_BYTES) {
      streaming = true;
      // The stream takes the descriptor over, and closes it.
      for await (const chunk of createReadStream('', { fd, highWaterMark: WHOLE_READ_BYTES })) hash.update(chunk as Buffer);
    } else {
      // Until the end, not just the size seen (the file may have grown since); a short read of a
      // regular file is its end.
      for (let read = readSync(fd, buffer); read > 0; read = read < buffer.length ? 0 : readSync(fd, buffer)) hash.update(buffer.subarray(0, read));
    }
  } finally {
    if (!streaming) closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Hashes many files, `concurrency` of the large ones streaming at once, handing the event loop back
 * every few milliseconds so that calls in flight (list pages) and Ctrl-C are seen meanwhile.
 */
export async function sha256Files(files: ReadonlyArray<{ path: string; size?: number }>, concurrency: number): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  let next = 0;
  let lastYield = Date.now();
  const worker = async () => {
    while (next < files.length) {
      const { path, size } = files[next++]!;
      hashes.set(path, await sha256File(path, size));
      if (Date.now() - lastYield > 10) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = Date.now();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, files.length)) }, worker));
  return hashes;
}
