/** The one check of a folder path typed on the command line, used by every command that takes one. */
import { UsageError } from '../cli/errors.js';

/**
 * Refuses a folder path before anything is sent: ImageKit refuses `..`, and a `\` or `:` is the sign
 * of a local path (Git Bash turns `/assets` into `C:/Program Files/Git/assets`). `what` names the
 * argument in the message.
 */
export function checkFolderPath(path: string, what: string): void {
  if (path.split(/[\\/]/).includes('..')) throw new UsageError(`${what} "${path}" must not contain ..`);
  if (/[\\:]/.test(path)) {
    throw new UsageError(`${what} "${path}" looks like a local path: folder paths use /; in Git Bash, set MSYS_NO_PATHCONV=1 so that /folder is passed as written`);
  }
}
