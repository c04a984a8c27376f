/**
 * Turning upload sources (files, directories, globs, stdin, URLs) into the list of files to send and
 * where each lands, refusing bad input before anything is sent. Shared by `upload` and `sync`.
 */
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { FileDetails, ImageKitClient, UploadSource } from '../../src/client.js';
import { globBase, globToRegExp, isGlob, matchesPattern, regularFileProblem, walkDirectory, type FoundFile, type SkippedEntry } from '../../src/files.js';
import { filePathIn, normaliseFolder, sanitiseName } from '../../src/paths.js';
import { isAbsoluteUrl } from '../../src/url.js';
import type { Context } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { collect } from '../cli/flags.js';
import { checkFolderPath } from './folders.js';

/** The options that decide what is uploaded where. */
export interface PlanOptions {
  folder?: string;
  name?: string;
  uniqueName?: boolean;
  include?: string[];
  exclude?: string[];
  hidden?: boolean;
  followSymlinks?: boolean;
}

/** One file to upload, as planned before anything is sent. */
export interface PlannedUpload {
  /** What the user knows it by: its path relative to the working directory, `-`, or the URL. */
  source: string;
  upload: UploadSource;
  fileName: string;
  folder: string;
  /** Bytes, when known before sending (not for URLs). */
  size?: number;
}


/** The options that choose which local files take part: the same for `upload` and `sync`. */
export function addSelectionOptions(command: Command): Command {
  return command
    .option('--include <glob>', 'only files matching (repeatable)', collect)
    .option('--exclude <glob>', 'leave out files matching (repeatable)', collect)
    .option('--hidden', 'include hidden files and folders')
    .option('--follow-symlinks', 'follow symbolic links inside directories');
}

const joinFolder = (...parts: string[]) => normaliseFolder(parts.join('/'));
const toPosix = (path: string) => path.split(sep).join('/');

/** Saves stdin to a temporary file, so that a retried upload can send it again; `onCreated` can remove it. */
async function spoolStdin(context: Context, onCreated: (dir: string) => void): Promise<{ path: string; size: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'imagekit-stdin-'));
  onCreated(dir);
  const path = join(dir, 'stdin');
  await pipeline(context.io.stdin, createWriteStream(path));
  return { path, size: statSync(path).size };
}


/** A file found in a directory or by a glob that cannot be uploaded (not a regular file, a name that is not UTF-8): it fails alone. */
export interface RejectedUpload {
  source: string;
  filePath: string;
  reason: string;
}

export interface UploadPlan {
  planned: PlannedUpload[];
  rejected: RejectedUpload[];
  /** Removes what planning made (the spooled stdin). */
  cleanup: () => void;
}

