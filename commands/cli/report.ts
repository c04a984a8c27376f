/**
 * The end of every run, shared by the full program and the quick path: printing the command's
 * result through the one output layer, and reporting errors with their exit code.
 */
import { ApiError, ImageKitError } from '../../src/errors.js';
import { errorPrefix, type GlobalOptions } from './context.js';
import { ExitCode, exitCodeFor } from './errors.js';
import { colorEnabled, type IO } from './io.js';
import { chooseFormat, render, type Result } from './output.js';

/** Prints a command's result and returns the exit code. */
export async function finish(result: Result | undefined, options: GlobalOptions, io: IO): Promise<number> {
  if (!result) return ExitCode.ok;
  try {
    const selection = { fields: options.jsonFields, jq: options.jq };
    await render(result, chooseFormat(options, io, result), io, () => colorEnabled(io, io.stdoutIsTTY, options.color === false), selection);
  } catch (error) {
    return reportError(error, options, io);
  }
  return result.exitCode?.() ?? ExitCode.ok;
}

/** The contract's JSON error document on stdout, for --json. */
export function writeJsonError(io: IO, error: { message: string; status?: number; help?: string; requestId?: string }): void {
  const { status = null, message, help = null, requestId = null } = error;
  io.stdout.write(JSON.stringify({ error: { status, message, help, requestId } }) + '\n');
}

/** Prints an error (and its help and request id) on stderr, as JSON too with --json; returns its exit code. */
export function reportError(error: unknown, options: GlobalOptions, io: IO): number {
  const code = exitCodeFor(error);
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`${errorPrefix(io, options)} ${message}\n`);
  if (error instanceof ApiError) {
    if (error.help) io.stderr.write(`  ${error.help}\n`);
    if (error.requestId) io.stderr.write(`  request id: ${error.requestId}\n`);
  }
  if (options.json) {
    const api = error instanceof ApiError ? error : undefined;
    writeJsonError(io, { message, status: api?.status, help: api?.help, requestId: api?.requestId });
  }
  if (code === ExitCode.failure && !(error instanceof ImageKitError) && options.verbose && error instanceof Error && error.stack) {
    io.stderr.write(error.stack + '\n');
  }
  return code;
}
