/**
 * The whole program: the root command with its global options, and the one command the arguments
 * name, loaded on its own. Each command's handler returns its Result here, to be rendered once.
 */
// Bundled with the command layer (the quick path of `imagekit url` does without it).
import { Command as CommandType, type CommanderError } from 'commander';
import type { Registrar } from './command.js';
import { Context, type GlobalOptions } from './context.js';
import { ExitCode } from './errors.js';
import type { IO } from './io.js';
import type { Result } from './output.js';
import { takeJsonFields } from './json-selection.js';
import { finish, reportError, writeJsonError } from './report.js';
import { addOptions, GLOBAL_OPTIONS } from './options.js';
import { quickMain } from './quick.js';
import { COMMANDS } from './registry.js';
import { packageVersion } from './version.js';


/** Root options that take a value, so the value is not mistaken for a command name. */
const ROOT_OPTIONS_WITH_VALUES = new Set(GLOBAL_OPTIONS.filter((o) => o.flags.includes('<')).map((o) => o.flags.split(' ')[0]!));

/** The command the arguments name, if any: only its module is loaded, so start-up stays fast. */
function invokedCommand(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return undefined;
    if (ROOT_OPTIONS_WITH_VALUES.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    if (arg === 'help') return argv.slice(i + 1).find((a) => !a.startsWith('-'));
    return arg;
  }
  return undefined;
}

function buildProgram(io: IO): CommandType {
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

/** Runs the command line and returns the exit code; never calls process.exit. */
export async function main(argv: readonly string[], io: IO): Promise<number> {
  // The same quick path bin/imagekit.js takes for `imagekit url`, so that tests run it too.
  const quickCode = await quickMain(argv, io);
  if (quickCode !== undefined) return quickCode;
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
    const program = await buildProgramFor(argv, registrar);
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

/** The program with every command fully defined, for what reads the whole tree (completion scripts). */
export async function fullProgram(registrar: Registrar): Promise<CommandType> {
  const program = buildProgram(registrar.io);
  for (const entry of COMMANDS) (await entry.load()).register(program, registrar);
  return program;
}

/** The program with every command's summary, and the whole definition of the one argv names. */
async function buildProgramFor(argv: readonly string[], registrar: Registrar): Promise<CommandType> {
  const program = buildProgram(registrar.io);
  const name = invokedCommand(argv);
  for (const entry of COMMANDS) {
    if (entry.name === name) (await entry.load()).register(program, registrar);
    else program.command(entry.name).description(entry.summary);
  }
  program.commands.forEach((command) => command.exitOverride());
  return program;
}

function isCommanderError(error: unknown): error is CommanderError {
  return error instanceof Error && typeof (error as CommanderError).code === 'string' && (error as CommanderError).code.startsWith('commander.');
}

export { systemIO } from './io.js';
