/**
 * The quick path of `imagekit url`, bundled on its own into one file (dist/cli/bundle/quick.cjs):
 * scripts run it in loops, and this path needs none of commander or the other commands. Anything it
 * does not handle exactly as the full program would (help, unknown options) is left to the full
 * program.
 */
import { Context, type GlobalOptions } from './context.js';
import type { IO } from './io.js';
import { GLOBAL_OPTIONS, parseQuickly } from './options.js';
import { finish, reportError } from './report.js';
import { quick } from '../url.js';

/** The exit code, or undefined when the full program must run this command line instead. */
export async function quickMain(argv: readonly string[], io: IO): Promise<number | undefined> {
  if (argv[0] !== 'url') return undefined;
  let options: GlobalOptions = { json: argv.some((arg) => arg === '--json' || arg.startsWith('--json=')) };
  try {
    const parsed = parseQuickly(argv.slice(1), [...GLOBAL_OPTIONS, ...quick.options], quick.maxArguments);
    if (!parsed) return undefined;
    options = parsed.options as GlobalOptions;
    return await finish(await quick.run(parsed.positionals, parsed.options, new Context(io, options)), options, io);
  } catch (error) {
    return reportError(error, options, io);
  }
}

export { systemIO } from './io.js';
