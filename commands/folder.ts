/** `imagekit folder`: create, delete, copy, move and rename folders; the background jobs are waited for. */
import type { Command } from 'commander';
import type { ImageKitClient } from '../src/client.js';
import { normaliseFolder, sanitiseFolderName } from '../src/paths.js';
import { examples, type Registrar } from './cli/command.js';
import { ObjectNotFoundError, UsageError } from './cli/errors.js';
import { parseDuration } from './cli/flags.js';
import type { Result } from './cli/output.js';
import { checkFolderPath } from './shared/folders.js';
import { jobResult } from './shared/job-result.js';

interface JobFlags {
  wait: boolean;
  waitTimeout?: number;
  json?: boolean;
}

const EXAMPLES = `
Examples:
  $ imagekit folder create /products/shoes/2026
  $ imagekit folder cp /releases/v41 /archive --include-versions
  $ imagekit folder mv /staging/assets /live --yes           # waits until the job is Completed
  $ imagekit folder mv /big /archive --yes --no-wait          # prints the job id at once
  $ imagekit folder rename /live/assets assets-v42 --purge
  $ imagekit folder rm /tmp-uploads --dry-run

Copy, move and rename are jobs that ImageKit runs in the background: the command waits for the job
by default (--wait-timeout 10m), and a wait that runs out exits 1 with the job id, to be resumed with
"imagekit job status <jobId> --wait".`;

const splitPath = (path: string) => {
  checkFolderPath(path, 'the folder');
  const folder = normaliseFolder(path);
  if (folder === '/') throw new UsageError('the root folder cannot be named here');
  const at = folder.lastIndexOf('/');
  return { parent: folder.slice(0, at) || '/', name: folder.slice(at + 1), folder };
};

/** Whether `parent` holds a folder called `name` (one list call). */
async function folderExists(client: ImageKitClient, parent: string, name: string): Promise<boolean> {
  return (await client.listFiles({ path: parent, searchQuery: `type = "folder" AND name = "${name.replace(/"/g, '\\"')}"` })).length > 0;
}

function jobOptions(command: Command): Command {
  return command
    .option('--no-wait', 'print the job id and return at once')
    .option('--wait-timeout <duration>', 'stop waiting after this long, exit 1 (e.g. 30s; default 10m)', parseDuration('--wait-timeout'))
    .option('--json', 'print JSON');
}

