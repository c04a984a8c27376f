import type { Command } from 'commander';
import type { Context } from './context.js';
import { jobResult } from './folder.js';
import { DEFAULT_WAIT_TIMEOUT_MS, parseDuration } from './wait.js';

export function register(program: Command, context: Context): void {
  const job = program.command('job').summary('status of a bulk job (folder copy, move, rename)');
  job
    .command('status')
    .description('Show a bulk job\'s status; with --wait, wait until it is done.')
    .argument('<jobId>', 'the job id printed by folder cp/mv/rename --no-wait')
    .option('--wait', 'wait until the job is done')
    .option('--wait-timeout <duration>', 'stop waiting after this long, exit 1', parseDuration('--wait-timeout'), DEFAULT_WAIT_TIMEOUT_MS)
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ imagekit job status 6553ab1f2c8a --wait\n  $ imagekit job status 6553ab1f2c8a --json')
    .action(
      context.action<[string], { wait?: boolean; waitTimeout: number }>(async ([jobId], flags) => {
        if (flags.wait) return jobResult(jobId, { wait: true, waitTimeout: flags.waitTimeout }, context);
        const status = await (await context.client()).getBulkJobStatus(jobId);
        return jobResult(jobId, { wait: false, waitTimeout: 0 }, context, status);
      }),
    );
}
