/**
 * `imagekit transformation`: the account's named transformations, names that stand for a
 * transformation string in URLs (`tr:n-<name>`). The transformation is checked before it is sent.
 */
import type { Command } from 'commander';
import type { NamedTransformation, NamedTransformationInput } from '../src/account-api.js';
import { explainTransformationString } from '../src/transformation.js';
import type { Registrar } from './cli/command.js';
import { UsageError } from './cli/errors.js';
import { changesOf, registerCollectionCommand } from './shared/collection-command.js';

interface CreateFlags {
  name: string;
  transformation: string;
  disabled?: boolean;
}

interface UpdateFlags {
  name?: string;
  transformation?: string;
  enable?: boolean;
  disable?: boolean;
}

/** A name for `tr:n-<name>`: letters, digits and `_`. */
function checkedName(name: string): string {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new UsageError(`--name takes letters, digits and _ only (it is used as tr:n-<name>), got "${name}"`);
  return name;
}

/** A transformation string of parameters ImageKit knows (a leading `tr:` is allowed). */
function checkedTransformation(transformation: string): string {
  const unknown = explainTransformationString(transformation.replace(/^tr:/, '')).find((p) => p.name === null);
  if (transformation.trim() === '' || unknown) throw new UsageError(`invalid transformation "${transformation}"${unknown ? `: unknown parameter "${unknown.code}"` : ''}`);
  return transformation;
}

export function register(program: Command, registrar: Registrar): void {
  registerCollectionCommand<NamedTransformation, NamedTransformationInput, Partial<NamedTransformationInput>, CreateFlags, UpdateFlags>(program, registrar, {
    command: 'transformation',
    summary: 'named transformations: names for transformations in URLs (tr:n-<name>)',
    noun: 'named transformation',
    notes: 'A named transformation is used in URLs as tr:n-<name>; a disabled one makes such URLs fail.',
    collection: (client) => client.namedTransformations,
    nameOf: (t) => t.name,
    columns: [
      { header: 'name', value: (t) => t.name },
      { header: 'enabled', value: (t) => String(t.enabled) },
      { header: 'transformation', value: (t) => t.transformation },
    ],
    record: (t) => ({ id: t.id, name: t.name, transformation: t.transformation, enabled: t.enabled, createdAt: t.createdAt }),
    jsonFields: ['id', 'name', 'transformation', 'enabled', 'createdAt'],
    create: {
      description: 'Create a named transformation.',
      examples: ['transformation create --name thumb --transformation w-150,h-150,c-at_max', 'transformation create --name draft_banner --transformation w-1200,q-60 --disabled'],
      options: (command) =>
        command
          .requiredOption('--name <name>', 'used in URLs as tr:n-<name>: letters, digits and _')
          .requiredOption('-t, --transformation <string>', 'the transformation string, e.g. w-150,h-150')
          .option('--disabled', 'create it disabled (URLs using it fail until enabled)'),
      body: (flags) => ({ name: checkedName(flags.name), transformation: checkedTransformation(flags.transformation), enabled: !flags.disabled }),
    },
    update: {
      description: 'Rename a named transformation, change its transformation, or enable or disable it.',
      examples: ['transformation update thumb --transformation w-200,h-200', 'transformation update thumb --disable'],
      options: (command) =>
        command
          .option('--name <name>', 'the new name')
          .option('-t, --transformation <string>', 'the new transformation string')
          .option('--enable', 'enable it')
          .option('--disable', 'disable it (URLs using it fail)'),
      body: (flags) => {
        if (flags.enable && flags.disable) throw new UsageError('give --enable or --disable, not both');
        return changesOf(
          {
            name: flags.name === undefined ? undefined : checkedName(flags.name),
            transformation: flags.transformation === undefined ? undefined : checkedTransformation(flags.transformation),
            enabled: flags.enable || flags.disable ? Boolean(flags.enable) : undefined,
          },
          '--name, --transformation, --enable or --disable',
        );
      },
    },
  });
}
