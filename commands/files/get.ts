/** `imagekit files get` and `files metadata`: one file's details, or its image metadata. */
import type { Command } from 'commander';
import { examples, type Registrar } from '../cli/command.js';
import { metadataRecord } from '../shared/records.js';
import { fileRecord, resolveFileId } from './shared.js';

export function register(files: Command, registrar: Registrar): void {
  files
    .command('get')
    .description('Show a file\'s details.')
    .addHelpText('after', examples('files get /products/shoe.jpg', 'files get 6553ab1f2c8a9d0e1f2a3b4c --json'))
    .argument('<file>', 'file id or path')
    .option('--json', 'print JSON')
    .action(
      registrar.action<[string], object>(async ([file], _flags, context) => {
        const client = await context.client();
        return fileRecord(await client.getFileDetails(await resolveFileId(client, file)));
      }),
    );

  files
    .command('metadata')
    .description('Image metadata of a file: dimensions, format, EXIF, pHash.')
    .addHelpText('after', examples('files metadata /products/shoe.jpg', 'files metadata /products/shoe.jpg --json pHash,width,height'))
    .argument('<file>', 'file id or path')
    .option('--json', 'print JSON')
    .action(
      registrar.action<[string], object>(async ([file], _flags, context) => {
        const client = await context.client();
        return metadataRecord(await client.getFileMetadata(await resolveFileId(client, file)));
      }),
    );
}
