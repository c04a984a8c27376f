/**
 * The program of a per-command bundle (see scripts/build.mjs): the root with its global options and
 * the one command the bundle carries, with no other command's code or summary to load or define.
 * bin/imagekit.js runs it when the first argument names that command; anything else (help of the
 * whole program, another command) goes through main.ts.
 */
import type { CommandModule } from './command.js';
import type { IO } from './io.js';
import { runProgram } from './program.js';

/** The entry point of a bundle that carries `command` alone. */
export function oneCommandMain(command: CommandModule): (argv: readonly string[], io: IO) => Promise<number> {
  return (argv, io) => runProgram(argv, io, (program, registrar) => command.register(program, registrar));
}
