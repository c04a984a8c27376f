/**
 * The media library API's semantics on top of the Library: what each endpoint does and answers,
 * with the real API's status codes and messages. HTTP details live in server.ts.
 */
import { copyFileSync } from 'node:fs';
import { ApiFailure, filePathOf, newId, type CustomField, type FileRecord, type FileState, type Library } from './media-store.js';
import { matches, mentionsField, parseSearchQuery, SearchSyntaxError } from './search.js';
import { normaliseFolder } from '../../src/paths.js';

export interface Clock {
  now(): number;
}

const SORTS = ['ASC_NAME', 'DESC_NAME', 'ASC_CREATED', 'DESC_CREATED', 'ASC_UPDATED', 'DESC_UPDATED', 'ASC_HEIGHT', 'DESC_HEIGHT', 'ASC_WIDTH', 'DESC_WIDTH', 'ASC_SIZE', 'DESC_SIZE', 'ASC_RELEVANCE', 'DESC_RELEVANCE'];

export function fileDetails(file: FileRecord, state: FileState, urlEndpoint: string, type: 'file' | 'file-version' = 'file') {
  const filePath = filePathOf(state);
  return {
    fileId: file.fileId,
    type,
    name: state.name,
    filePath,
    tags: state.tags,
    AITags: state.AITags,
    versionInfo: { id: state.versionId, name: state.versionName },
    isPrivateFile: state.isPrivateFile,
    isPublished: state.isPublished,
    customCoordinates: state.customCoordinates,
    url: `${urlEndpoint}${encodeURI(filePath)}`,
    thumbnail: state.fileType === 'image' ? `${urlEndpoint}/tr:n-ik_ml_thumbnail${encodeURI(filePath)}` : '',
    fileType: state.fileType,
    mime: state.mime,
    width: state.width ?? undefined,
    height: state.height ?? undefined,
    size: state.size,
    hasAlpha: state.hasAlpha,
    customMetadata: state.customMetadata,
    embeddedMetadata: {},
    description: state.description ?? undefined,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
  };
}

export function folderDetails(folder: { folderId: string; path: string; createdAt: string; updatedAt: string }) {
  return {
    type: 'folder' as const,
    folderId: folder.folderId,
    name: folder.path.split('/').pop()!,
    folderPath: folder.path,
    customMetadata: {},
    createdAt: folder.createdAt,
    updatedAt: folder.updatedAt,
  };
}

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

