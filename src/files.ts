/**
 * Local files to upload: glob matching and directory walking, with hidden files and symbolic links
 * handled on purpose rather than by accident, and whatever cannot be uploaded (a FIFO, a name that is
 * not UTF-8, an unreadable folder) told one entry at a time instead of ending the walk.
 */
import { isUtf8 } from 'node:buffer';
import { accessSync, closeSync, constants, fstatSync, openSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { InvalidInputError } from './errors.js';

/** Whether a string has glob syntax. */
export const isGlob = (text: string) => /[*?[\]{}]/.test(text);

/** A glob as a regular expression over `/`-separated paths: `*`, `**`, `?`, `[abc]`, `{a,b}`. */
export function globToRegExp(glob: string): RegExp {
  try {
    return compileGlob(glob);
  } catch {
    throw new InvalidInputError(`"${glob}" is not a valid glob`);
  }
}

function compileGlob(glob: string): RegExp {
  let source = '';
  let inGroup = false;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches any number of folders, including none; `**` alone matches anything.
        if (glob[i + 2] === '/') {
          source += '(?:.*/)?';
          i += 2;
        } else {
          source += '.*';
          i += 1;
        }
      } else source += '[^/]*';
    } else if (ch === '?') source += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        source += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (ch === '{') {
      inGroup = true;
      source += '(?:';
    } else if (ch === '}' && inGroup) {
      inGroup = false;
      source += ')';
    } else if (ch === ',' && inGroup) source += '|';
    else source += ch.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * Whether a relative path matches a pattern, as in .gitignore: a pattern without `/` matches the
 * file's name or any folder on its way (`*.map`, `node_modules`); `name/` matches folders only; a
 * pattern with `/` inside matches the whole relative path (`img/**`).
 */
export function matchesPattern(relativePath: string, pattern: string): boolean {
  const segments = relativePath.split(sep).join('/').split('/');
  const folderOnly = pattern.endsWith('/');
  const bare = pattern.replace(/\/+$/, '');
  if (!bare.includes('/')) {
    const regex = globToRegExp(bare);
    const candidates = folderOnly ? segments.slice(0, -1) : segments;
    return candidates.some((segment) => regex.test(segment));
  }
  const regex = globToRegExp(bare.replace(/^\.\//, ''));
  const path = segments.join('/');
  if (regex.test(path)) return true;
  // A folder pattern (`img/icons`) also matches everything inside that folder.
  return segments.slice(0, -1).some((_, i) => regex.test(segments.slice(0, i + 1).join('/')));
}

export interface WalkOptions {
  hidden: boolean;
  followSymlinks: boolean;
  /** How many folders deep to go (1: the directory's own files); unlimited when omitted. */
  maxDepth?: number;
}

export interface FoundFile {
  /** The absolute path. */
  path: string;
  /** The path relative to the directory walked, with `/` separators. */
  relativePath: string;
  size: number;
}

/**
 * An entry the walk leaves out for a reason worth telling: each is one item that cannot be uploaded,
 * never a reason to give up the whole walk. (Hidden entries, and links when not following them, are
 * left out on purpose and not told.)
 */
export interface SkippedEntry {
  /** The absolute path, with the bytes of a name that are not UTF-8 shown as `\xNN`. */
  path: string;
  /** The path relative to the directory walked, with `/` separators, shown the same way. */
  relativePath: string;
  /** Why: an error code for a folder that cannot be read (`EACCES`), `a FIFO, not a regular file`, ... */
  reason: string;
  /** A folder, whose whole content is left out. */
  isFolder: boolean;
}

/** What an entry that is not a regular file is, in words. */
function kindOf(entry: Stats): string {
  if (entry.isDirectory()) return 'a folder';
  if (entry.isFIFO()) return 'a FIFO';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice()) return 'a character device';
  if (entry.isBlockDevice()) return 'a block device';
  return 'a special file';
}

/**
 * Why a local path cannot be uploaded as a file, or undefined when it can: it must be a readable
 * regular file, links followed. A FIFO or a device would block the upload or send the wrong bytes.
 * `shownAs` is how the message names the path, e.g. `x is a FIFO, not a regular file`.
 */
export function regularFileProblem(path: string, shownAs = path): string | undefined {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    return unreadable(error, shownAs);
  }
  return stats.isFile() ? readableProblem(path, shownAs) : notRegular(stats, shownAs);
}