export function register(program: Command, registrar: Registrar): void {
  const folder = program.command('folder').summary('create, delete, copy, move and rename folders').addHelpText('after', EXAMPLES);

  folder
    .command('create')
    .description('Create a folder, and any missing parents.')
    .argument('<path>', 'the folder, e.g. /products/shoes')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ imagekit folder create /products/shoes/2026\n  $ imagekit folder create /products/shoes --json')
    .action(
      registrar.action<[string], object>(async ([path], _flags, context) => {
        const { parent, name } = splitPath(path);
        const client = await context.client();
        // ImageKit turns characters other than letters, digits, - and _ into _: say what it made.
        const stored = sanitiseFolderName(name);
        const made = `${parent === '/' ? '' : parent}/${stored}`;
        // Creating an existing folder succeeds without a change: say it was there already.
        const existed = await folderExists(client, parent, stored);
        if (!existed) await client.createFolder(name, parent);
        return { kind: 'record', record: { folderPath: made, created: !existed } };
      }),
    );

  folder
    .command('rm')
    .description('Delete a folder with everything in it (asks first; --yes when unattended).')
    .addHelpText('after', examples('folder rm /tmp-uploads --dry-run', 'folder rm /tmp-uploads --yes'))
    .argument('<path>', 'the folder')
    .option('-y, --yes', 'do not ask')
    .option('--dry-run', 'say what would be deleted, delete nothing')
    .option('--json', 'print JSON')
    .action(
      registrar.action<[string], { yes?: boolean; dryRun?: boolean }>(async ([path], flags, context): Promise<Result> => {
        const { folder: folderPath } = splitPath(path);
        const client = await context.client();
        const { parent, name } = splitPath(folderPath);
        if (!(await folderExists(client, parent, name))) throw new ObjectNotFoundError(`no folder at ${folderPath}`);
        if (flags.dryRun) {
          let items = 0;
          for await (const page of client.listPages({ path: folderPath, type: 'all' })) items += page.length;
          return { kind: 'record', record: { folderPath, deleted: false, dryRun: true, itemsDirectlyInside: items } };
        }
        await context.confirm(`Delete ${folderPath} and everything in it?`, flags.yes);
        await client.deleteFolder(folderPath);
        return { kind: 'record', record: { folderPath, deleted: true } };
      }),
    );

  jobOptions(
    folder
      .command('cp')
      .description('Copy a folder (with its contents) into another folder, as a background job.')
      .addHelpText('after', examples('folder cp /releases/v41 /archive --include-versions'))
      .argument('<source>', 'the folder to copy')
      .argument('<destination>', 'the folder to copy it into')
      .option('--include-versions', 'copy every version of each file, not only the current one'),
  ).action(
    registrar.action<[string, string], JobFlags & { includeVersions?: boolean }>(async ([source, destination], flags, context) => {
      const client = await context.client();
      const { jobId } = await client.copyFolder(splitPath(source).folder, normaliseFolder(destination), flags.includeVersions === true);
      return jobResult(jobId, flags, context);
    }),
  );

  jobOptions(
    folder
      .command('mv')
      .description('Move a folder (with its contents) into another folder, as a background job (asks first; --yes when unattended).')
      .addHelpText('after', examples('folder mv /staging/assets /live --yes', 'folder mv /big /archive --yes --no-wait'))
      .argument('<source>', 'the folder to move')
      .argument('<destination>', 'the folder to move it into')
      .option('-y, --yes', 'do not ask')
      .option('--dry-run', 'say what would be moved where, move nothing'),
  ).action(
    registrar.action<[string, string], JobFlags & { yes?: boolean; dryRun?: boolean }>(async ([source, destination], flags, context): Promise<Result> => {
      const from = splitPath(source).folder;
      const to = normaliseFolder(destination);
      if (flags.dryRun) return { kind: 'record', record: { source: from, destination: `${to === '/' ? '' : to}/${splitPath(from).name}`, moved: false, dryRun: true } };
      await context.confirm(`Move ${from} into ${to}?`, flags.yes);
      const { jobId } = await (await context.client()).moveFolder(from, to);
      return jobResult(jobId, flags, context);
    }),
  );

  jobOptions(
    folder
      .command('rename')
      .description('Rename a folder in place, as a background job.')
      .addHelpText('after', examples('folder rename /live/assets assets-v42 --purge --yes'))
      .argument('<path>', 'the folder')
      .argument('<newName>', 'its new name (a name, not a path)')
      .option('--purge', 'purge the CDN cache of the old URLs (a wildcard purge: asks first)')
      .option('-y, --yes', 'do not ask')
      .option('--dry-run', 'say what would be renamed, rename nothing'),
  ).action(
    registrar.action<[string, string], JobFlags & { purge?: boolean; yes?: boolean; dryRun?: boolean }>(async ([path, newName], flags, context): Promise<Result> => {
      if (newName.includes('/')) throw new UsageError('the new name is a name, not a path: use "folder mv" to move a folder');
      const { parent, folder: from } = splitPath(path);
      if (flags.dryRun) return { kind: 'record', record: { source: from, destination: `${parent === '/' ? '' : parent}/${newName}`, renamed: false, dryRun: true } };
      if (flags.purge) await context.confirm(`Rename ${from} and purge the cache of everything under it?`, flags.yes);
      const { jobId } = await (await context.client()).renameFolder(splitPath(path).folder, newName, flags.purge === true);
      return jobResult(jobId, flags, context);
    }),
  );
}
