/**
 * The emulator's media store: files with their versions, folders, custom metadata fields, bulk
 * jobs and purge requests. Kept in memory, saved to `<dataDir>/index.json` (written to a temporary
 * file, then renamed, so a crash never leaves it half-written), with file bytes in `<dataDir>/blobs/`.
 * It knows nothing of HTTP: lookups answer undefined, and the routes say what that means.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { filePathIn, normaliseFolder } from '../../src/paths.js';
import { countDelivery, emptyAccount, type AccountState } from './account.js';

export interface AITag {
  name: string;
  confidence: number;
  source: string;
}

/** One version of a file: its bytes and everything the API says about it. */
export interface FileState {
  versionId: string;
  versionName: string;
  name: string;
  /** The folder, as `/` or `/a/b`. */
  folder: string;
  blob: string;
  size: number;
  mime: string;
  fileType: 'image' | 'non-image';
  width: number | null;
  height: number | null;
  hasAlpha: boolean;
  format: string;
  tags: string[] | null;
  AITags: AITag[] | null;
  customCoordinates: string | null;
  customMetadata: Record<string, unknown>;
  isPrivateFile: boolean;
  isPublished: boolean;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface FileRecord {
  fileId: string;
  current: FileState;
  /** Earlier versions, oldest first. */
  versions: FileState[];
}

export interface FolderRecord {
  folderId: string;
  path: string;
  createdAt: string;
  updatedAt: string;
}

export type FieldType = 'Text' | 'Textarea' | 'Number' | 'Date' | 'Boolean' | 'SingleSelect' | 'MultiSelect';

export interface CustomField {
  id: string;
  name: string;
  label: string;
  schema: {
    type: FieldType;
    selectOptions?: Array<string | number | boolean>;
    defaultValue?: unknown;
    isValueRequired?: boolean;
    minValue?: number | string;
    maxValue?: number | string;
    minLength?: number;
    maxLength?: number;
  };
  /** Shown as a hint in the media library; absent when none was set. */
  description?: string;
  deleted?: boolean;
}

export interface JobRecord {
  jobId: string;
  type: 'COPY_FOLDER' | 'MOVE_FOLDER' | 'RENAME_FOLDER';
  /** When the job is done: it is applied then (Pending until this time). */
  completeAt: number;
  applied: boolean;
  /** Why the job could not be completed, when it could not. */
  error?: string;
  params: Record<string, unknown>;
  purgeRequestId?: string;
}

export interface PurgeRecord {
  requestId: string;
  url: string;
  completeAt: number;
}

interface Saved {
  files: FileRecord[];
  folders: FolderRecord[];
  fields: CustomField[];
  jobs: JobRecord[];
  purges: PurgeRecord[];
  usedTokens: string[];
  account?: AccountState;
}

const SAVE_INTERVAL_MS = 1000;

/** An id in the style of ImageKit's: 24 hex digits. */
export const newId = () => randomBytes(12).toString('hex');

export const filePathOf = (state: FileState) => filePathIn(state.folder, state.name);

/** A first version with ImageKit's defaults, created and updated now; `base` says the rest. */
export function newFileState(base: Partial<FileState> & Pick<FileState, 'name' | 'folder' | 'blob' | 'size' | 'mime' | 'fileType' | 'format'>, now: Date): FileState {
  const stamp = now.toISOString();
  return {
    versionId: newId(),
    versionName: 'Version 1',
    width: null,
    height: null,
    hasAlpha: false,
    tags: null,
    AITags: null,
    customCoordinates: null,
    customMetadata: {},
    isPrivateFile: false,
    isPublished: true,
    description: null,
    createdAt: stamp,
    updatedAt: stamp,
    ...base,
  };
}

export class MediaStore {
  files = new Map<string, FileRecord>();
  folders = new Map<string, FolderRecord>();
  fields: CustomField[] = [];
  jobs = new Map<string, JobRecord>();
  purges = new Map<string, PurgeRecord>();
  usedTokens = new Set<string>();
  /** Saved extensions, named transformations, origins, URL endpoints and usage counters (account.ts). */
  account: AccountState = emptyAccount();
  private saveTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(readonly dataDir: string) {
    mkdirSync(join(dataDir, 'blobs'), { recursive: true });
    const index = join(dataDir, 'index.json');
    if (existsSync(index)) {
      const saved = JSON.parse(readFileSync(index, 'utf8')) as Saved;
      for (const file of saved.files) this.files.set(file.fileId, file);
      for (const folder of saved.folders) this.folders.set(folder.path, folder);
      this.fields = saved.fields;
      for (const job of saved.jobs) this.jobs.set(job.jobId, job);
      for (const purge of saved.purges) this.purges.set(purge.requestId, purge);
      this.usedTokens = new Set(saved.usedTokens);
      this.account = { ...emptyAccount(), ...saved.account };
    }
  }

  /** Saves what is left, and saves nothing more: a later save could overwrite a newer emulator's index. */
  close(): void {
    if (this.closed) return;
    this.save();
    this.closed = true;
  }

  blobPath(blob: string): string {
    return join(this.dataDir, 'blobs', blob);
  }

  writeBlob(blob: string, bytes: Buffer): void {
    writeFileSync(this.blobPath(blob), bytes);
  }

  /** Removes a blob's bytes; one already gone is no error. */
  discardBlob(blob: string): void {
    rmSync(this.blobPath(blob), { force: true });
  }

