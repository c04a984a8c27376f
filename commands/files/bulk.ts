/** `imagekit files tag`, `untag-ai` and `rm`: calls on many files at once, in chunks, each file's outcome reported. */
import type { Command } from 'commander';
import type { ImageKitClient } from '../../src/client.js';
import { examples, type Registrar } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { batchExitCode, ExitCode, ObjectNotFoundError, UsageError } from '../cli/errors.js';
import { list } from '../cli/flags.js';
import { withStdinArguments } from '../cli/io.js';
import type { Result } from '../cli/output.js';
import { runBulk, type BulkOutcome } from '../shared/bulk.js';
import { resolveFileId } from './shared.js';


/** Resolves many file arguments; one that cannot be resolved becomes a failed outcome, not an abort. */
async function resolveMany(client: ImageKitClient, files: string[]): Promise<BulkOutcome[]> {
  return Promise.all(
    files.map(async (file) => {
      try {
        return { file, fileId: await resolveFileId(client, file), status: 'planned' as const };
      } catch (error) {
        if (!(error instanceof ObjectNotFoundError)) throw error;
        return { file, fileId: null, status: 'failed' as const, error: error.message, notFound: true };
      }
    }),
  );
}

function bulkResult(outcomes: BulkOutcome[], context: Context): Result {
  const failed = outcomes.filter((o) => o.status === 'failed');
  for (const o of failed) context.error(`${o.file}: ${o.error}`);
  return {
    kind: 'table',
    columns: [
      { header: 'file', value: (o: BulkOutcome) => o.file },
      { header: 'fileId', value: (o: BulkOutcome) => o.fileId ?? '' },
      { header: 'status', value: (o: BulkOutcome) => (o.status === 'failed' ? `failed: ${o.error}` : o.status) },
    ],
    rows: outcomes,
    exitCode: () => batchExitCode(outcomes.length, failed.map((o) => (o.notFound ? ExitCode.notFound : ExitCode.failure))),
  };
}

export function register(files: Command, registrar: Registrar): void {
  const tagCommand = (name: string, description: string) =>
    files.command(name).description(description).argument('<file...>', 'file ids or paths; - reads them from stdin, one a line').option('--json', 'print JSON');
  tagCommand('tag', 'Add and remove tags on many files (in chunks of 50).')
    .addHelpText('after', examples('files tag /a.jpg /b.jpg --add sale --remove winter', "files ls /sale --json filePath --jq '.[].filePath' | imagekit files tag - --add sale"))
    .option('--add <a,b>', 'tags to add')
    .option('--remove <a,b>', 'tags to remove')
    .action(
      registrar.action<[string[]], { add?: string; remove?: string }>(async ([names], flags, context) => {
        if (!flags.add && !flags.remove) throw new UsageError('give --add and/or --remove');
        const client = await context.client();
        const outcomes = await resolveMany(client, await withStdinArguments(names, context.io));
        if (flags.add) await runBulk(outcomes, 50, (ids) => client.addTags(ids, list(flags.add!)));
        if (flags.remove) {
          for (const o of outcomes) if (o.status === 'done') o.status = 'planned';
          await runBulk(outcomes, 50, (ids) => client.removeTags(ids, list(flags.remove!)));
        }
        return bulkResult(outcomes, context);
      }),
    );
  tagCommand('untag-ai', 'Remove AI tags from many files (in chunks of 50).')
    .addHelpText('after', examples('files untag-ai /a.jpg /b.jpg --tags car,vehicle'))
    .requiredOption('--tags <a,b>', 'AI tags to remove')
    .action(
      registrar.action<[string[]], { tags: string }>(async ([names], flags, context) => {
        const client = await context.client();
        const outcomes = await resolveMany(client, await withStdinArguments(names, context.io));
        await runBulk(outcomes, 50, (ids) => client.removeAITags(ids, list(flags.tags)));
        return bulkResult(outcomes, context);
      }),
    );

  files
    .command('rm')
    .description('Delete files with all their versions (in chunks of 100; asks first, --yes when unattended).')
    .addHelpText('after', examples('files rm /tmp/a.jpg /tmp/b.jpg --yes', 'files ls /tmp --json fileId --jq \'.[].fileId\' | imagekit files rm - --yes'))
    .argument('<file...>', 'file ids or paths; - reads them from stdin, one a line (then --yes is needed)')
    .option('-y, --yes', 'do not ask')
    .option('--dry-run', 'say what would be deleted, delete nothing')
    .option('--json', 'print JSON')
    .action(
      registrar.action<[string[]], { yes?: boolean; dryRun?: boolean }>(async ([names], flags, context) => {
        const client = await context.client();
        const outcomes = await resolveMany(client, await withStdinArguments(names, context.io));
        if (flags.dryRun) return bulkResult(outcomes, context);
        const planned = outcomes.filter((o) => o.status === 'planned');
        const what = planned.length === 1 ? planned[0]!.file : `${planned.length} files`;
        if (planned.length > 0) await context.confirm(`Delete ${what} with all ${planned.length === 1 ? 'its' : 'their'} versions?`, flags.yes);
        await runBulk(outcomes, 100, (ids) => client.bulkDeleteFiles(ids));
        return bulkResult(outcomes, context);
      }),
    );
}
