/** `imagekit files versions`, `version`, `rm-version` and `restore`: a file's version history. */
import type { Command } from 'commander';
import type { FileDetails } from '../../src/client.js';
import { examples, type Registrar } from '../cli/command.js';
import { humanBytes } from '../cli/format.js';
import type { Column, Result } from '../cli/output.js';
import { fileRecord, resolveFileId } from './shared.js';

export function register(files: Command, registrar: Registrar): void {
  const versionColumns: Column<FileDetails>[] = [
    { header: 'versionId', value: (v) => v.versionInfo.id },
    { header: 'version', value: (v) => v.versionInfo.name },
    { header: 'current', value: (v) => (v.type === 'file' ? 'yes' : '') },
    { header: 'size', value: (v) => humanBytes(v.size) },
    { header: 'updatedAt', value: (v) => v.updatedAt },
  ];
  files
    .command('versions')
    .description('List a file\'s versions.')
    .addHelpText('after', examples('files versions /products/shoe.jpg'))
    .argument('<file>', 'file id or path')
    .option('--json', 'print JSON')
    .action(
      registrar.action<[string], object>(async ([file], _flags, context) => {
        const client = await context.client();
        const versions = await client.listVersions(await resolveFileId(client, file));
        return { kind: 'table', columns: versionColumns, rows: versions };
      }),
    );

  /** A verb on one version of a file: `<file> <versionId>`. */
  const onVersion = (name: string, description: string, example: string) =>
    files
      .command(name)
      .description(description)
      .addHelpText('after', examples(example))
      .argument('<file>', 'file id or path')
      .argument('<versionId>', 'the version')
      .option('--json', 'print JSON');

  onVersion('version', 'Show one version of a file.', 'files version /products/shoe.jpg 6553ab1f2c8a9d0e1f2a3b4d --json').action(
      registrar.action<[string, string], object>(async ([file, versionId], _flags, context) => {
        const client = await context.client();
        return fileRecord(await client.getVersion(await resolveFileId(client, file), versionId));
      }),
    );

  onVersion('rm-version', 'Delete one (not the current) version of a file.', 'files rm-version /products/shoe.jpg 6553ab1f2c8a9d0e1f2a3b4d --dry-run')
    .option('-y, --yes', 'do not ask')
    .option('--dry-run', 'say what would be deleted, delete nothing')
    .action(
      registrar.action<[string, string], { yes?: boolean; dryRun?: boolean }>(async ([file, versionId], flags, context): Promise<Result> => {
        const client = await context.client();
        const fileId = await resolveFileId(client, file);
        if (flags.dryRun) {
          await client.getVersion(fileId, versionId); // a missing version exits 4, as the real run would
          return { kind: 'record', record: { fileId, versionId, deleted: false, dryRun: true } };
        }
        await context.confirm(`Delete version ${versionId} of ${file}?`, flags.yes);
        await client.deleteVersion(fileId, versionId);
        return { kind: 'record', record: { fileId, versionId, deleted: true } };
      }),
    );

  onVersion('restore', 'Make an earlier version the current one.', 'files restore /products/shoe.jpg 6553ab1f2c8a9d0e1f2a3b4d').action(
      registrar.action<[string, string], object>(async ([file, versionId], _flags, context) => {
        const client = await context.client();
        return fileRecord(await client.restoreVersion(await resolveFileId(client, file), versionId));
      }),
    );

  /** The path of a file given by id or path. */
}
