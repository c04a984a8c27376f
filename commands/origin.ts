/**
 * `imagekit origin`: where ImageKit fetches files that are not in the media library (S3,
 * S3-compatible, Cloudinary backup, web folder, web proxy, GCS, Azure Blob, Akeneo PIM). Each type's
 * fields come as flags or `--fields <json|@file>`. Secrets (access keys, private keys, tokens,
 * passwords) come only from environment variables or stdin, never from a plain flag, and are never
 * printed: the API does not answer with them, and any that appears is masked.
 */
import type { Command } from 'commander';
import type { Origin, OriginInput } from '../src/account-api.js';
import { maskSecret } from '../src/config.js';
import { isOriginType, ORIGIN_SECRET_FIELDS, ORIGIN_SPECS, ORIGIN_TYPES } from '../src/origins.js';
import type { Registrar } from './cli/command.js';
import type { Context } from './cli/context.js';
import { UsageError } from './cli/errors.js';
import { parseChoice, parseJsonOrFileFlag } from './cli/flags.js';
import { readAll } from './cli/io.js';
import { registerCollectionCommand } from './shared/collection-command.js';

/** The API's plain (not secret) origin fields, and their flags. */
const FIELD_OPTIONS = [
  { field: 'bucket', flag: '--bucket <name>', help: 'bucket (S3, S3_COMPATIBLE, CLOUDINARY_BACKUP, GCS)' },
  { field: 'prefix', flag: '--prefix <path>', help: 'path prefix inside the bucket or container' },
  { field: 'endpoint', flag: '--s3-endpoint <url>', help: 'the S3-compatible endpoint (S3_COMPATIBLE)' },
  { field: 'baseUrl', flag: '--url <url>', help: 'root URL (WEB_FOLDER) or Akeneo instance URL (AKENEO_PIM)' },
  { field: 'clientEmail', flag: '--client-email <email>', help: 'service account e-mail (GCS)' },
  { field: 'accountName', flag: '--account-name <name>', help: 'storage account (AZURE_BLOB)' },
  { field: 'container', flag: '--container <name>', help: 'container (AZURE_BLOB)' },
  { field: 'clientId', flag: '--client-id <id>', help: 'API client id (AKENEO_PIM)' },
  { field: 'username', flag: '--username <name>', help: 'API user (AKENEO_PIM)' },
  { field: 'baseUrlForCanonicalHeader', flag: '--canonical-url <url>', help: 'URL for the Canonical header (turns --canonical-header on)' },
  { field: 'useIAMRole', flag: '--use-iam-role', help: 'authenticate with an IAM role instead of keys (S3, CLOUDINARY_BACKUP)' },
  { field: 's3ForcePathStyle', flag: '--s3-force-path-style', help: 'path-style S3 URLs (S3_COMPATIBLE)' },
  { field: 'forwardHostHeaderToOrigin', flag: '--forward-host-header', help: 'forward the Host header to the origin (WEB_FOLDER)' },
  { field: 'includeCanonicalHeader', flag: '--canonical-header', help: 'send a Canonical header' },
].map((option) => ({ ...option, key: option.flag.slice(2).split(' ')[0]!.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()) }));

const kebab = (field: string) => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
/** `accessKey` is read through `--access-key-env <VAR>`, whose value is flags.accessKeyEnv. */
const SECRET_OPTIONS = ORIGIN_SECRET_FIELDS.map((field) => ({ field, flag: `--${kebab(field)}-env`, key: `${field}Env` }));

type OriginFlags = Record<string, string | boolean | undefined> & { type?: string; name?: string; fields?: string; secretsStdin?: boolean };

