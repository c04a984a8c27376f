/**
 * The files API: list and search, a file's details and their update, copy, move, rename and
 * delete. Versions, tags in bulk, metadata and purges have route tables of their own.
 */
import { normaliseFolder } from '../../src/paths.js';
import type { JsonAnswer } from '../server/answer.js';
import { ApiFailure } from '../server/errors.js';
import { placeFile, VersionLimitExceeded } from '../store/copy-move.js';
import { fileDetails } from '../store/details.js';
import { LIST_FILE_TYPES, LIST_SORTS, LIST_TYPES, listAssets, type ListQuery } from '../store/list.js';
import { filePathOf } from '../store/media-store.js';
import { parseSearchQuery } from '../store/search.js';
import { dateNow, route, type EmulatorContext, type EmulatorRoute } from './context.js';
import { checkedExtensions } from './extension-checks.js';
import { startPurge } from './purge.js';
import { checkedCustomMetadata, checkedFileName, requireFile, requireString } from './request-checks.js';

const oneOf = <T extends string>(values: readonly T[], value: string): value is T => (values as readonly string[]).includes(value);

function intParameter(value: string | null, name: string, fallback: number, min: number, max?: number): number {
  if (value === null || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number)) throw new ApiFailure(400, `Your request contains invalid value for ${name} parameter.`);
  if (number < min) {
    throw new ApiFailure(
      400,
      name === 'skip'
        ? `The value of skip parameter should be greater than or equal to 0. Value sent is ${value}.`
        : `Minimum value of ${name} parameter is ${min}. Value sent is ${value}.`,
    );
  }
  if (max !== undefined && number > max) throw new ApiFailure(400, `Maximum value of ${name} parameter is ${max}. Value sent is ${value}.`);
  return number;
}

const invalidSearch = (error: unknown) => new ApiFailure(400, `Your request contains an invalid searchQuery: ${(error as Error).message}.`);

/** The list API's query parameters, checked in the API's order. */
function listQueryOf(query: URLSearchParams): ListQuery {
  const type = query.get('type') || 'file';
  if (!oneOf(LIST_TYPES, type)) {
    throw new ApiFailure(400, 'Your request contains invalid value for type parameter. Please provide one of the following: file, file-version, folder, all.');
  }
  const sort = query.get('sort') || 'ASC_CREATED';
  if (!oneOf(LIST_SORTS, sort)) throw new ApiFailure(400, 'Your request contains invalid value for sort parameters.');
  const fileType = query.get('fileType') || 'all';
  if (!oneOf(LIST_FILE_TYPES, fileType)) throw new ApiFailure(400, 'Your request contains invalid value for fileType parameter.');
  const limit = intParameter(query.get('limit'), 'limit', 1000, 1, 1000);
  const skip = intParameter(query.get('skip'), 'skip', 0, 0);
  const searchQuery = query.get('searchQuery');
  let search;
  if (searchQuery) {
    try {
      search = parseSearchQuery(searchQuery);
    } catch (error) {
      throw invalidSearch(error);
    }
  }
  return { type, sort, fileType, limit, skip, path: query.get('path'), search, tags: query.get('tags') };
}

