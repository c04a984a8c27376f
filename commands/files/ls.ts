/** `imagekit files ls`: list or search files and folders, page after page, as a table, JSON or a stream. */
import type { Command } from 'commander';
import type { Asset, ListParams } from '../../src/client.js';
import { LIST_SORTS, normaliseFolder } from '../../src/paths.js';
import type { Registrar } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { list, parseChoice, parseInteger } from '../cli/flags.js';
import { declareJsonFields } from '../cli/json-selection.js';
import { humanBytes } from '../cli/format.js';
import type { Column, Result } from '../cli/output.js';

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
  jsonFields?: string[];
  ndjson?: boolean;
}

async function listCommand(folder: string | undefined, flags: LsFlags, context: Context): Promise<Result> {
  if (flags.fields !== undefined && flags.jsonFields) throw new UsageError('give --fields or --json <fields>, not both');
  const fields = flags.jsonFields ?? (flags.fields === undefined ? undefined : list(flags.fields));
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

  // Stopping at the limit may leave more behind: say how to get the rest (on stderr, not in the data).
  const noteMore = (count: number) => {
    if (!flags.all && count === max) {
      const skip = (flags.skip ?? 0) + count;
      context.io.stderr.write(`note: stopped at ${count} items; there may be more: add --all, or --skip ${skip} for the next ones\n`);
    }
  };
  if (flags.ndjson) {
    // Streamed: each page is printed as it arrives, before the next one is asked for.
    async function* items() {
      let count = 0;
      for await (const page of client.listPages(params, max)) {
        for (const item of page) yield { text: '', json: pick(item) };
        count += page.length;
      }
      noteMore(count);
    }
    return { kind: 'lines', items: items() };
  }
  const rows: Asset[] = [];
  for await (const page of client.listPages(params, max)) rows.push(...page);
  noteMore(rows.length);
  const shown = fields ?? DEFAULT_LIST_COLUMNS;
  const columns: Column<Asset>[] = shown.map((f) => ({ header: f, value: (item: Asset) => cell(f, fieldValue(f, item)) }));
  if (rows.length === 0 && context.io.stderrIsTTY) context.io.stderr.write('no files found\n');
  return { kind: 'table', columns, rows, json: rows.map(pick) };
}

export function register(files: Command, registrar: Registrar): void {
  const ls = files
    .command('ls')
    .description('List files and folders, or search them (pages past the 1000-per-call limit as needed).')
    .argument('[folder]', 'only this folder (not its subfolders)')
    .option('--query <searchQuery>', 'a search query: name, size, createdAt, format, tags, ... with =, <, IN, AND, OR')
    .addOption(files.createOption('--type <type>', 'what to list').choices(['file', 'file-version', 'folder', 'all']))
    .addOption(files.createOption('--file-type <type>', 'images or other files').choices(['image', 'non-image', 'all']))
    .option('--tags <a,b>', 'files with any of these tags')
    // Its choices are shown in the help and completed by the shell; any case is accepted.
    .addOption(files.createOption('--sort <order>', 'sort order, in any case').choices(LIST_SORTS).argParser(parseChoice('--sort', LIST_SORTS)))
    .option('--limit <n>', 'at most this many (default 1000)', parseInteger('--limit', { min: 1 }))
    .option('--all', 'everything, however many')
    .option('--skip <n>', 'skip this many first', parseInteger('--skip', { min: 0 }))
    .option('--fields <a,b>', `columns or JSON keys: ${Object.keys(LIST_FIELDS).join(', ')}`)
    .option('--json', 'print a JSON array (--json name,size,url: just those keys)')
    .option('--ndjson', 'print one JSON object a line, as pages arrive')
    .addHelpText(
      'after',
      `
Examples:
  $ imagekit files ls /products --sort desc_created --limit 20
  $ imagekit files ls --query 'size > "1mb" AND format = "png"' --json name,size,url
  $ imagekit files ls /products --all --jq '.[] | select(.size > 100000) | .filePath'`,
    )
    .action(registrar.action<[string | undefined], LsFlags>(([folder], flags, context) => listCommand(folder, flags, context)));
  declareJsonFields(ls, [...Object.keys(LIST_FIELDS), ...API_KEYS]);
}
