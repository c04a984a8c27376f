import type { Command } from 'commander';
import { isAbsoluteUrl } from '../src/url.js';
import type { Asset, FileDetails, ImageKitClient, ListParams, Metadata } from '../src/client.js';
import { ApiError, PartialSuccessError } from '../src/errors.js';
import { FileNotFoundError } from './errors.js';
import { collect, list, parseJsonFlag, typedMeta } from './values.js';
import { filePathIn, normaliseFolder, sanitiseName } from '../src/paths.js';
import { ExitCode, parseInteger, UsageError, type Context } from './context.js';
import type { Column, Result } from './output.js';
import { humanBytes } from './progress.js';


/**
 * The id of a file given by id or by path (`/products/shoe.jpg`): a path costs one list call. A
 * missing path is FileNotFoundError (exit 4), an ambiguous one a usage error.
 */
export async function resolveFileId(client: ImageKitClient, file: string): Promise<string> {
  if (!file.startsWith('/')) return file;
  const at = file.lastIndexOf('/');
  const folder = normaliseFolder(file.slice(0, at) || '/');
  const name = file.slice(at + 1).normalize('NFC');
  if (!name) throw new UsageError(`"${file}" is a folder path, not a file path`);
  // ImageKit stores names with anything but letters, digits, `.`, `_` and `-` turned into `_`.
  const stored = sanitiseName(name);
  if (stored !== name) throw new FileNotFoundError(`no file at ${file} (ImageKit would have stored it as ${filePathIn(folder, stored)})`);
  const matches = (await client.listFiles({ path: folder, type: 'file', searchQuery: `name = "${name.replace(/"/g, '\\"')}"` })).filter(
    (item): item is FileDetails => item.type === 'file' && item.name === name,
  );
  if (matches.length === 0) throw new FileNotFoundError(`no file at ${file}`);
  if (matches.length > 1) throw new UsageError(`${file} names ${matches.length} files: use a file id (${matches.map((m) => m.fileId).join(', ')})`);
  return matches[0]!.fileId;
}

/** Fields `files ls --fields` can show: table column or JSON key, and how to read it. */
const LIST_FIELDS: Record<string, (item: Asset) => unknown> = {
  name: (i) => i.name,
  path: (i) => (i.type === 'folder' ? i.folderPath : i.filePath),
  type: (i) => i.type,
  size: (i) => (i.type === 'folder' ? null : i.size),
  createdAt: (i) => i.createdAt,
  updatedAt: (i) => i.updatedAt,
  fileId: (i) => (i.type === 'folder' ? i.folderId : i.fileId),
  url: (i) => (i.type === 'folder' ? null : i.url),
  fileType: (i) => (i.type === 'folder' ? null : i.fileType),
  mime: (i) => (i.type === 'folder' ? null : i.mime ?? null),
  width: (i) => (i.type === 'folder' ? null : i.width ?? null),
  height: (i) => (i.type === 'folder' ? null : i.height ?? null),
  tags: (i) => (i.type === 'folder' ? null : i.tags),
  isPrivateFile: (i) => (i.type === 'folder' ? null : i.isPrivateFile),
  isPublished: (i) => (i.type === 'folder' ? null : i.isPublished),
  versionId: (i) => (i.type === 'folder' ? null : i.versionInfo.id),
};
/** Keys of the API's own objects, which --fields may name too. */
const API_KEYS = ['filePath', 'folderPath', 'folderId', 'AITags', 'versionInfo', 'customCoordinates', 'thumbnail', 'hasAlpha', 'customMetadata', 'embeddedMetadata', 'description'];
const fieldValue = (field: string, item: Asset): unknown =>
  field in LIST_FIELDS ? LIST_FIELDS[field]!(item) : ((item as unknown as Record<string, unknown>)[field] ?? null);