export const fileRoutes: EmulatorRoute[] = [
  route('GET', '/v1/files', ({ url }, { store, urlEndpoint, now }) => {
    const query = listQueryOf(url.searchParams);
    try {
      return { status: 200, body: listAssets(store, query, { urlEndpoint, now }) };
    } catch (error) {
      // A search that parses can still name a field or value it cannot compare.
      if (query.search) throw invalidSearch(error);
      throw error;
    }
  }),

  route('GET', '/v1/files/:fileId/details', ({ params }, { store, urlEndpoint }) => {
    const file = requireFile(store, params.fileId);
    return { status: 200, body: fileDetails(file, file.current, urlEndpoint) };
  }),

  route('PATCH', '/v1/files/:fileId/details', ({ params, body }, context) => {
    const { store, urlEndpoint } = context;
    const file = requireFile(store, params.fileId);
    const extensions = checkedExtensions(store, body.extensions) ?? [];
    if ('publish' in body) {
      if (Object.keys(body).length > 1) throw new ApiFailure(400, 'Your request cannot contain any other parameters when publish is present');
      const publish = body.publish as { isPublished?: unknown; includeFileVersions?: unknown };
      if (typeof publish?.isPublished !== 'boolean') throw new ApiFailure(400, 'publish.isPublished is required.');
      file.current.isPublished = publish.isPublished;
      if (publish.includeFileVersions === true) for (const v of file.versions) v.isPublished = publish.isPublished;
    } else {
      const state = file.current;
      if ('tags' in body) {
        if (body.tags !== null && !Array.isArray(body.tags)) throw new ApiFailure(400, 'Invalid tags parameter for this request');
        state.tags = body.tags === null ? null : (body.tags as unknown[]).map(String);
      }
      if ('customCoordinates' in body) state.customCoordinates = (body.customCoordinates as string | null) ?? null;
      if ('description' in body) state.description = body.description as string;
      if ('customMetadata' in body) state.customMetadata = checkedCustomMetadata(store, body.customMetadata, state.customMetadata);
      if ('removeAITags' in body) {
        const remove = body.removeAITags;
        if (remove !== 'all' && !Array.isArray(remove)) throw new ApiFailure(400, 'removeAITags must be an array of tag names or "all".');
        state.AITags = remove === 'all' ? null : (state.AITags ?? []).filter((t) => !(remove as string[]).includes(t.name));
      }
    }
    file.current.updatedAt = dateNow(context).toISOString();
    store.files.changed(file);
    return {
      status: 200,
      body: {
        ...fileDetails(file, file.current, urlEndpoint),
        ...(extensions.length ? { extensionStatus: Object.fromEntries(extensions.map((e) => [e.name, 'pending'])) } : {}),
      },
    };
  }),

  // Any other method: the file is looked up first, so a missing file is a 404 of its own.
  route('*', '/v1/files/:fileId/details', ({ method, url, params }, { store }) => {
    requireFile(store, params.fileId);
    throw ApiFailure.noRoute(method, url.pathname);
  }),

  route('POST', '/v1/files/copy', (request, context) => copyOrMoveFile(request.body, context, false)),
  route('POST', '/v1/files/move', (request, context) => copyOrMoveFile(request.body, context, true)),

  route('PUT', '/v1/files/rename', ({ body }, context) => {
    const { store, urlEndpoint } = context;
    const filePath = requireString(body, 'filePath');
    const newFileName = checkedFileName(requireString(body, 'newFileName'), 'newFileName');
    const file = store.findByPath(filePath);
    if (!file) throw new ApiFailure(404, `No file found in media library at filePath ${filePath}`, { reason: 'FILE_MISSING' });
    if (newFileName === file.current.name) throw new ApiFailure(400, 'newFileName cannot be the same as its existing name.', { reason: 'SAME_OLD_AND_NEW_NAME' });
    if (store.findByPath(filePathOf({ ...file.current, name: newFileName }))) {
      throw new ApiFailure(409, `File with name ${newFileName} already exists at the same location.`, { reason: 'FILE_ALREADY_EXISTS' });
    }
    store.renameFile(file, newFileName, dateNow(context));
    return { status: 200, body: body.purgeCache === true ? { purgeRequestId: startPurge(context, `${urlEndpoint}${filePath}*`) } : {} };
  }),

  route('DELETE', '/v1/files/:fileId', ({ params }, { store }) => {
    store.deleteFile(requireFile(store, params.fileId));
    return { status: 204 };
  }),
];

function copyOrMoveFile(body: Record<string, unknown>, context: EmulatorContext, move: boolean): JsonAnswer {
  const { store } = context;
  const source = requireString(body, 'sourceFilePath');
  const destination = requireString(body, 'destinationPath');
  const file = store.findByPath(source);
  if (!file) throw new ApiFailure(404, `No file found with filePath \`${source}\`.`, { reason: 'SOURCE_FILE_MISSING' });
  if (normaliseFolder(destination) === file.current.folder) {
    throw new ApiFailure(400, 'Your request is missing parameters / contains invalid parameters.', { reason: 'SAME_SOURCE_AND_DESTINATION' });
  }
  try {
    placeFile(store, file, destination, { move, includeVersions: body.includeFileVersions === true }, dateNow(context));
  } catch (error) {
    if (error instanceof VersionLimitExceeded) throw new ApiFailure(400, error.message, { reason: 'VERSION_LIMIT_EXCEEDED' });
    throw error;
  }
  return { status: 204 };
}
