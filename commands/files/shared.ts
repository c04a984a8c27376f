/**
 * What the verbs of `imagekit files` share: naming a file by id or by path, and the key/value view
 * of a file.
 */
import type { FileDetails, ImageKitClient } from '../../src/client.js';
import { filePathIn, normaliseFolder, sanitiseName } from '../../src/paths.js';
import { ObjectNotFoundError, UsageError } from '../cli/errors.js';
import { humanBytes } from '../cli/format.js';
import type { Result } from '../cli/output.js';

/**
 * The id of a file given by id or by path (`/products/shoe.jpg`): a path costs one list call. A
 * missing path is ObjectNotFoundError (exit 4), an ambiguous one a usage error.
 */
export async function resolveFileId(client: ImageKitClient, file: string): Promise<string> {
  if (!file.startsWith('/')) {
    // A file id is letters and digits: a name with a dot or a slash is a path missing its leading /.
    if (/[./]/.test(file)) throw new ObjectNotFoundError(`"${file}" is not a file id, and paths start with /: try /${file.replace(/^\.?\/+/, '')}`);
    return file;
  }
  const at = file.lastIndexOf('/');
  const folder = normaliseFolder(file.slice(0, at) || '/');
  const name = file.slice(at + 1).normalize('NFC');
  if (!name) throw new UsageError(`"${file}" is a folder path, not a file path`);
  // ImageKit stores names with anything but letters, digits, `.`, `_` and `-` turned into `_`.
  const stored = sanitiseName(name);
  if (stored !== name) throw new ObjectNotFoundError(`no file at ${file} (ImageKit would have stored it as ${filePathIn(folder, stored)})`);
  const matches = (await client.listFiles({ path: folder, type: 'file', searchQuery: `name = "${name.replace(/"/g, '\\"')}"` })).filter(
    (item): item is FileDetails => item.type === 'file' && item.name === name,
  );
  if (matches.length === 0) throw new ObjectNotFoundError(`no file at ${file}`);
  if (matches.length > 1) throw new UsageError(`${file} names ${matches.length} files: use a file id (${matches.map((m) => m.fileId).join(', ')})`);
  return matches[0]!.fileId;
}


/** A key/value view of a file's main fields; the API's whole object with --json. */
export function fileRecord(file: FileDetails): Result {
  return {
    kind: 'record',
    record: {
      fileId: file.fileId,
      name: file.name,
      filePath: file.filePath,
      type: file.type,
      fileType: file.fileType,
      size: humanBytes(file.size),
      width: file.width ?? null,
      height: file.height ?? null,
      url: file.url,
      tags: (file.tags ?? []).join(','),
      AITags: (file.AITags ?? []).map((t) => t.name).join(','),
      customMetadata: JSON.stringify(file.customMetadata ?? {}),
      isPrivateFile: file.isPrivateFile,
      isPublished: file.isPublished,
      version: `${file.versionInfo.name} (${file.versionInfo.id})`,
      createdAt: file.createdAt,
      updatedAt: file.updatedAt,
    },
    json: file,
  };
}


/** The path of a file given by id or path. */
export const filePathOf = async (client: ImageKitClient, file: string) => (await client.getFileDetails(await resolveFileId(client, file))).filePath;