  /**
   * Saves soon after a change: at most every SAVE_INTERVAL_MS, since each save writes the whole index,
   * and saving after every upload of a large batch would cost more than the uploads. close() saves
   * whatever is left.
   */
  changed(): void {
    if (this.saveTimer || this.closed) return;
    this.saveTimer = setTimeout(() => this.save(), SAVE_INTERVAL_MS);
    this.saveTimer.unref();
  }

  save(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (this.closed) return;
    const saved: Saved = {
      files: [...this.files.values()],
      folders: [...this.folders.values()],
      fields: this.fields,
      jobs: [...this.jobs.values()],
      purges: [...this.purges.values()],
      usedTokens: [...this.usedTokens],
      account: this.account,
    };
    const index = join(this.dataDir, 'index.json');
    const temporary = `${index}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(saved));
    renameSync(temporary, index);
  }

  /** Creates a folder and its missing parents. */
  ensureFolder(path: string, now: Date): void {
    const normalised = normaliseFolder(path);
    if (normalised === '/') return;
    const parts = normalised.slice(1).split('/');
    for (let i = 1; i <= parts.length; i++) {
      const folder = '/' + parts.slice(0, i).join('/');
      if (!this.folders.has(folder)) {
        this.folders.set(folder, { folderId: newId(), path: folder, createdAt: now.toISOString(), updatedAt: now.toISOString() });
      }
    }
    this.changed();
  }

  findByPath(filePath: string): FileRecord | undefined {
    for (const file of this.files.values()) if (filePathOf(file.current) === filePath) return file;
    return undefined;
  }

  /** Files (current versions) directly or deeply inside a folder. */
  filesUnder(folder: string, deep: boolean): FileRecord[] {
    const normalised = normaliseFolder(folder);
    return [...this.files.values()].filter((f) =>
      deep ? f.current.folder === normalised || f.current.folder.startsWith(normalised === '/' ? '/' : normalised + '/') : f.current.folder === normalised,
    );
  }

  foldersUnder(folder: string, deep: boolean): FolderRecord[] {
    const normalised = normaliseFolder(folder);
    const prefix = normalised === '/' ? '/' : normalised + '/';
    return [...this.folders.values()].filter((f) => f.path.startsWith(prefix) && (deep || !f.path.slice(prefix.length).includes('/')));
  }

  /** Stores a new file whose one version is `state`; the file's id is also that version's, as ImageKit's are. */
  addFile(state: FileState): FileRecord {
    const fileId = newId();
    state.versionId = fileId;
    const file: FileRecord = { fileId, current: state, versions: [] };
    this.files.set(fileId, file);
    this.changed();
    return file;
  }

  /** Makes `state` a file's current version; the current one becomes its latest earlier version. */
  addVersion(file: FileRecord, state: FileState): void {
    const previous = file.current;
    state.versionName = `Version ${file.versions.length + 2}`;
    state.createdAt = previous.createdAt;
    file.versions.push(previous);
    file.current = state;
    this.changed();
  }

  /** Makes an earlier version (at `index` in `versions`) current again; the current one joins the earlier ones. */
  restoreVersion(file: FileRecord, index: number, now: Date): void {
    const [restored] = file.versions.splice(index, 1);
    file.versions.push(file.current);
    file.current = { ...restored!, updatedAt: now.toISOString() };
    this.changed();
  }

  /** Deletes an earlier version (at `index` in `versions`) and its bytes. */
  deleteVersion(file: FileRecord, index: number): void {
    const [removed] = file.versions.splice(index, 1);
    this.discardBlob(removed!.blob);
    this.changed();
  }

  /** Renames a file in its folder, every version with it. */
  renameFile(file: FileRecord, newName: string, now: Date): void {
    file.current = { ...file.current, name: newName, updatedAt: now.toISOString() };
    file.versions = file.versions.map((v) => ({ ...v, name: newName }));
    this.changed();
  }

  /** Deletes a file with all its versions and their bytes. */
  deleteFile(file: FileRecord): void {
    for (const state of [...file.versions, file.current]) this.discardBlob(state.blob);
    this.files.delete(file.fileId);
    this.changed();
  }

  /** Deletes a folder with everything inside it. */
  deleteFolder(path: string): void {
    for (const file of this.filesUnder(path, true)) this.deleteFile(file);
    for (const folder of this.foldersUnder(path, true)) this.folders.delete(folder.path);
    this.folders.delete(path);
    this.changed();
  }

  /** Records a bulk job, Pending until `completeAt`. */
  addJob(type: JobRecord['type'], params: Record<string, unknown>, completeAt: number): JobRecord {
    const job: JobRecord = { jobId: newId(), type, completeAt, applied: false, params };
    this.jobs.set(job.jobId, job);
    this.changed();
    return job;
  }

  /** Records a purge request, Pending until `completeAt`; returns its id. */
  addPurge(url: string, completeAt: number): string {
    const requestId = newId();
    this.purges.set(requestId, { requestId, url, completeAt });
    this.changed();
    return requestId;
  }

  activeFields(): CustomField[] {
    return this.fields.filter((f) => !f.deleted);
  }

  /** The transformation string that `n-<name>` stands for; undefined when no enabled named transformation has that name. */
  namedTransformation(name: string): string | undefined {
    return this.account.namedTransformations.find((t) => t.name === name && t.enabled)?.transformation;
  }

  /** Counts a delivery for the usage reports (called by the delivery route). */
  countDelivery(path: string, mime: string, bytes: number, timeMs: number): void {
    countDelivery(this.account, path, mime, bytes, timeMs);
    this.changed();
  }
}
