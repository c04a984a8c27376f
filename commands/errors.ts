import { ApiError, ConfigError, ImageKitError, InvalidInputError } from '../src/errors.js';
import { ExitCode, UsageError } from './context.js';

/**
 * The exit code for an error thrown by a command. 2 is kept for what the command line itself gets
 * wrong, found before anything is sent; an API's 400 often depends on the account's state (a name
 * taken, a version limit), so it is an API failure (1) like the rest. 401 and 403 are credentials
 * (3), 404 is not found (4), and a 207 is a partial success (5).
 */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof InvalidInputError) return ExitCode.usage;
  if (error instanceof ConfigError) return ExitCode.config;
  if (error instanceof FileNotFoundError) return ExitCode.notFound;
  if (error instanceof ImageKitError && error.code === 'ERR_INTERRUPTED') return ExitCode.interrupted;
  if (error instanceof ApiError) {
    if (error.status === 401 || error.status === 403) return ExitCode.config;
    if (error.status === 404) return ExitCode.notFound;
    if (error.status === 207) return ExitCode.partial;
  }
  return ExitCode.failure;
}

/** A file named by path that does not exist (exit code 4, like the API's 404). */
export class FileNotFoundError extends ImageKitError {
  constructor(message: string) {
    super('ERR_NOT_FOUND', message);
  }
}
FileNotFoundError.prototype.name = 'FileNotFoundError';