/** Why a regular file (as a walk found it) cannot be read, or undefined when it can. */
export function readableProblem(path: string, shownAs = path): string | undefined {
  try {
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (error) {
    return unreadable(error, shownAs);
  }
}

/**
 * Opens a file to upload, for reading: its descriptor and size, or an InvalidInputError saying what
 * regularFileProblem would. One open and one fstat, where a check and then a read would cost more
 * calls per file; opened non-blocking, so that a FIFO is refused rather than waited on.
 */
export function openRegularFile(path: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new InvalidInputError(unreadable(error, path));
  }
  const stats = fstatSync(fd);
  if (stats.isFile()) return { fd, size: stats.size };
  closeSync(fd);
  throw new InvalidInputError(notRegular(stats, path));
}

const unreadable = (error: unknown, shownAs: string) => {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? `${shownAs} does not exist` : `cannot read ${shownAs}: ${code ?? (error as Error).message}`;
};
const notRegular = (stats: Stats, shownAs: string) => `${shownAs} is ${kindOf(stats)}, not a regular file`;

/** A file name as bytes, readable: valid UTF-8 as text, any other byte as `\xNN`. */
function showFileName(bytes: Buffer): string {
  let shown = '';
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
    const sequence = bytes.subarray(i, i + length);
    if (length > 0 && sequence.length === length && isUtf8(sequence)) {
      shown += sequence.toString('utf8');
      i += length;
    } else {
      shown += `\\x${lead.toString(16).padStart(2, '0')}`;
      i += 1;
    }
  }
  return shown;
}

const DOT = 0x2e;

/**
 * Every file under a directory, sorted by relative path. Hidden entries are skipped unless asked for.
 * Whatever else cannot be uploaded (a folder that cannot be read, a name that is not UTF-8, a FIFO,
 * socket or device, a broken link being followed) is left out and told to `onSkip`, one entry at a
 * time, and the walk goes on. `onSkip` gets the path and reason first, then the whole entry.
 */
export function walkDirectory(
  root: string,
  options: WalkOptions,
  onSkip: (path: string, reason: string, skipped: SkippedEntry) => void = () => {},
): FoundFile[] {
  const found: FoundFile[] = [];
  // Relative paths are built on the way down: path.relative for each file would cost more than the walk.
  const within = (relativeDir: string, name: string) => (relativeDir === '' ? name : `${relativeDir}/${name}`);
  const skip = (path: string, relativePath: string, reason: string, isFolder: boolean) => onSkip(path, reason, { path, relativePath, reason, isFolder });
  const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  // Folders on the way down (real paths): a link back to one of them is a loop. A folder reached
  // again by another way is walked again, so every path to a file is uploaded.
  const onTheWay = new Set<string>();
  const visit = (dir: string, relativeDir: string, depth: number) => {
    const goesDeeper = options.maxDepth === undefined || depth < options.maxDepth;
    let real: string;
    let entries: Dirent<Buffer>[];
    try {
      real = realpathSync(dir);
      // Names as bytes: one that is not UTF-8 has no exact string form, and as a string it would
      // name a file that does not exist.
      entries = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      skip(dir, relativeDir, codeOf(error), true);
      return;
    }
    if (onTheWay.has(real)) return;
    onTheWay.add(real);
    for (const entry of entries) {
      if (!options.hidden && entry.name[0] === DOT) continue;
      if (entry.isSymbolicLink() && !options.followSymlinks) continue;
      if (!isUtf8(entry.name)) {
        const shown = showFileName(entry.name);
        if (!entry.isDirectory() || goesDeeper) skip(join(dir, shown), within(relativeDir, shown), 'its name is not valid UTF-8', entry.isDirectory());
        continue;
      }
      const name = entry.name.toString('utf8');
      const path = join(dir, name);
      const relativePath = within(relativeDir, name);
      let stats: Stats;
      try {
        stats = statSync(path);
      } catch (error) {
        const code = codeOf(error);
        skip(path, relativePath, entry.isSymbolicLink() && code === 'ENOENT' ? 'a broken symbolic link' : code, entry.isDirectory());
        continue;
      }
      if (stats.isDirectory()) {
        if (goesDeeper) visit(path, relativePath, depth + 1);
      } else if (stats.isFile()) found.push({ path, relativePath, size: stats.size });
      else skip(path, relativePath, `${kindOf(stats)}, not a regular file`, false);
    }
    onTheWay.delete(real);
  };
  visit(root, '', 1);
  return found.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
}

/** The part of a glob before its first wildcard segment: where to start walking. */
export function globBase(glob: string): string {
  const segments = glob.split('/');
  const firstWild = segments.findIndex(isGlob);
  const base = segments.slice(0, firstWild).join('/');
  return base === '' ? (glob.startsWith('/') ? '/' : '.') : base;
}
