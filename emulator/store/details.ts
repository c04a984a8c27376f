/**
 * How the API describes what the store holds: a file (or one of its versions) and a folder, with
 * their URLs under the account's URL endpoint, as the list and details endpoints answer them.
 */
import { filePathOf, type FileRecord, type FileState, type FolderRecord } from './media-store.js';

/** A file as the details and list endpoints describe it: `state` is its current version or one of its earlier ones. */
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

/** A folder as the list endpoint describes it. */
export function folderDetails(folder: FolderRecord) {
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
