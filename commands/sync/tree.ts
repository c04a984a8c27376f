/**
 * The two sides of a sync as maps from a path relative to the synced folder (`js/app.js`) to the
 * file there: the remote folder read with one list call per 1,000 files, and the filters that pick
 * which paths take part on either side.
 */
import type { FileDetails, ImageKitClient } from '../../src/client.js';
import { matchesPattern } from '../../src/files.js';
import { filePathIn } from '../../src/paths.js';
import { ObjectNotFoundError } from '../cli/errors.js';

/** The flags that choose which files take part, on both sides alike. */
export interface TreeFilter {
  include?: string[];
  exclude?: string[];
  hidden?: boolean;
}

/**
 * Whether a relative path takes part: as `upload` picks files (.gitignore-like --include and
 * --exclude, hidden files only with --hidden). Applied to the remote side too, so that a file left
 * out locally is never taken for one deleted locally.
 */
export function takesPart(relativePath: string, filter: TreeFilter): boolean {
  if (!filter.hidden && relativePath.split('/').some((segment) => segment.startsWith('.'))) return false;
  if (filter.include?.length && !filter.include.some((p) => matchesPattern(relativePath, p))) return false;
  return !(filter.exclude ?? []).some((p) => matchesPattern(relativePath, p));
}

/**
 * Every file under a remote folder, at any depth, by relative path. The list API's `path` parameter
 * covers one folder only; a `path` condition in `searchQuery` covers its sub-folders too, so a
 * folder of any shape costs one call per 1,000 files. Only files under the folder are kept, whatever
 * the condition matched besides (a sibling `/assets-old` shares the prefix).
 */
export async function remoteTree(client: ImageKitClient, folder: string): Promise<Map<string, FileDetails>> {
  const prefix = filePathIn(folder, '');
  const files = new Map<string, FileDetails>();
  const params = folder === '/' ? { type: 'file' as const } : { searchQuery: `path : "${folder}"` };
  for await (const page of client.listPages(params)) {
    for (const item of page) if (item.type === 'file' && item.filePath.startsWith(prefix)) files.set(item.filePath.slice(prefix.length), item);
  }
  return files;
}

/** Throws ObjectNotFoundError (exit 4) when a remote folder other than the root does not exist. */
export async function checkFolderExists(client: ImageKitClient, folder: string): Promise<void> {
  if (folder === '/') return;
  const at = folder.lastIndexOf('/');
  const [parent, name] = [folder.slice(0, at) || '/', folder.slice(at + 1)];
  const found = await client.listFiles({ path: parent, searchQuery: `type = "folder" AND name = "${name}"` });
  if (!found.some((item) => item.type === 'folder' && item.name === name)) throw new ObjectNotFoundError(`no folder ik:${folder}`);
}
