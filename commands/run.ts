/**
 * The end of every run, shared by the full program and the quick path: printing the result through
 * the one output layer, and reporting errors with their exit code.
 */
import { ApiError, ImageKitError } from '../src/errors.js';
import { ExitCode, type Context } from './context.js';
import { exitCodeFor } from './errors.js';
import { colorEnabled, type IO } from './io.js';
import { chooseFormat, render } from './output.js';

/** Prints the command's result and returns the exit code. */
export async function finish(context: Context): Promise<number> {
  const { io, options, result } = context;
  if (!result) return ExitCode.ok;
  try {
    await render(result, chooseFormat(options, io, result), io, () => colorEnabled(io, io.stdoutIsTTY, options.color === false));
  } catch (error) {
    return reportError(error, context);
  }
  return result.exitCode?.() ?? ExitCode.ok;
}

/** The contract's JSON error document on stdout, for --json. */
export function writeJsonError(io: IO, error: { message: string; status?: number; help?: string; requestId?: string }): void {
  const { status = null, message, help = null, requestId = null } = error;
  io.stdout.write(JSON.stringify({ error: { status, message, help, requestId } }) + '\n');
}

/** Prints an error (and its help and request id) on stderr, as JSON too with --json; returns its exit code. */
export function reportError(error: unknown, context: Context): number {
  const code = exitCodeFor(error);
  const { io, options } = context;
  const message = error instanceof Error ? error.message : String(error);
  const prefix = colorEnabled(io, io.stderrIsTTY, options.color === false) ? '\x1b[31merror:\x1b[39m' : 'error:';
  io.stderr.write(`${prefix} ${message}\n`);
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

