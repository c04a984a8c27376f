/**
 * Checks of request parameters that several routes share, each refusing with ImageKit's own status
 * and message: required strings, id and tag lists, form flags and JSON fields, known files, and
 * custom metadata values.
 */
import { sanitiseName } from '../../src/paths.js';
import { ApiFailure } from '../server/errors.js';
import { InvalidCustomMetadata, validateCustomMetadata } from '../store/custom-metadata.js';
import type { FileRecord, MediaStore } from '../store/media-store.js';

export function requireString(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') {
    throw new ApiFailure(400, 'Your request is missing parameters / contains invalid parameters.', { reason: 'MISSING_PARAMETER', missingParameter: name });
  }
  return value;
}

/** A file name as ImageKit stores it (see sanitiseName); `.` and `..` name no file a URL can reach, and are refused. */
export function checkedFileName(name: string, parameter: string): string {
  const sanitised = sanitiseName(name);
  if (sanitised === '.' || sanitised === '..') throw new ApiFailure(400, `Your request contains invalid ${parameter} parameter.`);
  return sanitised;
}

/** The file a `fileId` path segment names, or the API's 404. */
export function requireFile(store: MediaStore, fileId: string): FileRecord {
  const file = store.files.get(fileId);
  if (!file) throw new ApiFailure(404, 'The requested file does not exist.');
  return file;
}

export function fileIdsOf(body: Record<string, unknown>, max: number, tooMany: string): string[] {
  const ids = body.fileIds;
  if (ids === undefined) throw new ApiFailure(400, 'fileIds parameter is missing.');
  if (!Array.isArray(ids)) throw new ApiFailure(400, 'fileIds should be an Array.');
  if (ids.length === 0) throw new ApiFailure(400, 'fileIds is empty.');
  if (ids.length > max) throw new ApiFailure(400, tooMany);
  return ids.map(String);
}

export function tagList(value: unknown, name: string): string[] {
  if (value === undefined) throw new ApiFailure(400, `${name} parameter is missing.`);
  if (!Array.isArray(value)) throw new ApiFailure(400, `${name} should be an Array.`);
  if (value.length === 0) throw new ApiFailure(400, `${name} array cannot be empty.`);
  return value.map(String);
}

/** A `true`/`false` form field; the fallback when absent or empty. */
export const formFlag = (value: string | undefined, fallback: boolean) => (value === undefined || value === '' ? fallback : value === 'true');

/** A form field holding JSON; undefined when absent or empty. */
export function parseJsonField(value: string | undefined, name: string): unknown {
  if (value === undefined || value === '') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new ApiFailure(400, `Your request contains invalid ${name} parameter.`);
  }
}

/** Custom metadata values checked against the defined fields (see validateCustomMetadata), or the API's 400 listing the problems. */
export function checkedCustomMetadata(store: MediaStore, values: unknown, existing?: Record<string, unknown>): Record<string, unknown> {
  try {
    return validateCustomMetadata(store, values, existing);
  } catch (error) {
    if (error instanceof InvalidCustomMetadata) throw new ApiFailure(400, error.message, { errors: error.errors });
    throw error;
  }
}
