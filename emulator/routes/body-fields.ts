/**
 * Typed fields of a JSON request body for the account's collections: each missing or wrongly typed
 * field is refused with a 400 that names it, before anything is stored.
 */
import { ApiFailure } from '../server/errors.js';
import { requireString } from './request-checks.js';

export interface TextRule {
  /** Required fields must be non-empty strings (the API's MISSING_PARAMETER answer otherwise). */
  required?: boolean;
  pattern?: RegExp;
  max?: number;
  /** What the field must be, in the 400's message. */
  expected?: string;
}

/** A string field; undefined when optional and absent. */
export function textField(body: Record<string, unknown>, name: string, rule: TextRule = {}): string | undefined {
  if (rule.required) requireString(body, name);
  const value = body[name];
  if (value === undefined) return undefined;
  const invalid = () => new ApiFailure(400, `Your request contains invalid ${name} parameter${rule.expected ? `: it must be ${rule.expected}` : ''}.`);
  if (typeof value !== 'string') throw invalid();
  if ((rule.pattern && !rule.pattern.test(value)) || (rule.max !== undefined && value.length > rule.max)) throw invalid();
  return value;
}

/** A boolean field; undefined when absent. */
export function booleanField(body: Record<string, unknown>, name: string): boolean | undefined {
  const value = body[name];
  if (value !== undefined && typeof value !== 'boolean') throw new ApiFailure(400, `Your request contains invalid ${name} parameter: it must be true or false.`);
  return value;
}
