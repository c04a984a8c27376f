/**
 * Local files to upload: glob matching and directory walking, with hidden files and symbolic links
 * handled on purpose rather than by accident.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
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
 * Every file under a directory, sorted by relative path. Hidden entries are skipped unless asked for;
 * a folder that cannot be read is skipped and reported through `onSkip`.
 */
export function walkDirectory(root: string, options: WalkOptions, onSkip: (path: string, reason: string) => void = () => {}): FoundFile[] {
  const found: FoundFile[] = [];
  // Folders on the way down (real paths): a link back to one of them is a loop. A folder reached
  // again by another way is walked again, so every path to a file is uploaded.
  const onTheWay = new Set<string>();
  const visit = (dir: string, depth: number) => {
    let real: string;
    let entries;
    try {
      real = realpathSync(dir);
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      onSkip(dir, (error as NodeJS.ErrnoException).code ?? 'unreadable');
      return;
    }
    if (onTheWay.has(real)) return;
    onTheWay.add(real);
    for (const entry of entries) {
      if (!options.hidden && entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        if (!options.followSymlinks) continue;
        try {
          const target = statSync(path);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        } catch {
          continue; // a dangling link
        }
      }
      if (isDirectory) {
        if (options.maxDepth === undefined || depth < options.maxDepth) visit(path, depth + 1);
      } else if (isFile) found.push({ path, relativePath: relative(root, path).split(sep).join('/'), size: statSync(path).size });
    }
    onTheWay.delete(real);
  };
  visit(root, 1);
  return found.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
}

/** The part of a glob before its first wildcard segment: where to start walking. */
export function globBase(glob: string): string {
  const segments = glob.split('/');
  const firstWild = segments.findIndex(isGlob);
  const base = segments.slice(0, firstWild).join('/');
  return base === '' ? (glob.startsWith('/') ? '/' : '.') : base;
}
