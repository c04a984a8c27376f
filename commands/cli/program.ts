/**
 * The root program and the run of a command line through it: the global options, the registrar that
 * hands each command's Result to the output layer, and the exit code of a usage error, a failure or
 * success. What is defined on the root is up to the caller: every command's summary (main.ts), or
 * just the one command a per-command bundle carries (one-command.ts).
 */
import { Command as CommandType, type CommanderError } from 'commander';
import type { Registrar } from './command.js';
import { Context, type GlobalOptions } from './context.js';
import { ExitCode } from './errors.js';
import type { IO } from './io.js';
import type { Result } from './output.js';
import { takeJsonFields } from './json-selection.js';
import { finish, reportError, writeJsonError } from './report.js';
import { addOptions, GLOBAL_OPTIONS } from './options.js';
import { packageVersion } from './version.js';

/** The root command with its global options, and no command under it yet. */
export function buildProgram(io: IO): CommandType {
  const program = new CommandType('imagekit')
    .description('The command line for ImageKit.io: URLs and signing, uploads and sync, the media library, CDN purges, account settings, and a local ImageKit.')
    .version(packageVersion(), '-v, --version');
  addOptions(program, GLOBAL_OPTIONS)
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .addHelpText(
      'after',
      `
The private key is read from IMAGEKIT_PRIVATE_KEY or a config file, never from a flag.
Exit codes: 0 ok, 1 API or network failure, 2 usage error, 3 credentials or config,
4 not found, 5 partial failure, 130 interrupted.
`,
    );
  return program;
}

/** What the command that ran handed back: its result, and the options it ran with. */
interface Completed {
  result: Result;
  options: GlobalOptions;
}

/**
 * Runs a command line through the root program once `define` has put its commands on it, and returns
 * the exit code; never calls process.exit.
 */
export async function runProgram(argv: readonly string[], io: IO, define: (program: CommandType, registrar: Registrar) => Promise<void> | void): Promise<number> {
  // Known before parsing, so that a usage error found while parsing is also reported as JSON.
  let options: GlobalOptions = { json: argv.some((arg) => arg === '--json' || arg.startsWith('--json=')) };
  let completed: Completed | undefined;
  let jsonFields: string[] | undefined;
  const registrar: Registrar = {
    io,
    action: (handler) => async (...commanderArgs: unknown[]) => {
      const command = commanderArgs[commanderArgs.length - 1] as CommandType;
      options = { ...command.optsWithGlobals(), jsonFields };
      const result = await handler(commanderArgs.slice(0, -2) as never, options as never, new Context(io, options));
      completed = { result, options };
    },
  };
  try {
    const program = buildProgram(io);
    await define(program, registrar);
    program.commands.forEach((command) => command.exitOverride());
    if (argv.length === 0) {
      // `imagekit` alone asks what there is: the help, on stdout, is the answer.
      program.outputHelp();
      return ExitCode.ok;
    }
    const selected = takeJsonFields(program, argv);
    jsonFields = selected.fields;
    await program.parseAsync(selected.argv, { from: 'user' });
  } catch (error) {
    if (isCommanderError(error)) {
      // Commander has printed the help, the version, or its usage error already. Help asked for exits
      // 0; help shown because the command line was incomplete (`imagekit config`) is a usage error.
      if (error.exitCode === 0) return ExitCode.ok;
      if (options.json) writeJsonError(io, { message: error.message.replace(/^error: /, '') });
      return ExitCode.usage;
    }
    return reportError(error, options, io);
  }
  return completed ? finish(completed.result, completed.options, io) : ExitCode.ok;
}

function isCommanderError(error: unknown): error is CommanderError {
  return error instanceof Error && typeof (error as CommanderError).code === 'string' && (error as CommanderError).code.startsWith('commander.');
}
