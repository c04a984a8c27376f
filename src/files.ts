/**
 * Local files to upload: glob matching and directory walking, with hidden files and symbolic links
 * handled on purpose rather than by accident.
 */
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Whether a string has glob syntax. */
export const isGlob = (text: string) => /[*?[\]{}]/.test(text);

/** A glob as a regular expression over `/`-separated paths: `*`, `**`, `?`, `[abc]`, `{a,b}`. */
export function globToRegExp(glob: string): RegExp {
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
 * Whether a relative path matches a pattern. A pattern without `/` matches the file's name anywhere
 * (`*.map`), as in .gitignore; one with `/` matches the whole relative path (`img/**`).
 */
export function matchesPattern(relativePath: string, pattern: string): boolean {
  const path = relativePath.split(sep).join('/');
  if (!pattern.includes('/')) return globToRegExp(pattern).test(path.slice(path.lastIndexOf('/') + 1));
  return globToRegExp(pattern.replace(/^\.\//, '')).test(path);
}

export interface WalkOptions {
  hidden: boolean;
  followSymlinks: boolean;
}

export interface FoundFile {
  /** The absolute path. */
  path: string;
  /** The path relative to the directory walked, with `/` separators. */
  relativePath: string;
  size: number;
}

/** Every file under a directory, sorted by relative path. Hidden entries are skipped unless asked for. */
export function walkDirectory(root: string, options: WalkOptions): FoundFile[] {
  const found: FoundFile[] = [];
  const visited = new Set<string>();
  const visit = (dir: string) => {
    const real = realpathSync(dir);
    if (visited.has(real)) return; // a symlink loop
    visited.add(real);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
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
      if (isDirectory) visit(path);
      else if (isFile) found.push({ path, relativePath: relative(root, path).split(sep).join('/'), size: statSync(path).size });
    }
  };
  visit(root);
  return found.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
}

/** The part of a glob before its first wildcard segment: where to start walking. */
export function globBase(glob: string): string {
  const segments = glob.split('/');
  const firstWild = segments.findIndex(isGlob);
  const base = segments.slice(0, firstWild).join('/');
  return base === '' ? (glob.startsWith('/') ? '/' : '.') : base;
}

/** Is this a symbolic link (without following it)? */
export function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
