/**
 * What each origin type of the origins API is made of: the fields it requires, the secrets it takes
 * (never shown again by the API), and the fields the API answers with a default. One table, read by
 * the emulator (to check and answer) and by `imagekit origin` (its flags, and what to mask).
 */

export const ORIGIN_TYPES = ['S3', 'S3_COMPATIBLE', 'CLOUDINARY_BACKUP', 'WEB_FOLDER', 'WEB_PROXY', 'GCS', 'AZURE_BLOB', 'AKENEO_PIM'] as const;
export type OriginType = (typeof ORIGIN_TYPES)[number];

export interface OriginTypeSpec {
  /** Plain string fields the type requires. */
  required: readonly string[];
  /** Fields the API takes but never answers with: secrets, and the Akeneo credentials that go with them. */
  hidden: readonly string[];
  /** Of the hidden fields, those a person must keep secret (read from env or stdin, never a flag). */
  secrets: readonly string[];
  /** Optional fields and the value the API answers with when they were not sent. */
  defaults: Readonly<Record<string, string | boolean>>;
}

const BUCKET_KEYS: OriginTypeSpec = { required: ['bucket'], hidden: ['accessKey', 'secretKey'], secrets: ['accessKey', 'secretKey'], defaults: { prefix: '', useIAMRole: false } };

export const ORIGIN_SPECS: Readonly<Record<OriginType, OriginTypeSpec>> = {
  S3: BUCKET_KEYS,
  CLOUDINARY_BACKUP: BUCKET_KEYS,
  S3_COMPATIBLE: { ...BUCKET_KEYS, required: ['bucket', 'endpoint'], defaults: { prefix: '', s3ForcePathStyle: false } },
  WEB_FOLDER: { required: ['baseUrl'], hidden: [], secrets: [], defaults: { forwardHostHeaderToOrigin: false } },
  WEB_PROXY: { required: [], hidden: [], secrets: [], defaults: {} },
  GCS: { required: ['bucket', 'clientEmail'], hidden: ['privateKey'], secrets: ['privateKey'], defaults: { prefix: '' } },
  AZURE_BLOB: { required: ['accountName', 'container'], hidden: ['sasToken'], secrets: ['sasToken'], defaults: { prefix: '' } },
  AKENEO_PIM: { required: ['baseUrl'], hidden: ['clientId', 'clientSecret', 'username', 'password'], secrets: ['clientSecret', 'password'], defaults: {} },
};

/** Fields every origin type takes besides its own. */
export const COMMON_ORIGIN_DEFAULTS: Readonly<Record<string, boolean>> = { includeCanonicalHeader: false };

/** Every secret field of any origin type. */
export const ORIGIN_SECRET_FIELDS: readonly string[] = [...new Set(Object.values(ORIGIN_SPECS).flatMap((spec) => spec.secrets))];

export const isOriginType = (value: unknown): value is OriginType => (ORIGIN_TYPES as readonly unknown[]).includes(value);
