import type { Command } from 'commander';
import type { CustomMetadataField } from '../src/client.js';
import { examples, type Registrar } from './cli/command.js';
import { UsageError } from './cli/errors.js';
import { list, parseInteger, parseJsonFlag } from './cli/flags.js';
import type { Result } from './cli/output.js';
import { resolveField, typedFieldValue } from './shared/custom-metadata-values.js';

const TYPES = ['Text', 'Textarea', 'Number', 'Date', 'Boolean', 'SingleSelect', 'MultiSelect'];

interface SchemaFlags {
  type?: string;
  min?: string;
  max?: string;
  minLength?: number;
  maxLength?: number;
  required?: boolean;
  default?: string;
  options?: string;
  schema?: string;
}

/** The schema from --schema, or from the separate flags (which override it). */
function schemaFrom(flags: SchemaFlags, existingType?: string): Record<string, unknown> {
  const schema = { ...((parseJsonFlag('--schema', flags.schema, (v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'a JSON object') as object | undefined) ?? {}) } as Record<string, unknown>;
  if (flags.type) schema.type = flags.type;
  const type = (schema.type as string | undefined) ?? existingType;
  const numberOrDate = (text: string, what: string) => (type === 'Date' ? text : typedFieldValue('Number', text, what));
  if (flags.min !== undefined) schema.minValue = numberOrDate(flags.min, '--min');
  if (flags.max !== undefined) schema.maxValue = numberOrDate(flags.max, '--max');
  if (flags.minLength !== undefined) schema.minLength = flags.minLength;
  if (flags.maxLength !== undefined) schema.maxLength = flags.maxLength;
  if (flags.required) schema.isValueRequired = true;
  if (flags.options !== undefined) schema.selectOptions = list(flags.options);
  if (flags.default !== undefined) schema.defaultValue = typedFieldValue(type, flags.default, '--default', schema.selectOptions as unknown[] | undefined);
  return schema;
}

function withSchemaOptions(command: Command): Command {
  return command
    .option('--min <value>', 'minValue (Number or Date)')
    .option('--max <value>', 'maxValue (Number or Date)')
    .option('--min-length <n>', 'minLength (Text, Textarea)', parseInteger('--min-length', { min: 0 }))
    .option('--max-length <n>', 'maxLength (Text, Textarea)', parseInteger('--max-length', { min: 0 }))
    .option('--required', 'isValueRequired (needs --default)')
    .option('--default <value>', 'defaultValue')
    .option('--options <a,b,c>', 'selectOptions (SingleSelect, MultiSelect)')
    .option('--schema <json>', 'the whole schema as JSON (the flags above override it)')
    .option('--json', 'print JSON');
}

/** Fields as a table; with deleted ones among them, a column says which. */
function fieldTable(fields: CustomMetadataField[], live: CustomMetadataField[]): Result {
  const liveIds = new Set(live.map((f) => f.id));
  const withDeleted = fields.some((f) => !liveIds.has(f.id));
  return {
    kind: 'table',
    columns: [
      { header: 'id', value: (f: CustomMetadataField) => f.id },
      { header: 'name', value: (f: CustomMetadataField) => f.name },
      { header: 'label', value: (f: CustomMetadataField) => f.label },
      { header: 'type', value: (f: CustomMetadataField) => String(f.schema.type) },
      ...(withDeleted ? [{ header: 'deleted', value: (f: CustomMetadataField) => (liveIds.has(f.id) ? '' : 'deleted') }] : []),
    ],
    rows: fields,
    json: withDeleted ? fields.map((f) => ({ ...f, deleted: !liveIds.has(f.id) })) : fields,
  };
}

const fieldRecord = (field: CustomMetadataField): Result => ({
  kind: 'record',
  record: { id: field.id, name: field.name, label: field.label, type: field.schema.type, schema: JSON.stringify(field.schema), ...(field.description ? { description: field.description } : {}) },
  json: field,
});

export function register(program: Command, registrar: Registrar): void {
  const fields = program
    .command('custom-metadata')
    .summary('define the custom metadata fields of the account')
    .addHelpText(
      'after',
      `
Examples:
  $ imagekit custom-metadata ls
  $ imagekit custom-metadata create --name price --label Price --type Number --min 0 --max 1000
  $ imagekit custom-metadata create --name size --label Size --type SingleSelect --options S,M,L --required --default M
  $ imagekit custom-metadata update price --label "Price (EUR)"     # a field by its name or its id
  $ imagekit custom-metadata rm 6553ab1f2c8a --yes`,
    );

  fields
    .command('ls')
    .description('List the custom metadata fields.')
    .option('--include-deleted', 'deleted fields too, marked as such')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ imagekit custom-metadata ls\n  $ imagekit custom-metadata ls --include-deleted --json')
    .action(
      registrar.action<[], { includeDeleted?: boolean }>(async (_, flags, context): Promise<Result> => {
        const client = await context.client();
        const live = await client.listCustomMetadataFields();
        if (!flags.includeDeleted) return fieldTable(live, live);
        // The API's field objects do not say they are deleted: those absent from the live list are.
        return fieldTable(await client.listCustomMetadataFields(true), live);
      }),
    );

  withSchemaOptions(
    fields
      .command('create')
      .description('Create a field.')
      .addHelpText('after', examples('custom-metadata create --name price --label Price --type Number --min 0 --max 1000', 'custom-metadata create --name size --label Size --type SingleSelect --options S,M,L --required --default M'))
      .requiredOption('--name <name>', 'the field name (unique, for ever)')
      .requiredOption('--label <label>', 'the label people see')
      .option('--description <text>', 'a hint shown when a value is set (at most 500 characters)')
      .addOption(fields.createOption('--type <type>', 'the value type').choices(TYPES)),
  ).action(
    registrar.action<[], SchemaFlags & { name: string; label: string; description?: string }>(async (_, flags, context) => {
      const schema = schemaFrom(flags);
      if (!schema.type) throw new UsageError(`give --type (${TYPES.join(', ')}) or a --schema with a type`);
      if (schema.isValueRequired && schema.defaultValue === undefined) throw new UsageError('a required field needs a --default: files that have no value get it');
      return fieldRecord(await (await context.client()).createCustomMetadataField({ name: flags.name, label: flags.label, description: flags.description, schema: schema as CustomMetadataField['schema'] }));
    }),
  );

  withSchemaOptions(
    fields
      .command('update')
      .description('Change a field\'s label or schema (not its name or type).')
      .argument('<field>', 'the field, by id or name')
      .option('--label <label>', 'the new label')
      .option('--description <text>', 'the new description ("" removes it)')
      .addHelpText('after', '\nExamples:\n  $ imagekit custom-metadata update price --label "Price (EUR)" --max 5000'),
  ).action(
    registrar.action<[string], SchemaFlags & { label?: string; description?: string }>(async ([idOrName], flags, context) => {
      const client = await context.client();
      // Values are typed by the field's type, which only the API knows.
      const existing = await resolveField(client, idOrName);
      const id = existing.id;
      const schema = schemaFrom(flags, existing.schema.type);
      if (schema.type) throw new UsageError('the type of a field cannot be changed');
      const update: { label?: string; schema?: Record<string, unknown>; description?: string } = {};
      if (flags.label !== undefined) update.label = flags.label;
      if (flags.description !== undefined) update.description = flags.description;
      if (Object.keys(schema).length > 0) update.schema = schema;
      if (!update.label && !update.schema && update.description === undefined) throw new UsageError('nothing to update: give --label, --description or schema options');
      return fieldRecord(await client.updateCustomMetadataField(id, update));
    }),
  );

  fields
    .command('rm')
    .description('Delete a field (asks first; --yes when unattended).')
    .argument('<field>', 'the field, by id or name')
    .option('-y, --yes', 'do not ask')
    .option('--dry-run', 'say what would be deleted, delete nothing')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ imagekit custom-metadata rm price --dry-run\n  $ imagekit custom-metadata rm 6553ab1f2c8a --yes')
    .action(
      registrar.action<[string], { yes?: boolean; dryRun?: boolean }>(async ([idOrName], flags, context): Promise<Result> => {
        const client = await context.client();
        const { id, name } = await resolveField(client, idOrName);
        if (flags.dryRun) return { kind: 'record', record: { id, name, deleted: false, dryRun: true } };
        await context.confirm(`Delete the custom metadata field "${name}" (${id})?`, flags.yes);
        await client.deleteCustomMetadataField(id);
        return { kind: 'record', record: { id, name, deleted: true } };
      }),
    );
}