const DEFAULT_LIST_COLUMNS = ['name', 'path', 'type', 'size', 'createdAt', 'fileId'];
const SORTS = ['ASC_NAME', 'DESC_NAME', 'ASC_CREATED', 'DESC_CREATED', 'ASC_UPDATED', 'DESC_UPDATED', 'ASC_HEIGHT', 'DESC_HEIGHT', 'ASC_WIDTH', 'DESC_WIDTH', 'ASC_SIZE', 'DESC_SIZE', 'ASC_RELEVANCE', 'DESC_RELEVANCE'];

function cell(field: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (field === 'size' && typeof value === 'number') return humanBytes(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

interface LsFlags {
  query?: string;
  type: ListParams['type'];
  fileType: ListParams['fileType'];
  tags?: string;
  sort?: string;
  limit?: number;
  all?: boolean;
  skip?: number;
  fields?: string;
  json?: boolean;
  ndjson?: boolean;
}

async function listCommand(folder: string | undefined, flags: LsFlags, context: Context): Promise<Result> {
  const fields = flags.fields === undefined ? undefined : list(flags.fields);
  const known = [...Object.keys(LIST_FIELDS), ...API_KEYS];
  if (fields?.length === 0) throw new UsageError(`--fields needs at least one field: ${known.join(', ')}`);
  const unknown = (fields ?? []).filter((f) => !known.includes(f));
  if (unknown.length > 0) throw new UsageError(`unknown field(s) ${unknown.join(', ')}; the fields are: ${known.join(', ')}`);
  if (flags.query !== undefined && (flags.type !== undefined || flags.tags !== undefined)) {
    throw new UsageError('the API ignores --type and --tags with --query: put them in the query (type = "folder", tags IN ["a"])');
  }
  if (flags.all && flags.limit !== undefined) throw new UsageError('give --all or --limit, not both');
  if (flags.json && flags.ndjson) throw new UsageError('give --json or --ndjson, not both');
  const client = await context.client();
  const params: Omit<ListParams, 'limit'> = {
    path: folder === undefined ? undefined : normaliseFolder(folder),
    searchQuery: flags.query,
    type: flags.type,
    fileType: flags.fileType,
    tags: flags.tags,
    sort: flags.sort,
    skip: flags.skip,
  };
  const max = flags.all ? Infinity : flags.limit ?? 1000;
  const pick = (item: Asset) => (fields ? Object.fromEntries(fields.map((f) => [f, fieldValue(f, item)])) : item);

  if (flags.ndjson) {
    // Streamed: each page is printed as it arrives, before the next one is asked for.
    async function* items() {
      for await (const page of client.listPages(params, max)) for (const item of page) yield { text: '', json: pick(item) };
    }
    return { kind: 'lines', items: items() };
  }
  const rows: Asset[] = [];
  for await (const page of client.listPages(params, max)) rows.push(...page);
  const shown = fields ?? DEFAULT_LIST_COLUMNS;
  const columns: Column<Asset>[] = shown.map((f) => ({ header: f, value: (item: Asset) => cell(f, fieldValue(f, item)) }));
  if (rows.length === 0 && context.io.stderrIsTTY) context.io.stderr.write('no files found\n');
  return { kind: 'table', columns, rows, json: rows.map(pick) };
}

/** A key/value view of a file's main fields; the API's whole object with --json. */
function fileRecord(file: FileDetails): Result {
  return {
    kind: 'record',
    record: {
      fileId: file.fileId,
      name: file.name,
      filePath: file.filePath,
      type: file.type,
      fileType: file.fileType,
      size: file.size,
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

function metadataRecord(metadata: Metadata): Result {
  return {
    kind: 'record',
    record: {
      width: metadata.width,
      height: metadata.height,
      format: metadata.format,
      size: metadata.size,
      pHash: metadata.pHash,
      hasTransparency: metadata.hasTransparency,
      hasColorProfile: metadata.hasColorProfile,
      density: metadata.density,
      exif: JSON.stringify(metadata.exif ?? {}),
    },
    json: metadata,
  };
}

interface BulkOutcome {
  file: string;
  fileId: string | null;
  status: 'done' | 'failed' | 'planned';
  error?: string;
  notFound?: boolean;
}

/** Resolves many file arguments; one that cannot be resolved becomes a failed outcome, not an abort. */
async function resolveMany(client: ImageKitClient, files: string[]): Promise<BulkOutcome[]> {
  return Promise.all(
    files.map(async (file) => {
      try {
        return { file, fileId: await resolveFileId(client, file), status: 'planned' as const };
      } catch (error) {
        if (!(error instanceof FileNotFoundError)) throw error;
        return { file, fileId: null, status: 'failed' as const, error: error.message, notFound: true };
      }
    }),
  );
}

/**
 * Runs a bulk call over chunks of distinct ids, recording per file what happened. A partial success
 * (207) or a 404 naming the missing ids fails only those files (the others of a 404 chunk are sent
 * again); any other error (credentials, rate limits after retries) is the command's error, not a file's.
 */
async function runBulk(outcomes: BulkOutcome[], chunkSize: number, call: (ids: string[]) => Promise<unknown>): Promise<void> {
  const ids = [...new Set(outcomes.filter((o) => o.status === 'planned').map((o) => o.fileId!))];
  const failures = new Map<string, { message: string; notFound: boolean }>();
  const send = async (chunk: string[]): Promise<void> => {
    if (chunk.length === 0) return;
    try {
      await call(chunk);
    } catch (error) {
      if (error instanceof PartialSuccessError) {
        const succeeded = new Set<string>(Object.values(error.data as Record<string, unknown>).find(Array.isArray) as string[] | undefined);
        for (const e of (error.data as { errors?: Array<{ fileId: string; error: string }> }).errors ?? []) {
          if (!succeeded.has(e.fileId)) failures.set(e.fileId, { message: e.error, notFound: /does not exist/i.test(e.error) });
        }
        return;
      }
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
      const missing = (error.data as { missingFileIds?: string[] } | undefined)?.missingFileIds ?? chunk;
      for (const id of missing) failures.set(id, { message: error.message, notFound: true });
      const rest = chunk.filter((id) => !missing.includes(id));
      if (rest.length < chunk.length) await send(rest);
    }
  };
  for (let i = 0; i < ids.length; i += chunkSize) await send(ids.slice(i, i + chunkSize));
  for (const o of outcomes) {
    if (o.status !== 'planned') continue;
    const failure = failures.get(o.fileId!);
    if (failure) Object.assign(o, { status: 'failed', error: failure.message, notFound: failure.notFound });
    else o.status = 'done';
  }
}

function bulkResult(outcomes: BulkOutcome[], context: Context): Result {
  for (const o of outcomes) if (o.status === 'failed') context.io.stderr.write(`error: ${o.file}: ${o.error}\n`);
  const failed = outcomes.filter((o) => o.status === 'failed');
  return {
    kind: 'table',
    columns: [
      { header: 'file', value: (o: BulkOutcome) => o.file },
      { header: 'fileId', value: (o: BulkOutcome) => o.fileId ?? '' },
      { header: 'status', value: (o: BulkOutcome) => (o.status === 'failed' ? `failed: ${o.error}` : o.status) },
    ],
    rows: outcomes,
    exitCode: () => {
      if (failed.length === 0) return ExitCode.ok;
      if (failed.length < outcomes.length) return ExitCode.partial;
      return failed.every((o) => o.notFound) ? ExitCode.notFound : ExitCode.failure;
    },
  };
}

const EXAMPLES = `
Examples:
  $ imagekit files ls /products --query 'size > "1mb" AND format = "png"'
  $ imagekit files ls --all --ndjson --fields fileId,path,size > inventory.ndjson
  $ imagekit files get /products/shoe.jpg
  $ imagekit files update /products/shoe.jpg --tags sale,summer --meta price=49.5
  $ imagekit files update 6553ab1f2c8a --publish false --include-versions
  $ imagekit files tag /a.jpg /b.jpg --add sale --remove winter
  $ imagekit files rm /tmp/a.jpg /tmp/b.jpg --yes
  $ imagekit files mv /inbox/a.jpg /products
  $ imagekit files rename /products/a.jpg shoe.jpg --purge
  $ imagekit files metadata /products/shoe.jpg --json

A file is named by its id or by its path (one list call to find it); a path that names no file exits 4.`;

export function register(program: Command, context: Context): void {
  const files = program.command('files').summary('list, inspect, update, tag, move and delete files').addHelpText('after', EXAMPLES);

  files
    .command('ls')
    .description('List files and folders, or search them (pages past the 1000-per-call limit as needed).')
    .argument('[folder]', 'only this folder (not its subfolders)')
    .option('--query <searchQuery>', 'a search query: name, size, createdAt, format, tags, ... with =, <, IN, AND, OR')
    .addOption(files.createOption('--type <type>', 'what to list').choices(['file', 'file-version', 'folder', 'all']))
    .addOption(files.createOption('--file-type <type>', 'images or other files').choices(['image', 'non-image', 'all']))
    .option('--tags <a,b>', 'files with any of these tags')
    .addOption(files.createOption('--sort <order>', 'sort order').choices(SORTS))
    .option('--limit <n>', 'at most this many (default 1000)', parseInteger('--limit', { min: 1 }))
    .option('--all', 'everything, however many')
    .option('--skip <n>', 'skip this many first', parseInteger('--skip', { min: 0 }))
    .option('--fields <a,b>', `columns or JSON keys: ${Object.keys(LIST_FIELDS).join(', ')}`)
    .option('--json', 'print a JSON array')
    .option('--ndjson', 'print one JSON object a line, as pages arrive')
    .action(context.action<[string | undefined], LsFlags>(([folder], flags) => listCommand(folder, flags, context)));

  files
    .command('get')
    .description('Show a file\'s details.')
    .argument('<file>', 'file id or path')
    .option('--json', 'print JSON')
    .action(
      context.action<[string], object>(async ([file]) => {
        const client = await context.client();
        return fileRecord(await client.getFileDetails(await resolveFileId(client, file)));
      }),
    );

  const versionColumns: Column<FileDetails>[] = [
    { header: 'versionId', value: (v) => v.versionInfo.id },
    { header: 'version', value: (v) => v.versionInfo.name },
    { header: 'current', value: (v) => (v.type === 'file' ? 'yes' : '') },
    { header: 'size', value: (v) => humanBytes(v.size) },
    { header: 'updatedAt', value: (v) => v.updatedAt },
  ];
  files
    .command('versions')
    .description('List a file\'s versions.')
    .argument('<file>', 'file id or path')
    .option('--json', 'print JSON')
    .action(
      context.action<[string], object>(async ([file]) => {
        const client = await context.client();
        const versions = await client.listVersions(await resolveFileId(client, file));
        return { kind: 'table', columns: versionColumns, rows: versions };
      }),
    );

  files
    .command('version')
    .description('Show one version of a file.')
    .argument('<file>', 'file id or path')
    .argument('<versionId>', 'the version')
    .option('--json', 'print JSON')
    .action(
      context.action<[string, string], object>(async ([file, versionId]) => {
        const client = await context.client();
        return fileRecord(await client.getVersion(await resolveFileId(client, file), versionId));
      }),
    );

  files
    .command('update')
    .description('Change a file\'s tags, custom coordinates, custom metadata, extensions, or (alone) its publication.')
    .argument('<file>', 'file id or path')
    .option('--tags <a,b>', 'replace the tags ("" removes them all)')
    .option('--remove-ai-tags <a,b>', 'AI tags to remove, or "all"')
    .option('--custom-coordinates <x,y,w,h>', 'area of interest ("" removes it)')
    .option('--meta <key=value>', 'a custom metadata value, typed by its field (repeatable)', collect)
    .option('--custom-metadata <json>', 'custom metadata as a JSON object (a null value removes a key)')
    .option('--extensions <json>', 'extensions to run, as a JSON array')
    .option('--webhook-url <url>', 'where the extensions\' results are posted')
    .option('--description <text>', 'description')
    .addOption(files.createOption('--publish <state>', 'publish (true) or unpublish (false); cannot be combined with other changes').choices(['true', 'false']))
    .option('--include-versions', 'with --publish: every version too')
    .option('--json', 'print JSON')
    .action(context.action<[string], UpdateFlags>(([file], flags) => updateCommand(file, flags, context)));

  const tagCommand = (name: string, description: string) =>
    files.command(name).description(description).argument('<file...>', 'file ids or paths').option('--json', 'print JSON');
  tagCommand('tag', 'Add and remove tags on many files (in chunks of 50).')
    .option('--add <a,b>', 'tags to add')
    .option('--remove <a,b>', 'tags to remove')
    .action(
      context.action<[string[]], { add?: string; remove?: string }>(async ([names], flags) => {
        if (!flags.add && !flags.remove) throw new UsageError('give --add and/or --remove');
        const client = await context.client();
        const outcomes = await resolveMany(client, names);
        if (flags.add) await runBulk(outcomes, 50, (ids) => client.addTags(ids, list(flags.add!)));
        if (flags.remove) {
          for (const o of outcomes) if (o.status === 'done') o.status = 'planned';
          await runBulk(outcomes, 50, (ids) => client.removeTags(ids, list(flags.remove!)));
        }
        return bulkResult(outcomes, context);
      }),
    );
  tagCommand('untag-ai', 'Remove AI tags from many files (in chunks of 50).')
    .requiredOption('--tags <a,b>', 'AI tags to remove')
    .action(
      context.action<[string[]], { tags: string }>(async ([names], flags) => {
        const client = await context.client();
        const outcomes = await resolveMany(client, names);
        await runBulk(outcomes, 50, (ids) => client.removeAITags(ids, list(flags.tags)));
        return bulkResult(outcomes, context);
      }),
    );

  files
    .command('rm')
    .description('Delete files with all their versions (in chunks of 100; asks first, --yes when unattended).')
    .argument('<file...>', 'file ids or paths')
    .option('-y, --yes', 'do not ask')
    .option('--dry-run', 'say what would be deleted, delete nothing')
    .option('--json', 'print JSON')
    .action(
      context.action<[string[]], { yes?: boolean; dryRun?: boolean }>(async ([names], flags) => {
        const client = await context.client();
        const outcomes = await resolveMany(client, names);
        if (flags.dryRun) return bulkResult(outcomes, context);
        const count = outcomes.filter((o) => o.status === 'planned').length;
        if (count > 0) await context.confirm(`Delete ${count} file(s) with all their versions?`, flags.yes);
        await runBulk(outcomes, 100, (ids) => client.bulkDeleteFiles(ids));
        return bulkResult(outcomes, context);
      }),
    );

  files
    .command('rm-version')
    .description('Delete one (not the current) version of a file.')
    .argument('<file>', 'file id or path')
    .argument('<versionId>', 'the version')
    .option('-y, --yes', 'do not ask')
    .option('--dry-run', 'say what would be deleted, delete nothing')
    .option('--json', 'print JSON')
    .action(
      context.action<[string, string], { yes?: boolean; dryRun?: boolean }>(async ([file, versionId], flags): Promise<Result> => {
        const client = await context.client();
        const fileId = await resolveFileId(client, file);
        if (flags.dryRun) {
          await client.getVersion(fileId, versionId); // a missing version exits 4, as the real run would
          return { kind: 'record', record: { fileId, versionId, deleted: false, dryRun: true } };
        }
        await context.confirm(`Delete version ${versionId} of ${file}?`, flags.yes);
        await client.deleteVersion(fileId, versionId);
        return { kind: 'record', record: { fileId, versionId, deleted: true } };
      }),
    );

  files
    .command('restore')
    .description('Make an earlier version the current one.')
    .argument('<file>', 'file id or path')
    .argument('<versionId>', 'the version')
    .option('--json', 'print JSON')
    .action(
      context.action<[string, string], object>(async ([file, versionId]) => {
        const client = await context.client();
        return fileRecord(await client.restoreVersion(await resolveFileId(client, file), versionId));
      }),
    );

  /** The path of a file given by id or path. */
  const filePathOf = async (client: ImageKitClient, file: string) =>
    file.startsWith('/') ? (await client.getFileDetails(await resolveFileId(client, file))).filePath : (await client.getFileDetails(file)).filePath;

  files
    .command('cp')
    .description('Copy a file into a folder (a file of the same name there gets it as a new version).')
    .argument('<file>', 'file id or path')
    .argument('<destFolder>', 'the folder')
    .option('--include-versions', 'copy every version')
    .option('--json', 'print JSON')
    .action(
      context.action<[string, string], { includeVersions?: boolean }>(async ([file, dest], flags): Promise<Result> => {
        const client = await context.client();
        const source = await filePathOf(client, file);
        await client.copyFile(source, normaliseFolder(dest), flags.includeVersions === true);
        return { kind: 'record', record: { source, destination: normaliseFolder(dest), copied: true } };
      }),
    );

  files
    .command('mv')
    .description('Move a file into a folder.')
    .argument('<file>', 'file id or path')
    .argument('<destFolder>', 'the folder')
    .option('-y, --yes', 'do not ask')
    .option('--dry-run', 'say what would be moved where, move nothing')
    .option('--json', 'print JSON')
    .action(
      context.action<[string, string], { yes?: boolean; dryRun?: boolean }>(async ([file, dest], flags): Promise<Result> => {
        const client = await context.client();
        const source = await filePathOf(client, file);
        if (flags.dryRun) return { kind: 'record', record: { source, destination: normaliseFolder(dest), moved: false, dryRun: true } };
        await context.confirm(`Move ${source} into ${normaliseFolder(dest)}?`, flags.yes);
        await client.moveFile(source, normaliseFolder(dest));
        return { kind: 'record', record: { source, destination: normaliseFolder(dest), moved: true } };
      }),
    );

  files
    .command('rename')
    .description('Rename a file in place (its old URLs stop working).')
    .argument('<file>', 'file id or path')
    .argument('<newName>', 'the new name')
    .option('--purge', 'purge the CDN cache of the old URLs (a wildcard purge: asks first), and print the purge request id')
    .option('-y, --yes', 'do not ask')
    .option('--dry-run', 'say what would be renamed, rename nothing')
    .option('--json', 'print JSON')
    .action(
      context.action<[string, string], { purge?: boolean; yes?: boolean; dryRun?: boolean }>(async ([file, newName], flags): Promise<Result> => {
        if (newName.includes('/')) throw new UsageError('the new name is a name, not a path: use "files mv" to move a file');
        const client = await context.client();
        const source = await filePathOf(client, file);
        const stored = sanitiseName(newName);
        const filePath = filePathIn(source.slice(0, source.lastIndexOf('/')) || '/', stored);
        if (flags.dryRun) return { kind: 'record', record: { source, newName: stored, filePath, renamed: false, dryRun: true } };
        if (flags.purge) await context.confirm(`Rename ${source} and purge the cache of its old URLs?`, flags.yes);
        const { purgeRequestId } = await client.renameFile(source, newName, flags.purge === true);
        const record: Record<string, string> = { source, newName: stored, filePath };
        if (purgeRequestId) record.purgeRequestId = purgeRequestId;
        return { kind: 'record', record };
      }),
    );

  files
    .command('metadata')
    .description('Image metadata of a file: dimensions, format, EXIF, pHash.')
    .argument('<file>', 'file id or path')
    .option('--json', 'print JSON')
    .action(
      context.action<[string], object>(async ([file]) => {
        const client = await context.client();
        return metadataRecord(await client.getFileMetadata(await resolveFileId(client, file)));
      }),
    );
}

/** `imagekit metadata <url>`: the same metadata for a remote URL. */
export function registerMetadata(program: Command, context: Context): void {
  program
    .command('metadata')
    .summary('image metadata (dimensions, format, EXIF, pHash) of a URL')
    .argument('<url>', 'a URL served through your ImageKit account')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ imagekit metadata https://ik.imagekit.io/your_id/products/shoe.jpg --json')
    .action(
      context.action<[string], object>(async ([url]) => {
        if (!isAbsoluteUrl(url)) throw new UsageError(`metadata takes a full http(s) URL, got "${url}" (for a file in the library: imagekit files metadata)`);
        return metadataRecord(await (await context.client()).getRemoteFileMetadata(url));
      }),
    );
}

interface UpdateFlags {
  tags?: string;
  removeAiTags?: string;
  customCoordinates?: string;
  meta?: string[];
  customMetadata?: string;
  extensions?: string;
  webhookUrl?: string;
  description?: string;
  publish?: 'true' | 'false';
  includeVersions?: boolean;
}

async function updateCommand(file: string, flags: UpdateFlags, context: Context): Promise<Result> {
  const changes = ['tags', 'removeAiTags', 'customCoordinates', 'meta', 'customMetadata', 'extensions', 'webhookUrl', 'description'] as const;
  const given = changes.filter((c) => flags[c] !== undefined);
  if (flags.publish !== undefined && given.length > 0) {
    throw new UsageError('--publish cannot be combined with other changes (the API refuses it): run them as two updates');
  }
  if (flags.includeVersions && flags.publish === undefined) throw new UsageError('--include-versions goes with --publish');
  if (flags.publish === undefined && given.length === 0) throw new UsageError('nothing to update: give --tags, --meta, --publish, ...');
  const customMetadataJson = parseJsonFlag('--custom-metadata', flags.customMetadata, (v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'a JSON object') as
    | Record<string, unknown>
    | undefined;
  const extensions = parseJsonFlag('--extensions', flags.extensions, Array.isArray, 'a JSON array');
  const client = await context.client();
  const fileId = await resolveFileId(client, file);
  let update: Record<string, unknown>;
  if (flags.publish !== undefined) {
    update = { publish: { isPublished: flags.publish === 'true', ...(flags.includeVersions ? { includeFileVersions: true } : {}) } };
  } else {
    const meta = await typedMeta(flags.meta ?? [], client);
    const customMetadata = customMetadataJson || flags.meta ? { ...customMetadataJson, ...meta } : undefined;
    update = {
      ...(flags.tags !== undefined ? { tags: flags.tags === '' ? null : list(flags.tags) } : {}),
      ...(flags.removeAiTags !== undefined ? { removeAITags: flags.removeAiTags === 'all' ? 'all' : list(flags.removeAiTags) } : {}),
      ...(flags.customCoordinates !== undefined ? { customCoordinates: flags.customCoordinates === '' ? null : flags.customCoordinates } : {}),
      ...(customMetadata ? { customMetadata } : {}),
      ...(extensions ? { extensions } : {}),
      ...(flags.webhookUrl !== undefined ? { webhookUrl: flags.webhookUrl } : {}),
      ...(flags.description !== undefined ? { description: flags.description } : {}),
    };
  }
  return fileRecord(await client.updateFileDetails(fileId, update));
}