/** `--fields`: origin fields as a JSON object; secrets only from a file, never written inline on the command line. */
function fieldsFrom(text: string, context: Context): Record<string, unknown> {
  const config = parseJsonOrFileFlag('--fields', text, context.io.cwd);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new UsageError('--fields must be a JSON object of origin fields');
  const secrets = ORIGIN_SECRET_FIELDS.filter((field) => field in config);
  if (secrets.length > 0 && !text.startsWith('@')) {
    throw new UsageError(`--fields: secrets (${secrets.join(', ')}) are not taken inline, where shell history and process lists keep them: use ${SECRET_OPTIONS.filter((o) => secrets.includes(o.field)).map((o) => o.flag).join(', ')}, --secrets-stdin or --fields @file`);
  }
  return config as Record<string, unknown>;
}

/** The secrets given through `--<secret>-env <VAR>` and `--secrets-stdin` (a JSON object of secret fields). */
async function secretsFrom(flags: OriginFlags, context: Context): Promise<Record<string, string>> {
  const secrets: Record<string, string> = {};
  if (flags.secretsStdin) {
    let given: unknown;
    try {
      given = JSON.parse(await readAll(context.io.stdin));
    } catch {
      throw new UsageError('--secrets-stdin takes a JSON object of secrets on stdin, e.g. {"accessKey":"...","secretKey":"..."}');
    }
    const entries: Array<[string, unknown]> = typeof given === 'object' && given !== null && !Array.isArray(given) ? Object.entries(given) : [['', null]];
    for (const [field, value] of entries) {
      if (!ORIGIN_SECRET_FIELDS.includes(field) || typeof value !== 'string') throw new UsageError(`--secrets-stdin takes string values of ${ORIGIN_SECRET_FIELDS.join(', ')}`);
      secrets[field] = value;
    }
  }
  for (const { field, flag, key } of SECRET_OPTIONS) {
    const variable = flags[key] as string | undefined;
    if (variable === undefined) continue;
    const value = context.io.env[variable];
    if (!value) throw new UsageError(`${flag}: the environment variable ${variable} is not set`);
    secrets[field] = value;
  }
  return secrets;
}

/**
 * The whole origin to send (create, or replace on update): the existing origin's fields (when its
 * type stays), then --fields, then the flags and secrets. Checked for what its type needs, so that
 * nothing incomplete is sent.
 */
async function originBody(flags: OriginFlags, context: Context, existing: Origin | undefined): Promise<OriginInput> {
  const config = flags.fields === undefined ? {} : fieldsFrom(flags.fields, context);
  const type = flags.type ?? config.type ?? existing?.type;
  if (!isOriginType(type)) throw new UsageError(`give --type: one of ${ORIGIN_TYPES.join(', ')}`);
  // A replaced origin keeps its fields, or only its name when its type changes.
  const { id: _id, ...current } = existing ?? { id: '' };
  const kept = existing?.type === type ? current : { name: existing?.name };
  const body: Record<string, unknown> = { ...kept, ...config, type };
  if (flags.name !== undefined) body.name = flags.name;
  for (const { field, key } of FIELD_OPTIONS) if (flags[key] !== undefined) body[field] = flags[key];
  if (flags.canonicalUrl !== undefined) body.includeCanonicalHeader = true;
  Object.assign(body, await secretsFrom(flags, context));

  const spec = ORIGIN_SPECS[type];
  const flagOf = (field: string) => FIELD_OPTIONS.find((o) => o.field === field)?.flag.split(' ')[0] ?? field;
  const missing = ['name', ...spec.required, ...spec.hidden.filter((f) => !spec.secrets.includes(f))].filter((f) => typeof body[f] !== 'string' || body[f] === '');
  if (missing.length > 0) throw new UsageError(`a ${type} origin needs ${missing.map((f) => (f === 'name' ? '--name' : flagOf(f))).join(', ')}`);
  // With an IAM role the keys are sent empty, as the API asks.
  if (body.useIAMRole === true) for (const field of spec.secrets) body[field] ??= '';
  const missingSecrets = SECRET_OPTIONS.filter((o) => spec.secrets.includes(o.field) && typeof body[o.field] !== 'string');
  if (missingSecrets.length > 0) {
    const again = existing ? ' (the API never shows secrets, so replacing an origin needs them again)' : '';
    throw new UsageError(`a ${type} origin needs ${missingSecrets.map((o) => `${o.flag} <VAR>`).join(' and ')}, or --secrets-stdin${again}`);
  }
  return body as OriginInput;
}

