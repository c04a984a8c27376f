/** `imagekit files download`: the original bytes of files, by id or path, to files, a folder or stdout. */
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { os } from '../../src/builtins.js';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../../src/limits.js';
import type { FileDetails } from '../../src/client.js';
import type { Registrar } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { batchExitCode, ExitCode, exitCodeFor, UsageError } from '../cli/errors.js';
import { parseInteger } from '../cli/flags.js';
import { humanBytes } from '../cli/format.js';
import type { Result } from '../cli/output.js';
import { deliveryUrls } from '../shared/delivery.js';
import { runPool, type PoolOutcome } from '../shared/transfer-pool.js';
import { resolveFileId } from './shared.js';

interface DownloadFlags {
  output?: string;
  concurrency: number;
  json?: boolean;
}

interface Item {
  /** The file as given on the command line. */
  source: string;
  size: number;
  file: FileDetails;
  target: string;
}

export function register(files: Command, registrar: Registrar): void {
  files
    .command('download')
    .description('Download the originals of files (a private file through a signed URL).')
    .argument('<file...>', 'file ids or paths')
    .option('-o, --output <file-or-dir>', 'a file (one file only), a directory, or - for stdout (default: the current directory)')
    .option('--concurrency <n>', 'downloads at once', parseInteger('--concurrency', { min: 1, max: MAX_CONCURRENCY }), DEFAULT_CONCURRENCY)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ imagekit files download /products/shoe.jpg                 # ./shoe.jpg
  $ imagekit files download /a.jpg /b.jpg 6553ab1f2c8a -o originals/
  $ imagekit files download /reports/q3.pdf -o - | pdftotext - -

Each file streams to a temporary file renamed into place: never a half-written file. Exit codes: 0 all
downloaded, 5 some failed (listed), 1 all failed, 4 none exist, 2 bad arguments.`,
    )
    .action(registrar.action<[string[]], DownloadFlags>(([names], flags, context) => runDownload(names, flags, context)));
}

/** Where the files go: stdout, one file, or a directory. */
function destination(output: string | undefined, count: number, cwd: string): { stdout: true } | { file: string } | { dir: string } {
  if (output === '-') {
    if (count !== 1) throw new UsageError('-o - writes one file to stdout: give one file');
    return { stdout: true };
  }
  const path = resolve(cwd, output ?? '.');
  if (output === undefined || output.endsWith('/') || (existsSync(path) && statSync(path).isDirectory())) return { dir: path };
  if (count !== 1) throw new UsageError(`-o ${output} names one file: give a directory (ending in /) for ${count} files`);
  if (!existsSync(dirname(path))) throw new UsageError(`-o: the folder ${dirname(path)} does not exist`);
  return { file: path };
}

async function runDownload(names: string[], flags: DownloadFlags, context: Context): Promise<Result> {
  const { io } = context;
  const where = destination(flags.output, names.length, io.cwd);
  if ('stdout' in where && flags.json) throw new UsageError('-o - writes the file itself to stdout: --json cannot go with it');
  const client = await context.client({ concurrency: flags.concurrency });
  const failures: PoolOutcome[] = [];
  const failureCodes: number[] = [];
  const spool = 'stdout' in where ? mkdtempSync(join(os().tmpdir(), 'imagekit-download-')) : undefined;
  try {
    const items: Item[] = [];
    for (const name of names) {
      try {
        const file = await client.getFileDetails(await resolveFileId(client, name));
        // A stored name is one path segment; anything else from the server must not write outside -o.
        if (file.name === '' || file.name === '.' || file.name === '..' || /[/\\]/.test(file.name)) throw new UsageError(`the stored name "${file.name}" cannot be a local file name`);
        const target = 'file' in where ? where.file : join('dir' in where ? where.dir : spool!, file.name);
        items.push({ source: name, size: file.size, file, target });
      } catch (error) {
        context.error(`${name}: ${(error as Error).message}`);
        failureCodes.push(exitCodeFor(error));
        failures.push({ source: name, status: 'failed', filePath: '', size: null, error: { status: null, message: (error as Error).message } });
      }
    }
    const targets = new Map<string, string>();
    for (const item of items) {
      const other = targets.get(item.target);
      if (other !== undefined) throw new UsageError(`${other} and ${item.source} would both be written to ${item.target}`);
      targets.set(item.target, item.source);
    }
    const shown = (path: string) => relative(io.cwd, path).split(sep).join('/');
    const urlOf = await deliveryUrls(context);
    const run = await runPool(items, {
      concurrency: flags.concurrency,
      context,
      verb: 'downloaded',
      async perform(item, onBytes): Promise<PoolOutcome> {
        await client.downloadFile(urlOf(item.file), item.target, onBytes);
        return { source: item.source, status: 'downloaded', filePath: spool ? '-' : shown(item.target), size: item.size };
      },
      failed: (item, error) => ({ source: item.source, status: 'failed', filePath: spool ? '-' : shown(item.target), size: item.size, error }),
    });
    // In the order the files were given.
    const outcomes = [...failures, ...run.outcomes].sort((a, b) => names.indexOf(a.source) - names.indexOf(b.source));
    const exitCode = () => (run.interrupted ? ExitCode.interrupted : batchExitCode(names.length, [...failureCodes, ...run.failureCodes]));
    if (spool) {
      for (const outcome of run.outcomes) {
        if (outcome.status === 'downloaded') for await (const chunk of createReadStream(join(spool, basename(items[0]!.target)))) io.stdout.write(chunk as Buffer);
      }
      return { kind: 'table', columns: [], rows: [], exitCode };
    }
    return {
      kind: 'table',
      columns: [
        { header: 'status', value: (o: PoolOutcome) => o.status },
        { header: 'file', value: (o: PoolOutcome) => o.source },
        { header: 'local path', value: (o: PoolOutcome) => o.filePath },
        { header: 'size', value: (o: PoolOutcome) => (o.size === null ? '' : humanBytes(o.size)) },
      ],
      rows: outcomes,
      exitCode,
    };
  } finally {
    if (spool) rmSync(spool, { recursive: true, force: true });
  }
}
