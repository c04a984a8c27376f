/**
 * Custom metadata values typed as the account's fields store them, shared by `files update --meta`,
 * `upload --meta` and `custom-metadata create/update`.
 */
import type { CustomMetadataField } from '../../src/client.js';
import { UsageError } from '../cli/errors.js';
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

/** Types `--meta key=value` pairs by the account's custom metadata fields (asked for only when there are pairs). */
export async function typedMeta(pairs: string[], accountFields: () => Promise<CustomMetadataField[]>): Promise<Record<string, unknown>> {
  if (pairs.length === 0) return {};
  const fields = new Map((await accountFields()).map((f) => [f.name, f]));
  const meta: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--meta takes key=value, got "${pair}"`);
    const [key, raw] = [pair.slice(0, eq), pair.slice(eq + 1)];
    const field = fields.get(key);
    if (!field) throw new UsageError(`no custom metadata field "${key}"; the fields are: ${[...fields.keys()].join(', ') || '(none defined)'}`);
    meta[key] = typedFieldValue(String(field.schema.type), raw, `--meta ${key}`, field.schema.selectOptions as unknown[] | undefined);
  }
  return meta;
}
