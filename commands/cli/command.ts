/**
 * How a command plugs into the program: its module registers commander definitions, and each action
 * is a handler that gets the parsed arguments, the options and a Context, and returns its Result.
 * The handler never prints its data: the registrar that made the action hands the Result to the one
 * output layer (report.ts).
 */
import type { Command } from 'commander';
import type { Context, GlobalOptions } from './context.js';
import type { IO } from './io.js';
import type { Result } from './output.js';

export type Handler<Args extends unknown[], Flags> = (args: Args, flags: Flags & GlobalOptions, context: Context) => Promise<Result> | Result;

/** What the program gives a command module to register with. */
export interface Registrar {
  readonly io: IO;
  /** Wraps a handler as a commander action. */
  action<Args extends unknown[], Flags extends object>(handler: Handler<Args, Flags>): (...commanderArgs: unknown[]) => Promise<void>;
}

/** A command module registers its command (and subcommands) on the root program. */
export interface CommandModule {
  register(program: Command, registrar: Registrar): void;
}

/** The "Examples:" block of a command's help, one `$ imagekit ...` line each. */
export const examples = (...lines: string[]) => `\nExamples:\n${lines.map((line) => `  $ imagekit ${line}`).join('\n')}`;
