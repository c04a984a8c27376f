import type { Command } from 'commander';
/** `imagekit job status`: where a bulk job (folder copy, move, rename) stands, waiting for it on request. */
import type { Registrar } from './cli/command.js';
import { parseDuration } from './cli/flags.js';
import { jobResult } from './shared/job-result.js';

export function register(program: Command, registrar: Registrar): void {
  const job = program.command('job').summary('status of a bulk job (folder copy, move, rename)');
  job
    .command('status')
    .description('Show a bulk job\'s status; with --wait, wait until it is done.')
    .argument('<jobId>', 'the job id printed by folder cp/mv/rename --no-wait')
    .option('--wait', 'wait until the job is done')
    .option('--wait-timeout <duration>', 'stop waiting after this long, exit 1 (default 10m)', parseDuration('--wait-timeout'))
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ imagekit job status 6553ab1f2c8a --wait\n  $ imagekit job status 6553ab1f2c8a --json')
    .action(
      registrar.action<[string], { wait?: boolean; waitTimeout?: number }>(async ([jobId], flags, context) => {
        if (flags.wait) return jobResult(jobId, { wait: true, waitTimeout: flags.waitTimeout }, context);
        const status = await (await context.client()).getBulkJobStatus(jobId);
        return jobResult(jobId, { wait: false }, context, status);
      }),
    );
}