export async function plan(sources: string[], flags: PlanOptions, context: Context): Promise<UploadPlan> {
  const { io } = context;
  const planned: PlannedUpload[] = [];
  const rejected: RejectedUpload[] = [];
  const cleanups: Array<() => void> = [];
  const baseFolder = normaliseFolder(flags.folder ?? '/');
  const filtered = (relativePath: string) =>
    (!flags.include?.length || flags.include.some((p) => matchesPattern(relativePath, p))) && !(flags.exclude ?? []).some((p) => matchesPattern(relativePath, p));
  const walkOptions = { hidden: flags.hidden === true, followSymlinks: flags.followSymlinks === true };
  const shownPath = (path: string) => toPosix(relative(io.cwd, path)) || '.';
  const folderOf = (relativePath: string) => joinFolder(baseFolder, relativePath.includes('/') ? relativePath.slice(0, relativePath.lastIndexOf('/')) : '');
  /**
   * What a walk passes over: an unreadable folder is a warning; a file that is there but cannot be
   * sent (a FIFO, a name that is not UTF-8) fails alone, if the filters (and `matches`) would take it.
   */
  const skipped = (matches: (relativePath: string) => boolean) => (_path: string, reason: string, entry: SkippedEntry) => {
    if (entry.isFolder) context.warn(`skipped ${shownPath(entry.path)}: ${reason}`);
    else if (matches(entry.relativePath) && filtered(entry.relativePath)) {
      const fileName = entry.relativePath.slice(entry.relativePath.lastIndexOf('/') + 1);
      rejected.push({ source: shownPath(entry.path), filePath: filePathIn(folderOf(entry.relativePath), sanitiseName(fileName)), reason });
    }
  };
  /** A file found in a directory or by a glob keeps its place below the folder it was found in. */
  const planFound = (file: FoundFile, fileName: string) => {
    const problem = regularFileProblem(file.path, shownPath(file.path));
    if (problem) rejected.push({ source: shownPath(file.path), filePath: filePathIn(folderOf(file.relativePath), sanitiseName(fileName)), reason: problem });
    else planned.push({ source: shownPath(file.path), upload: { path: file.path }, fileName, folder: folderOf(file.relativePath), size: file.size });
  };

  if (flags.folder !== undefined) checkFolderPath(flags.folder, '--folder');
  if (flags.name !== undefined && sources.length !== 1) throw new UsageError('--name names one file: give one source with it');
  for (const source of sources) {
    if (source === '-') {
      if (!flags.name) throw new UsageError('uploading stdin (-) needs --name');
      const spooled = await spoolStdin(context, (dir) => cleanups.push(() => rmSync(dir, { recursive: true, force: true })));
      if (spooled.size === 0) context.warn('stdin was empty: uploading an empty file');
      planned.push({ source: '-', upload: { path: spooled.path }, fileName: flags.name, folder: baseFolder, size: spooled.size });
      continue;
    }
    if (isAbsoluteUrl(source)) {
      let name: string;
      try {
        name = flags.name ?? decodeURIComponent(basename(new URL(source).pathname));
      } catch {
        throw new UsageError(`"${source}" is not a valid URL`);
      }
      if (!name) throw new UsageError(`cannot tell a file name from ${source}: pass --name`);
      planned.push({ source, upload: { url: source }, fileName: name, folder: baseFolder });
      continue;
    }
    const path = resolve(io.cwd, source);
    if (existsSync(path)) {
      const stat = statSync(path);
      if (stat.isDirectory()) {
        if (flags.folder === undefined) {
          throw new UsageError(`uploading the directory ${source} needs --folder: its files go under that folder (use --folder / for the root)`);
        }
        if (flags.name !== undefined) throw new UsageError('--name names one file, not a directory');
        for (const file of walkDirectory(path, walkOptions, skipped(() => true))) if (filtered(file.relativePath)) planFound(file, basename(file.path));
      } else {
        // A file named on the command line that cannot be read is bad input: nothing is sent.
        const problem = regularFileProblem(path, source);
        if (problem) throw new UsageError(problem);
        if (!filtered(basename(path))) {
          context.warn(`${source} left out by --include/--exclude`);
          continue;
        }
        planned.push({ source: shownPath(path), upload: { path }, fileName: flags.name ?? basename(path), folder: baseFolder, size: stat.size });
      }
      continue;
    }
    if (isGlob(source)) {
      const base = resolve(io.cwd, globBase(source));
      const relativeGlob = toPosix(relative(base, resolve(io.cwd, source)));
      const pattern = globToRegExp(relativeGlob);
      // Without `**` a glob cannot match deeper than its own segments: walk no further than that.
      const maxDepth = relativeGlob.includes('**') ? undefined : relativeGlob.split('/').length;
      const matched = existsSync(base)
        ? walkDirectory(base, { ...walkOptions, maxDepth }, skipped((relativePath) => pattern.test(relativePath))).filter((f) => pattern.test(f.relativePath) && filtered(f.relativePath))
        : [];
      if (matched.length === 0 && rejected.length === 0) throw new UsageError(`no files match ${source}`);
      if (flags.name !== undefined && matched.length > 1) throw new UsageError(`--name names one file, and ${source} matches ${matched.length}`);
      for (const file of matched) planFound(file, flags.name ?? basename(file.path));
      continue;
    }
    throw new UsageError(`no such file or directory: ${source}`);
  }

  const targets = new Map<string, string>();
  for (const item of planned) {
    const target = targetPath(item);
    const other = targets.get(target);
    if (other !== undefined && !flags.uniqueName) throw new UsageError(`${other} and ${item.source} would both be uploaded to ${target}`);
    targets.set(target, item.source);
  }
  const renamed = planned.filter((item) => sanitiseName(item.fileName) !== item.fileName);
  if (renamed.length > 0) {
    const shown = renamed.slice(0, 3).map((item) => `"${item.fileName}" as "${sanitiseName(item.fileName)}"`);
    context.warn(`ImageKit will store ${renamed.length} name(s) with characters other than letters, digits, . _ and - changed to _: ${shown.join(', ')}${renamed.length > 3 ? ', ...' : ''}`);
  }
  return { planned, rejected, cleanup: () => cleanups.forEach((c) => c()) };
}


/** What exists remotely in each folder the plan touches: one list call per folder. */
export async function existingFiles(planned: PlannedUpload[], client: ImageKitClient): Promise<Map<string, FileDetails>> {
  const existing = new Map<string, FileDetails>();
  for (const folder of new Set(planned.map((p) => p.folder))) {
    for await (const page of client.listPages({ path: folder, type: 'file' })) {
      for (const item of page) if (item.type === 'file') existing.set(item.filePath, item);
    }
  }
  return existing;
}

/** Where a planned upload lands, as ImageKit will name it. */
export const targetPath = (item: PlannedUpload) => filePathIn(item.folder, sanitiseName(item.fileName));
