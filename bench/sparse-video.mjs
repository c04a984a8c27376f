// A large file that takes no disk space and starts as an MP4 does: the emulator holds a video to the
// plan's video limit (2 GB on its default plan, pro), any other file to 50 MB.
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';

/** The first box of an MP4 (`ftyp`, brand isom). */
const MP4_HEAD = Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex');

/** Writes a sparse file of `bytes` bytes at `path` whose first bytes are an MP4's. */
export function writeSparseVideo(path, bytes) {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, MP4_HEAD);
    ftruncateSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}
