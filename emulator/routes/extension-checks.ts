/**
 * The `extensions` of an upload or a file update, and the `config` of a saved extension, checked as
 * the API documents them: remove-bg, google/aws auto-tagging (minConfidence, maxTags), ai-auto-
 * description, ai-tasks (1 to 10 tasks), and, in a list only, `{"name":"saved-extension","id"}`
 * references to the account's saved extensions, which are replaced by what they stand for.
 */
import { ApiFailure } from '../server/errors.js';
import type { MediaStore } from '../store/media-store.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const TASK_TYPES = ['select_tags', 'select_metadata', 'yes_no'];

/** Why an extension (not a saved-extension reference) is not one the API runs; undefined when it is. */
function extensionProblem(extension: unknown): string | undefined {
  if (!isObject(extension)) return 'an extension must be an object with a name';
  switch (extension.name) {
    case 'remove-bg': {
      const { options } = extension;
      if (options === undefined) return undefined;
      if (!isObject(options)) return 'remove-bg options must be an object';
      if (options.bg_color !== undefined && options.bg_image_url !== undefined) return 'remove-bg takes bg_color or bg_image_url, not both';
      return undefined;
    }
    case 'google-auto-tagging':
    case 'aws-auto-tagging': {
      const { minConfidence, maxTags } = extension;
      if (!isNumber(minConfidence) || minConfidence < 0 || minConfidence > 100) return `${extension.name} needs minConfidence, a number from 0 to 100`;
      if (!Number.isInteger(maxTags) || (maxTags as number) < 1) return `${extension.name} needs maxTags, a whole number of at least 1`;
      return undefined;
    }
    case 'ai-auto-description':
      return undefined;
    case 'ai-tasks': {
      const { tasks } = extension;
      if (!Array.isArray(tasks) || tasks.length < 1 || tasks.length > 10) return 'ai-tasks needs tasks, a list of 1 to 10 tasks';
      const bad = tasks.find((t) => !isObject(t) || !TASK_TYPES.includes(t.type as string) || typeof t.instruction !== 'string' || (t.type === 'select_metadata' && typeof t.field !== 'string'));
      return bad === undefined ? undefined : `each ai-tasks task needs a type (${TASK_TYPES.join(', ')}) and an instruction, and select_metadata a field`;
    }
    case 'saved-extension':
      return 'a saved extension cannot refer to another saved extension';
    default:
      return `unknown extension name ${JSON.stringify(extension.name)}`;
  }
}

/** A saved extension's `config`: one extension the API runs (400 otherwise). */
export function checkedExtensionConfig(config: unknown): Json {
  const problem = extensionProblem(config);
  if (problem) throw new ApiFailure(400, `Invalid extension configuration: ${problem}.`);
  return config as Json;
}

/**
 * An `extensions` list with each saved-extension reference replaced by its config; undefined when
 * absent. A malformed entry or an unknown saved extension id is a 400.
 */
export function checkedExtensions(store: MediaStore, extensions: unknown): Array<Json & { name: string }> | undefined {
  if (extensions === undefined) return undefined;
  if (!Array.isArray(extensions)) throw new ApiFailure(400, 'Your request contains invalid extensions parameter: it must be a list.');
  return extensions.map((extension: unknown) => {
    if (isObject(extension) && extension.name === 'saved-extension') {
      const saved = store.account.savedExtensions.find((s) => s.id === extension.id);
      if (!saved) throw new ApiFailure(400, `Invalid saved extension ID: no saved extension has the id ${JSON.stringify(extension.id)}.`);
      return saved.config as Json & { name: string };
    }
    const problem = extensionProblem(extension);
    if (problem) throw new ApiFailure(400, `Your request contains invalid extensions parameter: ${problem}.`);
    return extension as Json & { name: string };
  });
}
