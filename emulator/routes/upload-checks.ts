/**
 * An upload's `checks`: an expression in the list API's search language (comparisons joined with
 * AND, OR and parentheses, e.g. `"request.folder" : "marketing/" AND "file.size" < "1mb"`) about the
 * request (`request.folder`, `request.fileName`, `request.tags`, ...) and the file received
 * (`file.size`, `file.mime`, `file.width`, ...). A malformed expression, or one the upload does not
 * satisfy, refuses the upload with the API's 400, before anything is stored.
 */
import { ApiFailure } from '../server/errors.js';
import type { FileState } from '../store/media-store.js';
import { matches, parseSearchQuery, SearchSyntaxError, type SearchNode } from '../store/search.js';
import { formFlag } from './request-checks.js';

type UploadFacts = { fields: Record<string, string>; state: FileState };

/** A folder as checks compare folders: no leading slash, a trailing one (`marketing/2024/`; "" for the root). */
const folderKey = (folder: string) => {
  const trimmed = folder.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
};

const CHECK_FIELDS: Record<string, (facts: UploadFacts) => unknown> = {
  'request.folder': ({ state }) => folderKey(state.folder),
  'request.fileName': ({ fields }) => fields.fileName,
  'request.tags': ({ state }) => state.tags ?? [],
  'request.useUniqueFileName': ({ fields }) => formFlag(fields.useUniqueFileName, true),
  'request.isPrivateFile': ({ state }) => state.isPrivateFile,
  'request.isPublished': ({ state }) => state.isPublished,
  'request.description': ({ state }) => state.description,
  'request.customCoordinates': ({ state }) => state.customCoordinates,
  'file.size': ({ state }) => state.size,
  'file.mime': ({ state }) => state.mime,
  'file.type': ({ state }) => state.fileType,
  'file.width': ({ state }) => state.width,
  'file.height': ({ state }) => state.height,
};

/** The tree with folders compared as folders, and `file.size` read with size units (`"1mb"`) as the search language reads `size`. */
function prepared(node: SearchNode): SearchNode {
  if (node.kind !== 'compare') return { ...node, left: prepared(node.left), right: prepared(node.right) };
  if (!(node.field in CHECK_FIELDS)) throw new SearchSyntaxError(`unknown field "${node.field}"; the fields are ${Object.keys(CHECK_FIELDS).join(', ')}`);
  if (node.field === 'file.size') return { ...node, field: 'size' };
  if (node.field === 'request.folder') {
    const value = Array.isArray(node.value) ? node.value.map((v) => folderKey(String(v))) : folderKey(String(node.value));
    return { ...node, value };
  }
  return node;
}

/** Refuses the upload (400) when its `checks` are malformed or not met; does nothing without checks. */
export function passUploadChecks(fields: Record<string, string>, state: FileState, now: number): void {
  const expression = fields.checks;
  if (expression === undefined || expression.trim() === '') return;
  let tree: SearchNode;
  try {
    tree = prepared(parseSearchQuery(expression));
  } catch (error) {
    throw new ApiFailure(400, `Your request contains invalid syntax for the checks parameter: ${(error as Error).message}.`);
  }
  const facts = { fields, state };
  let passed: boolean;
  try {
    passed = matches(tree, (field) => CHECK_FIELDS[field === 'size' ? 'file.size' : field]!(facts), now);
  } catch (error) {
    throw new ApiFailure(400, `Your request contains invalid syntax for the checks parameter: ${(error as Error).message}.`);
  }
  if (!passed) throw new ApiFailure(400, "Your request failed 'checks' validation.");
}
