/**
 * The SHA-256 that `sync` and `upload` keep on each file they upload, in a custom metadata field of
 * the account. ImageKit's file objects carry no content hash (pHash is perceptual, for images only),
 * so without it a changed file of the same size would look unchanged. Shared by `upload` and `sync`.
 */
import type { CustomMetadataField, FileDetails, ImageKitClient } from '../../src/client.js';
import { ConfigError } from '../../src/errors.js';
import { sha256File, sha256Files } from '../../src/hash.js';
import type { Context } from '../cli/context.js';

/** The field's API name: letters and digits only, so it needs no quoting anywhere. */
export const HASH_FIELD = 'ikcliSha256';
const HASH_LENGTH = 64;
const HASH_FIELD_DEFINITION = {
  name: HASH_FIELD,
  label: 'imagekit CLI SHA-256',
  schema: { type: 'Text', minLength: HASH_LENGTH, maxLength: HASH_LENGTH },
};

/** The SHA-256 stored on a remote file, when it has one. */
export function storedHash(file: FileDetails): string | undefined {
  const value = file.customMetadata?.[HASH_FIELD];
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) ? value : undefined;
}

/**
 * Whether the account's field of that name can hold a hex SHA-256 (Text or Textarea, 64 characters
 * allowed): absent when there is no such field, or the reason it cannot.
 */
export function hashFieldState(fields: readonly CustomMetadataField[]): 'absent' | 'usable' | string {
  const field = fields.find((f) => f.name === HASH_FIELD);
  if (!field) return 'absent';
  const { type, minLength, maxLength } = field.schema as { type: string; minLength?: number; maxLength?: number };
  const fits = (type === 'Text' || type === 'Textarea') && (minLength ?? 0) <= HASH_LENGTH && (maxLength ?? HASH_LENGTH) >= HASH_LENGTH;
  return fits ? 'usable' : `the custom metadata field ${HASH_FIELD} of this account is a ${type} field that cannot hold a ${HASH_LENGTH}-character SHA-256`;
}

/**
 * Makes sure the account has the field (for `sync`), creating it on first use and saying so on stderr.
 * A field of that name that cannot hold the hash, or that was deleted (ImageKit never reuses a field's
 * name), is a configuration problem (exit 3).
 */
export async function ensureHashField(client: ImageKitClient, context: Context): Promise<void> {
  const state = hashFieldState(await client.listCustomMetadataFields());
  if (state === 'usable') return;
  if (state !== 'absent') throw new ConfigError(`${state}: sync needs it to store each file's SHA-256`);
  try {
    await client.createCustomMetadataField(HASH_FIELD_DEFINITION);
  } catch (error) {
    if (/name already exists/i.test((error as Error).message)) {
      throw new ConfigError(`the custom metadata field ${HASH_FIELD} was deleted from this account, and ImageKit never reuses a field's name: sync cannot store hashes (${(error as Error).message})`);
    }
    throw error;
  }
  context.io.stderr.write(`note: created the custom metadata field ${HASH_FIELD} (Text), where sync and upload keep each file's SHA-256\n`);
}

/** The SHA-256 of local files, each computed once however often it is asked for. */
export class LocalHashes {
  private readonly known = new Map<string, Promise<string>>();

  of(path: string): Promise<string> {
    let hash = this.known.get(path);
    if (!hash) this.known.set(path, (hash = sha256File(path)));
    return hash;
  }

  /** Hashes many files ahead (their sizes, when known, save a question to the file system). */
  async prefetch(files: ReadonlyArray<{ path: string; size?: number }>, concurrency: number): Promise<void> {
    const hashes = await sha256Files(files.filter((file) => !this.known.has(file.path)), concurrency);
    for (const [path, hash] of hashes) this.known.set(path, Promise.resolve(hash));
  }
}
