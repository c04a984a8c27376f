/**
 * The whole program: every command's summary, and the full definition of the one command the
 * arguments name, loaded on its own. The shipped CLI comes here for help, completion, an unknown
 * command or global options before the command's name; a known command first runs from a bundle of
 * its own (one-command.ts), and `imagekit url` from the quick path.
 */
import type { Command as CommandType } from 'commander';
import type { Registrar } from './command.js';
import type { IO } from './io.js';
import { GLOBAL_OPTIONS } from './options.js';
import { buildProgram, runProgram } from './program.js';
import { quickMain } from './quick.js';
import { COMMANDS } from './registry.js';

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

/** Runs the command line and returns the exit code; never calls process.exit. */
export async function main(argv: readonly string[], io: IO): Promise<number> {
  // The same quick path bin/imagekit.js takes for `imagekit url`, so that tests run it too.
  const quickCode = await quickMain(argv, io);
  if (quickCode !== undefined) return quickCode;
  return runProgram(argv, io, async (program, registrar) => {
    const name = invokedCommand(argv);
    for (const entry of COMMANDS) {
      if (entry.name === name) (await entry.load()).register(program, registrar);
      else program.command(entry.name).description(entry.summary);
    }
  });
}

/** The program with every command fully defined, for what reads the whole tree (completion scripts). */
export async function fullProgram(registrar: Registrar): Promise<CommandType> {
  const program = buildProgram(registrar.io);
  for (const entry of COMMANDS) (await entry.load()).register(program, registrar);
  return program;
}

export { systemIO } from './io.js';