/** An origin with any secret masked, should one ever come back. */
const masked = (origin: Origin): Origin =>
  Object.fromEntries(Object.entries(origin).map(([key, value]) => [key, ORIGIN_SECRET_FIELDS.includes(key) && typeof value === 'string' ? maskSecret(value) : value])) as Origin;

/** Where an origin's files come from, in a word. */
const sourceOf = (origin: Origin) => String(origin.bucket ?? origin.baseUrl ?? origin.container ?? '');

function withOriginOptions(command: Command, required: boolean): Command {
  command.addOption(command.createOption('--type <type>', `${ORIGIN_TYPES.join(', ')}`).argParser(parseChoice('--type', ORIGIN_TYPES)));
  command.option('--name <name>', required ? 'display name: letters, digits and spaces' : 'the new display name');
  for (const { flag, help } of FIELD_OPTIONS) command.option(flag, help);
  for (const { field, flag } of SECRET_OPTIONS) command.option(`${flag} <VAR>`, `read ${field} from this environment variable`);
  return command
    .option('--secrets-stdin', `read secrets from stdin as a JSON object (${ORIGIN_SECRET_FIELDS.join(', ')})`)
    .option('--fields <json|@file>', 'origin fields as JSON, or @file (a file may hold secrets; inline JSON may not); flags override it');
}

export function register(program: Command, registrar: Registrar): void {
  registerCollectionCommand<Origin, OriginInput, OriginInput, OriginFlags, OriginFlags>(program, registrar, {
    command: 'origin',
    summary: 'origins (S3, GCS, Azure, web folders...) that files outside the media library come from',
    noun: 'origin',
    notes:
      `Types: ${ORIGIN_TYPES.join(', ')}.\n` +
      'Secrets are read from environment variables (--access-key-env AWS_ACCESS_KEY_ID) or stdin (--secrets-stdin),\n' +
      'never from a plain flag, and never printed. The API never shows them again, so update needs them again.',
    collection: (client) => client.origins,
    nameOf: (o) => o.name,
    columns: [
      { header: 'name', value: (o) => o.name },
      { header: 'type', value: (o) => o.type },
      { header: 'source', value: sourceOf },
    ],
    record: (o) => Object.fromEntries(Object.entries(masked(o)).map(([key, value]) => [key, typeof value === 'object' ? JSON.stringify(value) : (value as string | number | boolean)])),
    json: masked,
    jsonFields: ['id', 'name', 'type', 'bucket', 'prefix', 'endpoint', 'baseUrl', 'clientEmail', 'accountName', 'container', 'useIAMRole', 's3ForcePathStyle', 'forwardHostHeaderToOrigin', 'includeCanonicalHeader', 'baseUrlForCanonicalHeader'],
    create: {
      description: 'Create an origin.',
      examples: [
        'origin create --type S3 --name "US S3" --bucket product-images --prefix raw --access-key-env AWS_ACCESS_KEY_ID --secret-key-env AWS_SECRET_ACCESS_KEY',
        'origin create --type WEB_FOLDER --name "Old site" --url https://www.example.com/images',
        'origin create --type GCS --name Archive --bucket archive --client-email svc@p.iam.gserviceaccount.com --secrets-stdin < gcs-secrets.json',
        'origin create --fields @azure-origin.json',
      ],
      options: (command) => withOriginOptions(command, true),
      body: (flags, context) => originBody(flags, context, undefined),
    },
    update: {
      description: 'Replace an origin: its fields as they are, changed by the flags (secrets must be given again).',
      examples: ['origin update "US S3" --prefix originals --access-key-env AWS_ACCESS_KEY_ID --secret-key-env AWS_SECRET_ACCESS_KEY', 'origin update "Old site" --forward-host-header'],
      options: (command) => withOriginOptions(command, false),
      body: originBody,
    },
  });
}
