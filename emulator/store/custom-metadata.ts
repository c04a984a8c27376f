/**
 * Custom metadata values checked against the account's field definitions, and required fields'
 * defaults filled in for new files. A refusal lists every problem, field by field.
 */
import type { CustomField, MediaStore } from './media-store.js';

/** Values that break the field definitions: each problem, by field name when it has one. */
export class InvalidCustomMetadata extends Error {
  constructor(readonly errors: Array<{ field?: string; message: string }>) {
    super('Invalid custom metadata.');
  }
}

/** Checks custom metadata against the defined fields; returns the values to store, or throws InvalidCustomMetadata. */
export function validateCustomMetadata(store: MediaStore, values: unknown, existing: Record<string, unknown> = {}): Record<string, unknown> {
  if (values === undefined) return existing;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new InvalidCustomMetadata([{ message: 'customMetadata must be an object' }]);
  const fields = new Map(store.activeFields().map((f) => [f.name, f]));
  const errors: Array<{ field: string; message: string }> = [];
  const result = { ...existing };
  for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
    const field = fields.get(name);
    if (!field) {
      errors.push({ field: name, message: `no custom metadata field named "${name}" exists` });
      continue;
    }
    if (value === null) {
      delete result[name];
      continue;
    }
    const problem = fieldValueProblem(field, value);
    if (problem) errors.push({ field: name, message: problem });
    else result[name] = value;
  }
  if (errors.length > 0) throw new InvalidCustomMetadata(errors);
  return result;
}

/** Why a value breaks a field's schema; undefined when it fits. */
export function fieldValueProblem(field: CustomField, value: unknown): string | undefined {
  const { schema } = field;
  switch (schema.type) {
    case 'Text':
    case 'Textarea': {
      if (typeof value !== 'string') return 'must be a string';
      if (schema.minLength !== undefined && value.length < schema.minLength) return `must be at least ${schema.minLength} characters long`;
      if (schema.maxLength !== undefined && value.length > schema.maxLength) return `must be at most ${schema.maxLength} characters long`;
      return undefined;
    }
    case 'Number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (schema.minValue !== undefined && value < Number(schema.minValue)) return `must be at least ${schema.minValue}`;
      if (schema.maxValue !== undefined && value > Number(schema.maxValue)) return `must be at most ${schema.maxValue}`;
      return undefined;
    }
    case 'Date': {
      const time = typeof value === 'string' ? Date.parse(value) : NaN;
      if (Number.isNaN(time)) return 'must be an ISO 8601 date';
      if (schema.minValue !== undefined && time < Date.parse(String(schema.minValue))) return `must not be before ${schema.minValue}`;
      if (schema.maxValue !== undefined && time > Date.parse(String(schema.maxValue))) return `must not be after ${schema.maxValue}`;
      return undefined;
    }
    case 'Boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'SingleSelect':
      return (schema.selectOptions ?? []).includes(value as string) ? undefined : `must be one of ${JSON.stringify(schema.selectOptions)}`;
    case 'MultiSelect':
      return Array.isArray(value) && value.every((v) => (schema.selectOptions ?? []).includes(v))
        ? undefined
        : `must be a list of values from ${JSON.stringify(schema.selectOptions)}`;
  }
}

/** Fills in required fields' default values for a new file. */
export function withDefaults(store: MediaStore, values: Record<string, unknown>): Record<string, unknown> {
  const result = { ...values };
  for (const field of store.activeFields()) {
    if (result[field.name] === undefined && field.schema.isValueRequired && field.schema.defaultValue !== undefined) result[field.name] = field.schema.defaultValue;
  }
  return result;
}
