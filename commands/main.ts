import { createRequire } from 'node:module';
import type { Command as CommandType, CommanderError } from 'commander';
import { exitCodeFor } from './errors.js';
import { Context, ExitCode } from './context.js';
import type { IO } from './io.js';
import { finish, reportError, writeJsonError } from './run.js';
import { addOptions, GLOBAL_OPTIONS } from './options.js';
import { quickMain } from './quick.js';
import { COMMANDS } from './registry.js';
import { packageVersion } from './version.js';

/**
 * Commander is loaded only when needed (the quick path of `imagekit url` does without it), and as
 * CommonJS: its ESM wrapper costs more to load than commander itself.
 */
const loadCommander = () => createRequire(import.meta.url)('commander') as typeof import('commander');

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

function buildProgram(context: Context): CommandType {
  const { io } = context;
  const { Command } = loadCommander();
  const program = new Command('imagekit')
    .description('The command line for ImageKit.io: URLs, signing, uploads, the media library and CDN purges.')
    .version(packageVersion(), '-V, --version');
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

/** Runs the command line and returns the exit code; never calls process.exit. */
export async function main(argv: readonly string[], io: IO): Promise<number> {
  // The same quick path bin/imagekit.js takes for `imagekit url`, so that tests run it too.
  const quickCode = await quickMain(argv, io);
  if (quickCode !== undefined) return quickCode;
  const context = new Context(io);
  // Known before parsing, so that a usage error found while parsing is also reported as JSON.
  context.options = { json: argv.includes('--json') };
  try {
    await runWithCommander(argv, context);
  } catch (error) {
    if (isCommanderError(error)) {
      // Commander has printed the help, the version, or its usage error already. Help asked for exits
      // 0; help shown because the command line was incomplete (`imagekit config`) is a usage error.
      if (error.exitCode === 0) return ExitCode.ok;
      if (context.options.json) writeJsonError(io, { message: error.message.replace(/^error: /, '') });
      return ExitCode.usage;
    }
    return reportError(error, context);
  }

  return finish(context);
}

async function runWithCommander(argv: readonly string[], context: Context): Promise<void> {
  const program = buildProgram(context);
  const name = invokedCommand(argv);
  for (const entry of COMMANDS) {
    if (entry.name === name) (await entry.load()).register(program, context);
    else program.command(entry.name).description(entry.summary);
  }
  program.commands.forEach((command) => command.exitOverride());
  await program.parseAsync([...argv], { from: 'user' });
}

function isCommanderError(error: unknown): error is CommanderError {
  return error instanceof Error && typeof (error as CommanderError).code === 'string' && (error as CommanderError).code.startsWith('commander.');
}

export { systemIO } from './io.js';

export { exitCodeFor };
