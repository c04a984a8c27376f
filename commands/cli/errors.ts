/**
 * The command line's errors and exit codes, decided in one place: what each error exits with, and
 * the one rule for commands that act on many items (0 all done, 5 some failed, 1 or the shared cause
 * when all failed).
 */
import { ApiError, ConfigError, ImageKitError, InvalidInputError } from '../../src/errors.js';

/** Exit codes, as documented in the README and the CLI contract. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  config: 3,
  notFound: 4,
  partial: 5,
  interrupted: 130,
} as const;

/** A command line that cannot work as written (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A file, folder or field named on the command line that does not exist (exit code 4, like the API's 404). */
export class ObjectNotFoundError extends ImageKitError {
  constructor(message: string) {
    super('ERR_NOT_FOUND', message);
  }
}

/** The wait for asynchronous work (a job, a purge) ran out before the work was done. */
export class WaitTimeoutError extends ImageKitError {
  constructor(message: string) {
    super('ERR_WAIT_TIMEOUT', message);
  }
}

/** The user stopped the command (Ctrl-C at a prompt, or during a wait, whose work goes on at ImageKit). */
export class InterruptedError extends ImageKitError {
  constructor(message: string) {
    super('ERR_INTERRUPTED', message);
  }
}

/**
 * The exit code for an error thrown by a command. 2 is kept for what the command line itself gets
 * wrong, found before anything is sent; an API's 400 often depends on the account's state (a name
 * taken, a version limit), so it is an API failure (1) like the rest. 401 and 403 are credentials
 * (3), 404 is not found (4), and a 207 is a partial success (5).
 */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof InvalidInputError) return ExitCode.usage;
  if (error instanceof ConfigError) return ExitCode.config;
  if (error instanceof ObjectNotFoundError) return ExitCode.notFound;
  if (error instanceof ImageKitError && error.code === 'ERR_INTERRUPTED') return ExitCode.interrupted;
  if (error instanceof ApiError) {
    if (error.status === 401 || error.status === 403) return ExitCode.config;
    if (error.status === 404) return ExitCode.notFound;
    if (error.status === 207) return ExitCode.partial;
  }
  return ExitCode.failure;
}

/**
 * The exit code of a command that acts on many items, from the exit code of each failed item: 0 when
 * none failed, 5 when some did, and when all failed, the code they share if it says more than a
 * failure (refused credentials 3, not found 4), else 1.
 */
export function batchExitCode(total: number, failureCodes: readonly number[]): number {
  if (failureCodes.length === 0) return ExitCode.ok;
  if (failureCodes.length < total) return ExitCode.partial;
  const shared = failureCodes[0]!;
  const telling = shared === ExitCode.config || shared === ExitCode.notFound;
  return telling && failureCodes.every((code) => code === shared) ? shared : ExitCode.failure;
}
