/**
 * Custom metadata values typed as the account's fields store them, shared by `files update --meta`,
 * `upload --meta` and `custom-metadata create/update`.
 */
import type { CustomMetadataField, ImageKitClient } from '../../src/client.js';
import { ObjectNotFoundError, UsageError } from '../cli/errors.js';
import { list } from '../cli/flags.js';

/**
 * A value typed the way a custom metadata field of `type` stores it: a number, true or false, a list
 * for MultiSelect; a select option written as text becomes the option itself (`3` the number 3).
 * `what` names the value in errors.
 */
export function typedFieldValue(type: string | undefined, raw: string, what: string, selectOptions: unknown[] = []): unknown {
  const asOption = (text: string) => selectOptions.find((o) => String(o) === text) ?? text;
  switch (type) {
    case 'Number': {
      const number = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(number)) throw new UsageError(`${what} takes a number, got "${raw}"`);
      return number;
    }
    case 'Boolean':
      if (raw !== 'true' && raw !== 'false') throw new UsageError(`${what} takes true or false, got "${raw}"`);
      return raw === 'true';
    case 'MultiSelect':
      return list(raw).map(asOption);
    case 'SingleSelect':
      return asOption(raw);
    default:
      return raw;
  }
}

/** A field named by its id or by its name. */
export function findField(fields: readonly CustomMetadataField[], idOrName: string): CustomMetadataField | undefined {
  return fields.find((f) => f.id === idOrName) ?? fields.find((f) => f.name === idOrName);
}

/** The field a command line names by id or name (exit 4 when there is none). */
export async function resolveField(client: ImageKitClient, idOrName: string, includeDeleted = false): Promise<CustomMetadataField> {
  const fields = await client.listCustomMetadataFields(includeDeleted);
  const field = findField(fields, idOrName);
  if (!field) throw new ObjectNotFoundError(`no custom metadata field "${idOrName}"; the fields are: ${fields.map((f) => f.name).join(', ') || '(none defined)'}`);
  return field;
}

/**
 * Checks a typed value against its field's schema before it is sent, naming the field and the rule
 * it breaks: the select options, minValue/maxValue for numbers and dates, minLength/maxLength for text.
 */
function checkFieldValue(field: CustomMetadataField, value: unknown, what: string): void {
  const { schema } = field;
  const fail = (rule: string) => {
    throw new UsageError(`${what}: ${JSON.stringify(value)} breaks the rule of the field "${field.name}": ${rule}`);
  };
  const options = schema.selectOptions as unknown[] | undefined;
  const values = Array.isArray(value) ? value : [value];
  if ((schema.type === 'SingleSelect' || schema.type === 'MultiSelect') && options) {
    for (const v of values) if (!options.some((o) => o === v)) fail(`one of ${options.map(String).join(', ')}`);
  }
  if (schema.type === 'Number' && typeof value === 'number') {
    if (typeof schema.minValue === 'number' && value < schema.minValue) fail(`at least ${schema.minValue}`);
    if (typeof schema.maxValue === 'number' && value > schema.maxValue) fail(`at most ${schema.maxValue}`);
  }
  if (schema.type === 'Date' && typeof value === 'string') {
    const time = Date.parse(value);
    if (Number.isNaN(time)) fail('a date, such as 2026-12-03 or 2026-12-03T10:00:00.000Z');
    if (typeof schema.minValue === 'string' && time < Date.parse(schema.minValue)) fail(`not before ${schema.minValue}`);
    if (typeof schema.maxValue === 'string' && time > Date.parse(schema.maxValue)) fail(`not after ${schema.maxValue}`);
  }
  if ((schema.type === 'Text' || schema.type === 'Textarea') && typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) fail(`at least ${schema.minLength} characters`);
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) fail(`at most ${schema.maxLength} characters`);
  }
}

/**
 * Types `--meta key=value` pairs (a field named by name or id) by the account's fields, and checks
 * them; the fields are asked for only when there are pairs.
 */
export async function typedMeta(pairs: string[], accountFields: () => Promise<CustomMetadataField[]>): Promise<Record<string, unknown>> {
  if (pairs.length === 0) return {};
  const fields = await accountFields();
  const meta: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--meta takes key=value, got "${pair}"`);
    const [key, raw] = [pair.slice(0, eq), pair.slice(eq + 1)];
    const field = findField(fields, key);
    if (!field) throw new UsageError(`no custom metadata field "${key}"; the fields are: ${fields.map((f) => f.name).join(', ') || '(none defined)'}`);
    const value = typedFieldValue(String(field.schema.type), raw, `--meta ${key}`, field.schema.selectOptions as unknown[] | undefined);
    checkFieldValue(field, value, `--meta ${key}`);
    meta[field.name] = value;
  }
  return meta;
}
