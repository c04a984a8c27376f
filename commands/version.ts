/** `imagekit version`: the version, as `--version` and `-v` print it. */
import type { Command } from 'commander';
import type { Registrar } from './cli/command.js';
import { packageVersion } from './cli/version.js';

export function register(program: Command, registrar: Registrar): void {
  program
    .command('version')
    .summary('print the version')
    .addHelpText('after', '\nExamples:\n  $ imagekit version\n  $ imagekit version --json')
    .action(registrar.action<[], object>(() => ({ kind: 'text', text: packageVersion(), json: { version: packageVersion() } })));
}
