/** The media library's rules, shared by the command line and the emulator: paths, names, list orders. */

/** A folder path as `/` or `/a/b`: no trailing slash, no empty or `.` segments. */
export function normaliseFolder(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  return '/' + parts.join('/');
}

/** A file name as ImageKit stores it: anything but letters, digits, `.`, `_` and `-` becomes `_`. */
export const sanitiseName = (name: string) => name.replace(/[^\p{L}\p{M}\p{N}._-]/gu, '_');

/** A folder name as ImageKit stores it: like a file name, but a `.` becomes `_` too. */
export const sanitiseFolderName = (name: string) => name.replace(/[^\p{L}\p{M}\p{N}_-]/gu, '_');

/** The file path of a name in a folder: `/a/b` and `c.jpg` give `/a/b/c.jpg`. */
export const filePathIn = (folder: string, name: string) => `${folder === '/' ? '' : folder}/${name}`;

/** The orders the list API can sort by. */
export const LIST_SORTS: readonly string[] = ['ASC_NAME', 'DESC_NAME', 'ASC_CREATED', 'DESC_CREATED', 'ASC_UPDATED', 'DESC_UPDATED', 'ASC_HEIGHT', 'DESC_HEIGHT', 'ASC_WIDTH', 'DESC_WIDTH', 'ASC_SIZE', 'DESC_SIZE', 'ASC_RELEVANCE', 'DESC_RELEVANCE'];
