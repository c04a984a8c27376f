/** `imagekit files update`: change a file's tags, custom coordinates, custom metadata, extensions, or its publication. */
import type { Command } from 'commander';
import { examples, type Registrar } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { collect, list, parseExtensionsFlag, parseJsonFlag } from '../cli/flags.js';
import type { Result } from '../cli/output.js';
import { typedMeta } from '../shared/custom-metadata-values.js';
import { fileRecord, resolveFileId } from './shared.js';

export function register(files: Command, registrar: Registrar): void {
  files
    .command('update')
    .description('Change a file\'s tags, custom coordinates, custom metadata, extensions, or (alone) its publication.')
    .addHelpText('after', examples('files update /products/shoe.jpg --tags sale,summer --meta price=49.5', 'files update 6553ab1f2c8a9d0e1f2a3b4c --publish false --include-versions'))
    .argument('<file>', 'file id or path')
    .option('--tags <a,b>', 'replace the tags ("" removes them all)')
    .option('--remove-ai-tags <a,b>', 'AI tags to remove, or "all"')
    .option('--custom-coordinates <x,y,w,h>', 'area of interest ("" removes it)')
    .option('--meta <key=value>', 'a custom metadata value, typed by its field (repeatable)', collect)
    .option('--custom-metadata <json>', 'custom metadata as a JSON object (a null value removes a key)')
    .option('--extensions <json|ids>', 'extensions to run: a JSON array, or saved extension ids (a,b)')
    .option('--webhook-url <url>', 'where the extensions\' results are posted')
    .option('--description <text>', 'description')
    .addOption(files.createOption('--publish <state>', 'publish (true) or unpublish (false); cannot be combined with other changes').choices(['true', 'false']))
    .option('--include-versions', 'with --publish: every version too')
    .option('--json', 'print JSON')
    .action(registrar.action<[string], UpdateFlags>(([file], flags, context) => updateCommand(file, flags, context)));
}

interface UpdateFlags {
  tags?: string;
  removeAiTags?: string;
  customCoordinates?: string;
  meta?: string[];
  customMetadata?: string;
  extensions?: string;
  webhookUrl?: string;
  description?: string;
  publish?: 'true' | 'false';
  includeVersions?: boolean;
}

async function updateCommand(file: string, flags: UpdateFlags, context: Context): Promise<Result> {
  const changes = ['tags', 'removeAiTags', 'customCoordinates', 'meta', 'customMetadata', 'extensions', 'webhookUrl', 'description'] as const;
  const given = changes.filter((c) => flags[c] !== undefined);
  if (flags.publish !== undefined && given.length > 0) {
    throw new UsageError('--publish cannot be combined with other changes (the API refuses it): run them as two updates');
  }
  if (flags.includeVersions && flags.publish === undefined) throw new UsageError('--include-versions goes with --publish');
  if (flags.publish === undefined && given.length === 0) throw new UsageError('nothing to update: give --tags, --meta, --publish, ...');
  const customMetadataJson = parseJsonFlag('--custom-metadata', flags.customMetadata, (v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'a JSON object') as
    | Record<string, unknown>
    | undefined;
  const extensions = parseExtensionsFlag('--extensions', flags.extensions);
  const client = await context.client();
  const fileId = await resolveFileId(client, file);
  let update: Record<string, unknown>;
  if (flags.publish !== undefined) {
    update = { publish: { isPublished: flags.publish === 'true', ...(flags.includeVersions ? { includeFileVersions: true } : {}) } };
  } else {
    const meta = await typedMeta(flags.meta ?? [], () => client.listCustomMetadataFields());
    const customMetadata = customMetadataJson || flags.meta ? { ...customMetadataJson, ...meta } : undefined;
    update = {
      ...(flags.tags !== undefined ? { tags: flags.tags === '' ? null : list(flags.tags) } : {}),
      ...(flags.removeAiTags !== undefined ? { removeAITags: flags.removeAiTags === 'all' ? 'all' : list(flags.removeAiTags) } : {}),
      ...(flags.customCoordinates !== undefined ? { customCoordinates: flags.customCoordinates === '' ? null : flags.customCoordinates } : {}),
      ...(customMetadata ? { customMetadata } : {}),
      ...(extensions ? { extensions } : {}),
      ...(flags.webhookUrl !== undefined ? { webhookUrl: flags.webhookUrl } : {}),
      ...(flags.description !== undefined ? { description: flags.description } : {}),
    };
  }
  return fileRecord(await client.updateFileDetails(fileId, update));
}
