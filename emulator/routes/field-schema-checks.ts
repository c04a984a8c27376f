/**
 * The rules of a custom metadata field's schema beyond its type, as the API documents them:
 * minValue/maxValue (numbers for Number, ISO dates for Date) and minLength/maxLength (Text,
 * Textarea) in order, and a defaultValue that is a value the field accepts. Also the field's
 * optional description (at most 500 characters).
 */
import { ApiFailure } from '../server/errors.js';
import { fieldValueProblem } from '../store/custom-metadata.js';
import type { CustomField } from '../store/media-store.js';

const MAX_DESCRIPTION = 500;

/** Why a schema's bounds or default do not hold together; undefined when they do. */
export function schemaRuleProblem(field: Pick<CustomField, 'name' | 'schema'>): string | undefined {
  const { type, minValue, maxValue, minLength, maxLength, defaultValue } = field.schema;
  const bound = (value: unknown) => (type === 'Date' ? (typeof value === 'string' ? Date.parse(value) : NaN) : typeof value === 'number' ? value : NaN);
  for (const [name, value] of [['minValue', minValue], ['maxValue', maxValue]] as const) {
    if (value === undefined) continue;
    if (type !== 'Number' && type !== 'Date') return `${name} applies to Number and Date fields only`;
    if (Number.isNaN(bound(value))) return `${name} must be ${type === 'Date' ? 'an ISO 8601 date' : 'a number'}`;
  }
  if (minValue !== undefined && maxValue !== undefined && bound(minValue) > bound(maxValue)) return 'minValue must not be greater than maxValue';
  for (const [name, value] of [['minLength', minLength], ['maxLength', maxLength]] as const) {
    if (value === undefined) continue;
    if (type !== 'Text' && type !== 'Textarea') return `${name} applies to Text and Textarea fields only`;
    if (!Number.isInteger(value) || value < 0) return `${name} must be a whole number of at least 0`;
  }
  if (minLength !== undefined && maxLength !== undefined && minLength > maxLength) return 'minLength must not be greater than maxLength';
  if (defaultValue === undefined) return undefined;
  const problem = fieldValueProblem(field as CustomField, defaultValue);
  return problem && `defaultValue ${problem}`;
}

/** The `description` of a create or update body: undefined when absent, "" to clear it. */
export function fieldDescription(body: Record<string, unknown>): string | undefined {
  const { description } = body;
  if (description === undefined) return undefined;
  if (typeof description !== 'string' || description.length > MAX_DESCRIPTION) {
    throw new ApiFailure(400, `Your request contains invalid description parameter: it must be text of at most ${MAX_DESCRIPTION} characters.`);
  }
  return description;
}
