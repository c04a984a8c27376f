/**
 * One builder for the nouns whose API is a collection with the same five calls (`transformation`,
 * `extension`, `origin`, `endpoint`): `ls`, `get`, `create`, `update`, `rm`, each with `--json`, the
 * item named by id or by its name, `rm` asking first and taking `--dry-run`. A noun says only what
 * is its own: its columns, its flags, and how they become the API's body.
 */
import type { Command } from 'commander';
import type { ApiCollection } from '../../src/account-api.js';
import type { ImageKitClient } from '../../src/client.js';
import { examples, type Registrar } from '../cli/command.js';
import type { Context, GlobalOptions } from '../cli/context.js';
import { ObjectNotFoundError, UsageError } from '../cli/errors.js';
import { declareJsonFields } from '../cli/json-selection.js';
import type { Column, RecordResult, Result } from '../cli/output.js';

/** How `create` or `update` turns its flags into the body it sends. */
export interface VerbSpec<Flags, Body, Item> {
  description: string;
  /** Help examples, each a command line after `imagekit`. */
  examples: string[];
  /** Adds the verb's own options. */
  options: (command: Command) => Command;
  /** The body to send; `existing` is the item updated (undefined for create). */
  body: (flags: Flags & GlobalOptions, context: Context, existing: Item | undefined) => Promise<Body> | Body;
}

export interface CollectionCommandSpec<Item extends { id: string }, Input, Update, CreateFlags, UpdateFlags> {
  /** The command, e.g. `transformation`. */
  command: string;
  summary: string;
  /** What one item is called in messages, e.g. `named transformation`. */
  noun: string;
  /** Lines of the noun's help, after its examples. */
  notes?: string;
  collection: (client: ImageKitClient) => ApiCollection<Item, Input, Update>;
  /** The name an item can be given by on the command line besides its id. */
  nameOf: (item: Item) => string;
  /** The table's columns after the id, which always comes first. */
  columns: Column<Item>[];
  /** One item as key/value pairs. */
  record: (item: Item) => RecordResult['record'];
  /** One item as JSON; as the API answered when omitted. */
  json?: (item: Item) => unknown;
  /** The API's field names, for `--json <fields>`. */
  jsonFields: readonly string[];
  create: VerbSpec<CreateFlags, Input, Item>;
  update: VerbSpec<UpdateFlags, Update, Item>;
}

/** The item a command line names by id, or else by name (exit 4 when none has it). */
export function resolveItem<Item extends { id: string }>(items: readonly Item[], idOrName: string, nameOf: (item: Item) => string, noun: string): Item {
  const item = items.find((i) => i.id === idOrName) ?? items.find((i) => nameOf(i) === idOrName);
  if (!item) throw new ObjectNotFoundError(`no ${noun} "${idOrName}"; there are: ${items.map((i) => nameOf(i) || i.id).join(', ') || '(none)'}`);
  return item;
}

/** What an update changes: the fields given (not undefined); a UsageError naming `flags` when none is. */
export function changesOf<Update extends object>(fields: Update, flags: string): Update {
  const given = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Update;
  if (Object.keys(given).length === 0) throw new UsageError(`nothing to update: give ${flags}`);
  return given;
}

export function registerCollectionCommand<Item extends { id: string }, Input, Update, CreateFlags extends object, UpdateFlags extends object>(
  program: Command,
  registrar: Registrar,
  spec: CollectionCommandSpec<Item, Input, Update, CreateFlags, UpdateFlags>,
): void {
  const json = spec.json ?? ((item: Item) => item);
  const columns: Column<Item>[] = [{ header: 'id', value: (item) => item.id }, ...spec.columns];
  const recordOf = (item: Item): Result => ({ kind: 'record', record: spec.record(item), json: json(item) });
  const withJson = (command: Command) => declareJsonFields(command.option('--json', 'print JSON'), spec.jsonFields);
  const find = async (context: Context, idOrName: string) => {
    const collection = spec.collection(await context.client());
    return { collection, item: resolveItem(await collection.list(), idOrName, spec.nameOf, spec.noun) };
  };
  const c = spec.command;
  const noun = program
    .command(c)
    .summary(spec.summary)
    .addHelpText('after', `${examples(`${c} ls`, `${c} get <id|name> --json`, ...spec.create.examples, ...spec.update.examples, `${c} rm <id|name> --dry-run`)}${spec.notes ? `\n\n${spec.notes}` : ''}`);

  withJson(noun.command('ls').description(`List every ${spec.noun}.`))
    .addHelpText('after', examples(`${c} ls`, `${c} ls --json`))
    .action(
      registrar.action<[], object>(async (_, __, context): Promise<Result> => {
        const items = await spec.collection(await context.client()).list();
        return { kind: 'table', columns, rows: items, json: items.map(json) };
      }),
    );

  withJson(noun.command('get').description(`Show one ${spec.noun}.`).argument('<item>', 'by id or name'))
    .addHelpText('after', examples(`${c} get <id|name>`, `${c} get <id|name> --json`))
    .action(
      registrar.action<[string], object>(async ([idOrName], _, context) => {
        const { collection, item } = await find(context, idOrName);
        return recordOf(await collection.get(item.id));
      }),
    );

  withJson(spec.create.options(noun.command('create').description(spec.create.description)))
    .addHelpText('after', examples(...spec.create.examples))
    .action(
      registrar.action<[], CreateFlags>(async (_, flags, context) => {
        const body = await spec.create.body(flags, context, undefined);
        return recordOf(await spec.collection(await context.client()).create(body));
      }),
    );

  withJson(spec.update.options(noun.command('update').description(spec.update.description).argument('<item>', 'by id or name')))
    .addHelpText('after', examples(...spec.update.examples))
    .action(
      registrar.action<[string], UpdateFlags>(async ([idOrName], flags, context) => {
        const { collection, item } = await find(context, idOrName);
        return recordOf(await collection.update(item.id, await spec.update.body(flags, context, item)));
      }),
    );

  withJson(
    noun
      .command('rm')
      .description(`Delete a ${spec.noun} (asks first; --yes when unattended).`)
      .argument('<item>', 'by id or name')
      .option('-y, --yes', 'do not ask')
      .option('--dry-run', 'say what would be deleted, delete nothing'),
  )
    .addHelpText('after', examples(`${c} rm <id|name> --dry-run`, `${c} rm <id|name> --yes`))
    .action(
      registrar.action<[string], { yes?: boolean; dryRun?: boolean }>(async ([idOrName], flags, context): Promise<Result> => {
        const { collection, item } = await find(context, idOrName);
        const shown = { id: item.id, name: spec.nameOf(item) };
        if (flags.dryRun) return { kind: 'record', record: { ...shown, deleted: false, dryRun: true } };
        await context.confirm(`Delete the ${spec.noun} "${shown.name || shown.id}" (${shown.id})?`, flags.yes);
        await collection.delete(item.id);
        return { kind: 'record', record: { ...shown, deleted: true } };
      }),
    );
}
