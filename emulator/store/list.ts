/**
 * The list API's listing: files, file versions and folders filtered by folder, tags or a search
 * query, sorted and paged. The request's parameters are checked by the route; a search that meets
 * a field or value it cannot compare throws SearchSyntaxError.
 */
import { normaliseFolder } from '../../src/paths.js';
import { fileDetails, folderDetails } from './details.js';
import { filePathOf, type FileRecord, type FileState, type MediaStore } from './media-store.js';
import { matches, mentionsField, SearchSyntaxError, type SearchNode } from './search.js';

export const LIST_TYPES = ['file', 'file-version', 'folder', 'all'] as const;
export const LIST_SORTS = ['ASC_NAME', 'DESC_NAME', 'ASC_CREATED', 'DESC_CREATED', 'ASC_UPDATED', 'DESC_UPDATED', 'ASC_HEIGHT', 'DESC_HEIGHT', 'ASC_WIDTH', 'DESC_WIDTH', 'ASC_SIZE', 'DESC_SIZE', 'ASC_RELEVANCE', 'DESC_RELEVANCE'] as const;
export const LIST_FILE_TYPES = ['all', 'image', 'non-image'] as const;

export interface ListQuery {
  type: (typeof LIST_TYPES)[number];
  sort: (typeof LIST_SORTS)[number];
  fileType: (typeof LIST_FILE_TYPES)[number];
  limit: number;
  skip: number;
  /** Only what is directly in this folder; everywhere when null or empty. */
  path: string | null;
  /** A parsed search query: it replaces `type` (files, plus what its `type` conditions ask for) and `tags`. */
  search?: SearchNode;
  /** Comma-separated tags, any of which an item must have. */
  tags: string | null;
}

/** What the list API answers for a query: the API's descriptions of the matching items. */
export function listAssets(store: MediaStore, query: ListQuery, view: { urlEndpoint: string; now: () => number }): unknown[] {
  const { type, sort, fileType, limit, skip, path, search, tags } = query;
  const { urlEndpoint, now } = view;

  type Item = { sortKey: Record<string, unknown>; details: Record<string, unknown>; search: (field: string) => unknown; kind: string };
  const items: Item[] = [];
  const fileItem = (file: FileRecord, state: FileState, kind: 'file' | 'file-version'): Item => ({
    kind,
    details: fileDetails(file, state, urlEndpoint, kind),
    sortKey: { NAME: state.name, CREATED: state.createdAt, UPDATED: state.updatedAt, HEIGHT: state.height ?? 0, WIDTH: state.width ?? 0, SIZE: state.size },
    search: (field) => {
      if (field.startsWith('customMetadata.')) return state.customMetadata[field.slice('customMetadata.'.length)];
      switch (field) {
        case 'name':
          return state.name;
        case 'size':
          return state.size;
        case 'createdAt':
          return state.createdAt;
        case 'updatedAt':
          return state.updatedAt;
        case 'format':
          return state.format;
        case 'type':
          return kind;
        case 'fileType':
          return state.fileType;
        case 'tags':
          return [...(state.tags ?? []), ...(state.AITags ?? []).map((t) => t.name)];
        case 'width':
          return state.width;
        case 'height':
          return state.height;
        case 'private':
          return state.isPrivateFile;
        case 'published':
          return state.isPublished;
        case 'transparency':
          return state.hasAlpha;
        case 'path':
          return filePathOf(state);
        default:
          throw new SearchSyntaxError(`unknown field "${field}"`);
      }
    },
  });

  const includeFiles = search ? true : type === 'file' || type === 'all';
  const includeVersions = search ? mentionsField(search, 'type') : type === 'file-version';
  const includeFolders = search ? mentionsField(search, 'type') : type === 'folder' || type === 'all';
  const inPath = (folder: string) => path === null || path === '' || normaliseFolder(path) === folder;

  for (const file of store.files.values()) {
    if (includeFiles && inPath(file.current.folder)) items.push(fileItem(file, file.current, 'file'));
    if (includeVersions) for (const version of file.versions) if (inPath(version.folder)) items.push(fileItem(file, version, 'file-version'));
  }
  if (includeFolders) {
    for (const folder of store.folders.values()) {
      const parent = folder.path.slice(0, folder.path.lastIndexOf('/')) || '/';
      if (!inPath(parent)) continue;
      items.push({
        kind: 'folder',
        details: folderDetails(folder),
        sortKey: { NAME: folder.path.split('/').pop(), CREATED: folder.createdAt, UPDATED: folder.updatedAt, HEIGHT: 0, WIDTH: 0, SIZE: 0 },
        search: (field) => (field === 'type' ? 'folder' : field === 'name' ? folder.path.split('/').pop() : field === 'createdAt' ? folder.createdAt : field === 'updatedAt' ? folder.updatedAt : undefined),
      });
    }
  }

  let selected = items;
  if (search) {
    // Without a `type` condition the search covers current files only, as the list's default type does.
    selected = items.filter((item) => (mentionsField(search, 'type') || item.kind === 'file') && matches(search, item.search, now()));
  } else if (tags) {
    const wanted = tags.split(',').map((t) => t.trim()).filter(Boolean);
    selected = selected.filter((item) => (item.search('tags') as string[] | undefined ?? []).some((t) => wanted.includes(t)));
  }
  if (fileType !== 'all') selected = selected.filter((item) => item.kind === 'folder' || item.details.fileType === fileType);

  const [direction, key] = sort.split('_') as ['ASC' | 'DESC', string];
  const sortKey = key === 'RELEVANCE' ? 'CREATED' : key;
  selected.sort((a, b) => {
    const left = a.sortKey[sortKey] as string | number;
    const right = b.sortKey[sortKey] as string | number;
    const order = left < right ? -1 : left > right ? 1 : String(a.details.fileId ?? a.details.folderId).localeCompare(String(b.details.fileId ?? b.details.folderId));
    return direction === 'ASC' ? order : -order;
  });
  return selected.slice(skip, skip + limit).map((item) => item.details);
}
