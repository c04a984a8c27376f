/**
 * The upload API fields that flags set, shared by `upload` and `sync`: every file gets the same ones,
 * plus its own SHA-256 when the account has the field for it.
 */
import type { Command } from 'commander';
import type { CustomMetadataField, UploadFields } from '../../src/client.js';
import { list, parseExtensionsFlag, parseJsonFlag } from '../cli/flags.js';
import { HASH_FIELD, type LocalHashes } from './content-hash.js';
import { typedMeta } from './custom-metadata-values.js';
import type { PlannedUpload } from './upload-plan.js';

/** The flags that become upload API fields. */
export interface FieldFlags {
  tags?: string;
  private?: boolean;
  uniqueName?: boolean;
  overwrite?: boolean;
  keepTags?: boolean;
  keepAiTags?: boolean;
  keepCustomMetadata?: boolean;
  customCoordinates?: string;
  meta?: string[];
  customMetadata?: string;
  responseFields?: string;
  extensions?: string;
  webhookUrl?: string;
  pre?: string;
  post?: string;
  checks?: string;
  description?: string;
  draft?: boolean;
}

export type SharedFields = Omit<UploadFields, 'fileName'>;

/** The options that keep what a replaced file had: the same for `upload` and `sync`. */
export function addKeepOptions(command: Command): Command {
  return command
    .option('--keep-tags', 'keep the existing tags of a replaced file')
    .option('--keep-ai-tags', 'keep the existing AI tags of a replaced file')
    .option('--keep-custom-metadata', 'keep the existing custom metadata of a replaced file');
}

const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The upload API fields every file shares (all but the file and its name and folder), with the JSON
 * options parsed: a typo there stops the command before anything is read or sent. `--meta` values,
 * which need the API to be typed, are merged in by withMeta.
 */
export function sharedFields(flags: FieldFlags): SharedFields {
  const customMetadata = parseJsonFlag('--custom-metadata', flags.customMetadata, isObject, 'a JSON object') as Record<string, unknown> | undefined;
  const post = parseJsonFlag('--post', flags.post, Array.isArray, 'a JSON array of post-transformations') as unknown[] | undefined;
  return {
    useUniqueFileName: flags.uniqueName === true,
    tags: flags.tags === undefined ? undefined : list(flags.tags),
    isPrivateFile: flags.private ? true : undefined,
    isPublished: flags.draft ? false : undefined,
    customCoordinates: flags.customCoordinates,
    responseFields: flags.responseFields === undefined ? undefined : list(flags.responseFields),
    extensions: parseExtensionsFlag('--extensions', flags.extensions),
    webhookUrl: flags.webhookUrl,
    overwriteFile: flags.overwrite === false ? false : undefined,
    overwriteTags: flags.keepTags ? false : undefined,
    overwriteAITags: flags.keepAiTags ? false : undefined,
    overwriteCustomMetadata: flags.keepCustomMetadata ? false : undefined,
    customMetadata: customMetadata && Object.keys(customMetadata).length > 0 ? customMetadata : undefined,
    transformation: flags.pre !== undefined || post !== undefined ? { pre: flags.pre, post } : undefined,
    checks: flags.checks,
    description: flags.description,
  };
}

/** The shared fields with the `--meta key=value` values typed by the account's fields. */
export async function withMeta(fields: SharedFields, pairs: string[] | undefined, accountFields: () => Promise<CustomMetadataField[]>): Promise<SharedFields> {
  const meta = await typedMeta(pairs ?? [], accountFields);
  return Object.keys(meta).length > 0 ? { ...fields, customMetadata: { ...fields.customMetadata, ...meta } } : fields;
}

/** The custom metadata of one file: its SHA-256, for a file read from disk. */
export const hashMetadata = (hashes: LocalHashes) => async (item: PlannedUpload) =>
  'path' in item.upload ? { [HASH_FIELD]: await hashes.of(item.upload.path) } : undefined;
