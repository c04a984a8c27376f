/**
 * The emulator's media store: files with their versions, folders, custom metadata fields, bulk
 * jobs, purge requests and used upload tokens, as collections kept in memory and made durable by
 * the journal (journal.ts) before any answer is written; file bytes are blobs in `<dataDir>/blobs/`,
 * each flushed to disk before a record refers to it, and removed only once no durable record does.
 * One store at a time uses a data folder (a lock holds it). It knows nothing of HTTP: lookups answer
 * undefined, and the routes say what that means.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, copyFileSync, fsyncSync, mkdirSync, openSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurablySync } from '../../src/durable-write.js';
import { filePathIn, normaliseFolder } from '../../src/paths.js';
import { Journal } from './journal.js';
import { claimPidFile, type PidLock } from './pid-lock.js';
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
  private readonly journal = new Journal();
  // Each collection is saved under its name: a new one is persisted by adding its line here.
  readonly files = this.journal.collection<FileRecord>('files', (file) => file.fileId);
  readonly folders = this.journal.collection<FolderRecord>('folders', (folder) => folder.path);
  readonly fields = this.journal.collection<CustomField>('fields', (field) => field.id);
  readonly jobs = this.journal.collection<JobRecord>('jobs', (job) => job.jobId);
  readonly purges = this.journal.collection<PurgeRecord>('purges', (purge) => purge.requestId);
  readonly usedTokens = this.journal.collection<string>('usedTokens', (token) => token);
  /** The account's settings and usage counters (account.ts), one record. */
  private readonly accountRecord = this.journal.collection<AccountState>('account', () => 'account');
  private readonly lock: PidLock;

  /**
   * Opens the data folder: locks it (LockHeldError while another emulator uses it), loads the
   * saved state (UnreadableStateError when it cannot be read), and removes the blobs no record refers
   * to: uploads that were cut short, and deletions whose blobs were not yet removed.
   */
  constructor(readonly dataDir: string) {
    mkdirSync(join(dataDir, 'blobs'), { recursive: true });
    this.lock = claimPidFile(join(dataDir, 'emulator.lock'), (pid) => `the data folder ${dataDir} is in use by another emulator (pid ${pid}): stop it, or use another folder`);
    try {
      this.journal.open(dataDir);
      // An account saved by an older emulator lacks what was added since: the defaults fill it in.
      this.accountRecord.add({ ...emptyAccount(), ...this.accountRecord.get('account') });
      this.removeUnreferencedBlobs();
    } catch (error) {
      this.lock.release();
      throw error;
    }
  }

  /** Resolves once every change made so far is on disk: answers wait for it. */
  durable(): Promise<void> {
    return this.journal.durable();
  }

  /** Makes what is left durable and unlocks the folder; nothing is saved after (a newer emulator may own the folder then). */
  async close(): Promise<void> {
    try {
      // The usage counters are saved with the account's next change, or here (see countDelivery).
      this.accountRecord.changed(this.account);
      await this.journal.close();
    } finally {
      this.lock.release();
    }
  }

  blobPath(blob: string): string {
    return join(this.dataDir, 'blobs', blob);
  }

  /** Writes a blob's bytes, flushed to disk before it returns. */
  writeBlob(blob: string, bytes: Buffer): void {
    writeFileDurablySync(this.blobPath(blob), bytes);
  }

  /** Removes the bytes of a blob no record refers to (an upload that was refused); one already gone is no error. */
  discardBlob(blob: string): void {
    rmSync(this.blobPath(blob), { force: true });
  }

  /** Removes a blob once the change that dropped the last record referring to it is durable. */
  private releaseBlob(blob: string): void {
    this.journal.afterDurable(() => this.discardBlob(blob));
  }

  /**
   * Notes that a record now refers to a blob written by a request: the blob folder is flushed before
   * that record is written, so that a record found after a crash finds its blob too.
   */
  private referToNewBlob(): void {
    this.journal.beforeWrite(this.flushBlobFolder);
  }

  /** Best effort, as in writeFileDurablySync: a folder that cannot be opened (Windows) is not flushed. */
  private readonly flushBlobFolder = async (): Promise<void> => {
    const folder = await open(join(this.dataDir, 'blobs'), 'r').catch(() => undefined);
    try {
      await folder?.sync();
    } finally {
      await folder?.close();
    }
  };

  /** A copy of a blob's bytes as a new blob, flushed to disk; its folder is flushed with the record that refers to it. */
  copyBlob(blob: string): string {
    const copy = newId();
    copyFileSync(this.blobPath(blob), this.blobPath(copy), constants.COPYFILE_EXCL);
    const fd = openSync(this.blobPath(copy), 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.referToNewBlob();
    return copy;
  }

  private removeUnreferencedBlobs(): void {
    const referenced = new Set<string>();
    for (const file of this.files.values()) for (const state of [...file.versions, file.current]) referenced.add(state.blob);
    for (const blob of readdirSync(join(this.dataDir, 'blobs'))) if (!referenced.has(blob)) this.discardBlob(blob);
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
    this.referToNewBlob();
    return this.files.add({ fileId, current: state, versions: [] });
  }

  /** Makes `state` a file's current version; the current one becomes its latest earlier version. */
  addVersion(file: FileRecord, state: FileState): void {
    const previous = file.current;
    state.versionName = `Version ${file.versions.length + 2}`;
    state.createdAt = previous.createdAt;
    file.versions.push(previous);
    file.current = state;
    this.referToNewBlob();
    this.files.changed(file);
  }

  /** Makes an earlier version (at `index` in `versions`) current again; the current one joins the earlier ones. */
  restoreVersion(file: FileRecord, index: number, now: Date): void {
    const [restored] = file.versions.splice(index, 1);
    file.versions.push(file.current);
    file.current = { ...restored!, updatedAt: now.toISOString() };
    this.files.changed(file);
  }

  /** Deletes an earlier version (at `index` in `versions`) and its bytes. */
  deleteVersion(file: FileRecord, index: number): void {
    const [removed] = file.versions.splice(index, 1);
    this.releaseBlob(removed!.blob);
    this.files.changed(file);
  }

  /** Renames a file in its folder, every version with it. */
  renameFile(file: FileRecord, newName: string, now: Date): void {
    file.current = { ...file.current, name: newName, updatedAt: now.toISOString() };
    file.versions = file.versions.map((v) => ({ ...v, name: newName }));
    this.files.changed(file);
  }

  /** Deletes a file with all its versions and their bytes. */
  deleteFile(file: FileRecord): void {
    this.files.delete(file.fileId);
    for (const state of [...file.versions, file.current]) this.releaseBlob(state.blob);
  }

  /** Deletes a folder with everything inside it. */
  deleteFolder(path: string): void {
    for (const file of this.filesUnder(path, true)) this.deleteFile(file);
    for (const folder of this.foldersUnder(path, true)) this.folders.delete(folder.path);
    this.folders.delete(path);
  }

  /** Records a bulk job, Pending until `completeAt`. */
  addJob(type: JobRecord['type'], params: Record<string, unknown>, completeAt: number): JobRecord {
    return this.jobs.add({ jobId: newId(), type, completeAt, applied: false, params });
  }

  /** Records a purge request, Pending until `completeAt`; returns its id. */
  addPurge(url: string, completeAt: number): string {
    const requestId = newId();
    this.purges.add({ requestId, url, completeAt });
    return requestId;
  }

  activeFields(): CustomField[] {
    return [...this.fields.values()].filter((f) => !f.deleted);
  }

  /** The account's settings (saved extensions, named transformations, origins, URL endpoints) and usage. */
  get account(): AccountState {
    return this.accountRecord.get('account')!;
  }

  /** Notes that the account's settings were changed in place, so that they are journaled. */
  accountChanged(): void {
    this.accountRecord.changed(this.account);
  }

  /** The transformation string that `n-<name>` stands for; undefined when no enabled named transformation has that name. */
  namedTransformation(name: string): string | undefined {
    return this.account.namedTransformations.find((t) => t.name === name && t.enabled)?.transformation;
  }

  /** Counts a delivery for the usage reports (called by the delivery route). */
  countDelivery(path: string, mime: string, bytes: number, timeMs: number): void {
    // Not journaled on its own: a delivery's answer does not wait for a flush of statistics. The
    // counters are saved with the account's next change and at close; a crash loses the latest.
    countDelivery(this.account, path, mime, bytes, timeMs);
  }
}
