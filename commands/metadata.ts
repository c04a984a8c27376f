/** `imagekit metadata <url>`: image metadata (dimensions, format, EXIF, pHash) of any URL served through the account. */
import type { Command } from 'commander';
import { isAbsoluteUrl } from '../src/url.js';
import type { Registrar } from './cli/command.js';
import { UsageError } from './cli/errors.js';
import { metadataRecord } from './shared/records.js';

export function register(program: Command, registrar: Registrar): void {
  program
    .command('metadata')
    .summary('image metadata (dimensions, format, EXIF, pHash) of a URL')
    .argument('<url>', 'a URL served through your ImageKit account')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ imagekit metadata https://ik.imagekit.io/your_id/products/shoe.jpg --json')
    .action(
      registrar.action<[string], object>(async ([url], _flags, context) => {
        if (!isAbsoluteUrl(url)) throw new UsageError(`metadata takes a full http(s) URL, got "${url}" (for a file in the library: imagekit files metadata)`);
        return metadataRecord(await (await context.client()).getRemoteFileMetadata(url));
      }),
    );
}