/** GET /v1/files */
export function listAssets(library: Library, query: URLSearchParams, urlEndpoint: string, clock: Clock): unknown[] {
  const type = query.get('type') || 'file';
  if (!['file', 'file-version', 'folder', 'all'].includes(type)) {
    throw new ApiFailure(400, 'Your request contains invalid value for type parameter. Please provide one of the following: file, file-version, folder, all.');
  }
  const sort = query.get('sort') || 'ASC_CREATED';
  if (!SORTS.includes(sort)) throw new ApiFailure(400, 'Your request contains invalid value for sort parameters.');
  const fileType = query.get('fileType') || 'all';
  if (!['all', 'image', 'non-image'].includes(fileType)) throw new ApiFailure(400, 'Your request contains invalid value for fileType parameter.');
  const limit = intParameter(query.get('limit'), 'limit', 1000, 1, 1000);
  const skip = intParameter(query.get('skip'), 'skip', 0, 0);
  const path = query.get('path');
  const searchQuery = query.get('searchQuery');

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

  let tree;
  if (searchQuery) {
    try {
      tree = parseSearchQuery(searchQuery);
    } catch (error) {
      throw new ApiFailure(400, `Your request contains an invalid searchQuery: ${(error as Error).message}.`);
    }
  }
  const includeFiles = searchQuery ? true : type === 'file' || type === 'all';
  const includeVersions = searchQuery ? mentionsField(tree!, 'type') : type === 'file-version';
  const includeFolders = searchQuery ? mentionsField(tree!, 'type') : type === 'folder' || type === 'all';
  const inPath = (folder: string) => path === null || path === '' || normaliseFolder(path) === folder;

  for (const file of library.files.values()) {
    if (includeFiles && inPath(file.current.folder)) items.push(fileItem(file, file.current, 'file'));
    if (includeVersions) for (const version of file.versions) if (inPath(version.folder)) items.push(fileItem(file, version, 'file-version'));
  }
  if (includeFolders) {
    for (const folder of library.folders.values()) {
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
  if (tree) {
    try {
      // Without a `type` condition the search covers current files only, as the list's default type does.
      selected = items.filter((item) => (mentionsField(tree, 'type') || item.kind === 'file') && matches(tree, item.search, clock.now()));
    } catch (error) {
      throw new ApiFailure(400, `Your request contains an invalid searchQuery: ${(error as Error).message}.`);
    }
  } else {
    const tags = query.get('tags');
    if (tags) {
      const wanted = tags.split(',').map((t) => t.trim()).filter(Boolean);
      selected = selected.filter((item) => (item.search('tags') as string[] | undefined ?? []).some((t) => wanted.includes(t)));
    }
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

/** Checks custom metadata against the defined fields; returns the values to store. */
export function validateCustomMetadata(library: Library, values: unknown, existing: Record<string, unknown> = {}): Record<string, unknown> {
  if (values === undefined) return existing;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new ApiFailure(400, 'Invalid custom metadata.', { errors: [{ message: 'customMetadata must be an object' }] });
  const fields = new Map(library.activeFields().map((f) => [f.name, f]));
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
  if (errors.length > 0) throw new ApiFailure(400, 'Invalid custom metadata.', { errors });
  return result;
}

function fieldValueProblem(field: CustomField, value: unknown): string | undefined {
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
export function withDefaults(library: Library, values: Record<string, unknown>): Record<string, unknown> {
  const result = { ...values };
  for (const field of library.activeFields()) {
    if (result[field.name] === undefined && field.schema.isValueRequired && field.schema.defaultValue !== undefined) result[field.name] = field.schema.defaultValue;
  }
  return result;
}

/** Copies (or moves) a file to a folder; a file of the same name there gets it as a new version. */
export function placeFile(library: Library, file: FileRecord, destination: string, options: { move: boolean; includeVersions: boolean }, now: Date): void {
  const folder = normaliseFolder(destination);
  library.ensureFolder(folder, now);
  const existing = library.findByPath(filePathOf({ ...file.current, folder }));
  if (existing === file) return;
  const states = options.includeVersions || options.move ? [...file.versions, file.current] : [file.current];
  // Checked before anything changes, so a refused copy leaves both files as they were.
  if (existing && existing.versions.length + 1 + states.length > 100) {
    throw new ApiFailure(400, 'Your request is missing parameters / contains invalid parameters.', { reason: 'VERSION_LIMIT_EXCEEDED' });
  }
  const copies = states.map((state) => {
    const blob = newId();
    copyFileSync(library.blobPath(state.blob), library.blobPath(blob));
    return { ...state, folder, blob, versionId: newId(), updatedAt: now.toISOString() };
  });
  if (existing) {
    const all = [...existing.versions, existing.current, ...copies];
    all.forEach((state, i) => (state.versionName = `Version ${i + 1}`));
    existing.current = all.pop()!;
    existing.versions = all;
  } else if (options.move) {
    file.current = { ...file.current, folder, updatedAt: now.toISOString() };
    file.versions = file.versions.map((v) => ({ ...v, folder }));
    library.changed();
    return;
  } else {
    const fileId = newId();
    copies.forEach((state, i) => (state.versionName = `Version ${i + 1}`));
    const current = copies.pop()!;
    current.versionId = fileId;
    library.files.set(fileId, { fileId, current: { ...current, createdAt: now.toISOString() }, versions: copies });
  }
  if (options.move) library.files.delete(file.fileId);
  library.changed();
}

/** Applies a folder copy or move (with everything inside it) as a bulk job does when it completes. */
export function applyFolderJob(library: Library, source: string, destination: string, options: { move: boolean; includeVersions: boolean }, now: Date): void {
  const from = normaliseFolder(source);
  const base = from.split('/').pop()!;
  const target = normaliseFolder(`${normaliseFolder(destination)}/${base}`);
  // Listed before the target exists, so that nothing created here is copied again.
  const folders = library.foldersUnder(from, true);
  const files = library.filesUnder(from, true);
  library.ensureFolder(target, now);
  const relocate = (folder: string) => normaliseFolder(target + folder.slice(from.length));
  for (const folder of folders) library.ensureFolder(relocate(folder.path), now);
  for (const file of files) placeFile(library, file, relocate(file.current.folder), options, now);
  if (options.move) {
    for (const folder of folders) library.folders.delete(folder.path);
    library.folders.delete(from);
  }
  library.changed();
}

/** Renames a folder in place (a rename job's work). */
export function applyFolderRename(library: Library, folderPath: string, newName: string, now: Date): void {
  const from = normaliseFolder(folderPath);
  const to = normaliseFolder(from.slice(0, from.lastIndexOf('/')) + '/' + newName);
  const relocate = (path: string) => to + path.slice(from.length);
  for (const folder of [...library.foldersUnder(from, true), library.folders.get(from)!].filter(Boolean)) {
    library.folders.delete(folder.path);
    library.folders.set(relocate(folder.path), { ...folder, path: relocate(folder.path), updatedAt: now.toISOString() });
  }
  for (const file of library.filesUnder(from, true)) {
    file.current = { ...file.current, folder: relocate(file.current.folder) };
    file.versions = file.versions.map((v) => ({ ...v, folder: relocate(v.folder) }));
  }
  library.changed();
}
