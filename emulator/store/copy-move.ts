/**
 * Copying, moving and renaming files and folders in the store, and the bulk jobs that do the folder
 * work once their time has come. A copy that would break a limit changes nothing.
 */
import { normaliseFolder } from '../../src/paths.js';
import { filePathOf, newId, type FileRecord, type MediaStore } from './media-store.js';

/**
 * A copy that would give a file more than 100 versions. Its message is what ImageKit answers, and
 * what a folder job that meets it reports.
 */
export class VersionLimitExceeded extends Error {
  constructor() {
    super('Your request is missing parameters / contains invalid parameters.');
  }
}

/** Copies (or moves) a file to a folder; a file of the same name there gets it as a new version. */
export function placeFile(store: MediaStore, file: FileRecord, destination: string, options: { move: boolean; includeVersions: boolean }, now: Date): void {
  const folder = normaliseFolder(destination);
  store.ensureFolder(folder, now);
  const existing = store.findByPath(filePathOf({ ...file.current, folder }));
  if (existing === file) return;
  const states = options.includeVersions || options.move ? [...file.versions, file.current] : [file.current];
  // Checked before anything changes, so a refused copy leaves both files as they were.
  if (existing && existing.versions.length + 1 + states.length > 100) {
    throw new VersionLimitExceeded();
  }
  const copies = states.map((state) => ({ ...state, folder, blob: store.copyBlob(state.blob), versionId: newId(), updatedAt: now.toISOString() }));
  if (existing) {
    const all = [...existing.versions, existing.current, ...copies];
    all.forEach((state, i) => (state.versionName = `Version ${i + 1}`));
    existing.current = all.pop()!;
    existing.versions = all;
    store.files.changed(existing);
  } else if (options.move) {
    file.current = { ...file.current, folder, updatedAt: now.toISOString() };
    file.versions = file.versions.map((v) => ({ ...v, folder }));
    store.files.changed(file);
    return;
  } else {
    const fileId = newId();
    copies.forEach((state, i) => (state.versionName = `Version ${i + 1}`));
    const current = copies.pop()!;
    current.versionId = fileId;
    store.files.set(fileId, { fileId, current: { ...current, createdAt: now.toISOString() }, versions: copies });
  }
  if (options.move) store.files.delete(file.fileId);
}

/** Copies or moves a folder with everything inside it (a copy or move job's work). */
export function copyOrMoveFolder(store: MediaStore, source: string, destination: string, options: { move: boolean; includeVersions: boolean }, now: Date): void {
  const from = normaliseFolder(source);
  const base = from.split('/').pop()!;
  const target = normaliseFolder(`${normaliseFolder(destination)}/${base}`);
  // Listed before the target exists, so that nothing created here is copied again.
  const folders = store.foldersUnder(from, true);
  const files = store.filesUnder(from, true);
  store.ensureFolder(target, now);
  const relocate = (folder: string) => normaliseFolder(target + folder.slice(from.length));
  for (const folder of folders) store.ensureFolder(relocate(folder.path), now);
  for (const file of files) placeFile(store, file, relocate(file.current.folder), options, now);
  if (options.move) {
    for (const folder of folders) store.folders.delete(folder.path);
    store.folders.delete(from);
  }
}

/** Renames a folder in place (a rename job's work). */
export function renameFolder(store: MediaStore, folderPath: string, newName: string, now: Date): void {
  const from = normaliseFolder(folderPath);
  const to = normaliseFolder(from.slice(0, from.lastIndexOf('/')) + '/' + newName);
  const relocate = (path: string) => to + path.slice(from.length);
  for (const folder of [...store.foldersUnder(from, true), store.folders.get(from)!].filter(Boolean)) {
    store.folders.delete(folder.path);
    store.folders.set(relocate(folder.path), { ...folder, path: relocate(folder.path), updatedAt: now.toISOString() });
  }
  for (const file of store.filesUnder(from, true)) {
    file.current = { ...file.current, folder: relocate(file.current.folder) };
    file.versions = file.versions.map((v) => ({ ...v, folder: relocate(v.folder) }));
    store.files.changed(file);
  }
}

/** Applies the bulk jobs whose time has come. A job that cannot be applied ends as failed, alone. */
export function applyDueJobs(store: MediaStore, now: () => number): void {
  for (const job of store.jobs.values()) {
    if (job.applied || now() < job.completeAt) continue;
    const p = job.params as { folderPath: string; newFolderName: string; sourceFolderPath: string; destinationPath: string; includeVersions?: boolean };
    try {
      if (job.type === 'RENAME_FOLDER') renameFolder(store, p.folderPath, p.newFolderName, new Date(now()));
      else copyOrMoveFolder(store, p.sourceFolderPath, p.destinationPath, { move: job.type === 'MOVE_FOLDER', includeVersions: p.includeVersions === true }, new Date(now()));
    } catch (error) {
      job.error = (error as Error).message;
    }
    job.applied = true;
    store.jobs.changed(job);
  }
}
