/** Media library paths as ImageKit stores them. */

/** A folder path as `/` or `/a/b`: no trailing slash, no empty or `.` segments. */
export function normaliseFolder(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  return '/' + parts.join('/');
}

/** A file name as ImageKit stores it: anything but letters, digits, `.`, `_` and `-` becomes `_`. */
export const sanitiseName = (name: string) => name.replace(/[^\p{L}\p{M}\p{N}._-]/gu, '_');

/** The file path of a name in a folder: `/a/b` and `c.jpg` give `/a/b/c.jpg`. */
export const filePathIn = (folder: string, name: string) => `${folder === '/' ? '' : folder}/${name}`;
