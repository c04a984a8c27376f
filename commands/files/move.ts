/** `imagekit files cp`, `mv` and `rename`: copy or move a file into a folder, or rename it in place. */
import type { Command } from 'commander';
import { filePathIn, normaliseFolder, sanitiseName } from '../../src/paths.js';
import { examples, type Registrar } from '../cli/command.js';
import { UsageError } from '../cli/errors.js';
import type { Result } from '../cli/output.js';
import { filePathOf } from './shared.js';

export function register(files: Command, registrar: Registrar): void {
  files
    .command('cp')
    .description('Copy a file into a folder (a file of the same name there gets it as a new version).')
    .addHelpText('after', examples('files cp /inbox/a.jpg /products --include-versions'))
    .argument('<file>', 'file id or path')
    .argument('<destFolder>', 'the folder')
    .option('--include-versions', 'copy every version')
    .option('--json', 'print JSON')
    .action(
      registrar.action<[string, string], { includeVersions?: boolean }>(async ([file, dest], flags, context): Promise<Result> => {
        const client = await context.client();
        const source = await filePathOf(client, file);
        await client.copyFile(source, normaliseFolder(dest), flags.includeVersions === true);
        return { kind: 'record', record: { source, destination: normaliseFolder(dest), copied: true } };
      }),
    );

  files
    .command('mv')
    .description('Move a file into a folder (one file: it does not ask, as a copy does not).')
    .addHelpText('after', examples('files mv /inbox/a.jpg /products'))
    .argument('<file>', 'file id or path')
    .argument('<destFolder>', 'the folder')
    .option('-y, --yes', 'accepted for scripts written for earlier versions; a move of one file does not ask')
    .option('--dry-run', 'say what would be moved where, move nothing')
    .option('--json', 'print JSON')
    .action(
      registrar.action<[string, string], { dryRun?: boolean }>(async ([file, dest], flags, context): Promise<Result> => {
        const client = await context.client();
        const source = await filePathOf(client, file);
        if (flags.dryRun) return { kind: 'record', record: { source, destination: normaliseFolder(dest), moved: false, dryRun: true } };
        await client.moveFile(source, normaliseFolder(dest));
        return { kind: 'record', record: { source, destination: normaliseFolder(dest), moved: true } };
      }),
    );

  files
    .command('rename')
    .description('Rename a file in place (its old URLs stop working).')
    .addHelpText('after', examples('files rename /products/a.jpg shoe.jpg --purge --yes'))
    .argument('<file>', 'file id or path')
    .argument('<newName>', 'the new name')
    .option('--purge', 'purge the CDN cache of the old URLs (a wildcard purge: asks first), and print the purge request id')
    .option('-y, --yes', 'do not ask')
    .option('--dry-run', 'say what would be renamed, rename nothing')
    .option('--json', 'print JSON')
    .action(
      registrar.action<[string, string], { purge?: boolean; yes?: boolean; dryRun?: boolean }>(async ([file, newName], flags, context): Promise<Result> => {
        if (newName.includes('/')) throw new UsageError('the new name is a name, not a path: use "files mv" to move a file');
        const client = await context.client();
        const source = await filePathOf(client, file);
        const stored = sanitiseName(newName);
        const filePath = filePathIn(source.slice(0, source.lastIndexOf('/')) || '/', stored);
        if (flags.dryRun) return { kind: 'record', record: { source, newName: stored, filePath, renamed: false, dryRun: true } };
        if (flags.purge) await context.confirm(`Rename ${source} and purge the cache of its old URLs?`, flags.yes);
        const { purgeRequestId } = await client.renameFile(source, newName, flags.purge === true);
        const record: Record<string, string> = { source, newName: stored, filePath };
        if (purgeRequestId) record.purgeRequestId = purgeRequestId;
        return { kind: 'record', record };
      }),
    );
}
