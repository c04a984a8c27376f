/**
 * `imagekit extension`: the account's saved extensions, extension configurations kept under a name
 * and run by uploads and file updates through `--extensions <id>`.
 */
import type { Command } from 'commander';
import type { SavedExtension, SavedExtensionInput } from '../src/account-api.js';
import type { Registrar } from './cli/command.js';
import type { Context } from './cli/context.js';
import { UsageError } from './cli/errors.js';
import { parseJsonOrFileFlag } from './cli/flags.js';
import { changesOf, registerCollectionCommand } from './shared/collection-command.js';

interface ExtensionFlags {
  name?: string;
  description?: string;
  extension?: string;
}

type CreateFlags = Required<ExtensionFlags>;

/** `--extension`: one extension as a JSON object with its `name` (inline or `@file`). */
function extensionFrom(text: string, context: Context): Record<string, unknown> {
  const config = parseJsonOrFileFlag('--extension', text, context.io.cwd) as Record<string, unknown>;
  if (typeof config !== 'object' || config === null || Array.isArray(config) || typeof config.name !== 'string') {
    throw new UsageError('--extension must be one extension as a JSON object with its name, e.g. {"name":"remove-bg"}');
  }
  if (config.name === 'saved-extension') throw new UsageError('--extension cannot refer to another saved extension');
  return config;
}

const EXTENSION_HELP = 'the extension as JSON, or @file: {"name":"remove-bg"}, {"name":"google-auto-tagging","minConfidence":80,"maxTags":5}, {"name":"ai-tasks","tasks":[...]}';

export function register(program: Command, registrar: Registrar): void {
  registerCollectionCommand<SavedExtension, SavedExtensionInput, Partial<SavedExtensionInput>, CreateFlags, ExtensionFlags>(program, registrar, {
    command: 'extension',
    summary: 'saved extensions, run by upload --extensions <id>',
    noun: 'saved extension',
    notes: 'Run a saved extension on upload with: imagekit upload photo.jpg --extensions <id>',
    collection: (client) => client.savedExtensions,
    nameOf: (e) => e.name,
    columns: [
      { header: 'name', value: (e) => e.name },
      { header: 'extension', value: (e) => String(e.config.name) },
      { header: 'description', value: (e) => e.description },
    ],
    record: (e) => ({ id: e.id, name: e.name, extension: String(e.config.name), description: e.description, config: JSON.stringify(e.config), updatedAt: e.updatedAt }),
    jsonFields: ['id', 'name', 'description', 'config', 'createdAt', 'updatedAt'],
    create: {
      description: 'Save an extension configuration under a name.',
      examples: [
        `extension create --name "Cut out" --description "removes the background" --extension '{"name":"remove-bg","options":{"add_shadow":true}}'`,
        'extension create --name Fashion --description "clothing tags" --extension @fashion-tasks.json',
      ],
      options: (command) =>
        command.requiredOption('--name <name>', 'the name').requiredOption('--description <text>', 'what it does').requiredOption('--extension <json|@file>', EXTENSION_HELP),
      body: (flags, context) => ({ name: flags.name, description: flags.description, config: extensionFrom(flags.extension, context) }),
    },
    update: {
      description: 'Change a saved extension\'s name, description or configuration.',
      examples: ['extension update "Cut out" --extension \'{"name":"remove-bg","options":{"bg_color":"white"}}\''],
      options: (command) => command.option('--name <name>', 'the new name').option('--description <text>', 'the new description').option('--extension <json|@file>', EXTENSION_HELP),
      body: (flags, context) =>
        changesOf(
          { name: flags.name, description: flags.description, config: flags.extension === undefined ? undefined : extensionFrom(flags.extension, context) },
          '--name, --description or --extension',
        ),
    },
  });
}
