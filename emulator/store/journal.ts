/**
 * What makes the store durable: a change is on disk before it is acknowledged. Every change to a
 * collection is appended to `journal.jsonl` as the changed record, whole (or its deletion), and
 * flushed (fdatasync) before any answer is written; concurrent requests share one flush (group
 * commit), so a burst of uploads costs a few flushes, not one each. Once the journal outgrows the
 * last snapshot it is compacted: the whole state is written to `index.json` (atomically) and the
 * journal starts again empty. At start-up the snapshot is loaded and the journal replayed over it;
 * a torn last line is a batch that was never acknowledged, and is dropped.
 *
 * Generic: a collection is a Map of records by key, registered under a name. The journal knows
 * nothing of what records are, so a new collection is persisted by registering it, in one line.
 */
import { closeSync, fdatasync, openSync, readdirSync, readFileSync, rmSync, write } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeFileDurablySync } from '../../src/durable-write.js';

const SNAPSHOT = 'index.json';
const JOURNAL = 'journal.jsonl';
/** Below this the journal is never compacted: replaying a few megabytes at start-up is quick. */
const MIN_COMPACTION_BYTES = 4 * 1024 * 1024;
/** What an interrupted writeFileDurablySync of the snapshot or journal leaves: removed at start-up. */
const LEFTOVER_TEMPORARY = /^\.(index\.json|journal\.jsonl)\.[0-9a-f]{16}\.tmp$/;

const writeAt = promisify(write);
const flush = promisify(fdatasync);

/** The saved state cannot be read; the message names the file and how to recover. */
export class UnreadableStateError extends Error {
  constructor(path: string, reason: string) {
    super(`cannot read the emulator's saved state in ${path}: ${reason}. Restore that file from a backup, or move the data folder aside and start with an empty one.`);
    this.name = new.target.name;
  }
}

/**
 * A collection of records by key whose every change is journaled: `set`, `add` and `delete` note
 * it themselves; a record changed in place is noted with `changed(record)`.
 */
export class Collection<T> extends Map<string, T> {
  constructor(
    private readonly keyOf: (record: T) => string,
    private readonly noteChange: (key: string) => void,
  ) {
    super();
  }

  /** Stores a record under its key. */
  add(record: T): T {
    this.set(this.keyOf(record), record);
    return record;
  }

  /** Notes that a stored record was changed in place, so that it is saved as it is now. */
  changed(record: T): void {
    this.noteChange(this.keyOf(record));
  }

  override set(key: string, record: T): this {
    super.set(key, record);
    this.noteChange(key);
    return this;
  }

  override delete(key: string): boolean {
    const deleted = super.delete(key);
    if (deleted) this.noteChange(key);
    return deleted;
  }

  override clear(): void {
    for (const key of [...this.keys()]) this.delete(key);
  }
}

/** The changes a flush writes, and what it does before and after. */
interface Batch {
  /** Keys of changed records, by collection name; each is written as it is when the batch is taken. */
  changes: Map<string, Set<string>>;
  /** Made durable before the batch is written: what its records refer to (the blob folder). */
  beforeWrite: Set<() => Promise<void>>;
  /** Done once the batch is durable: what no durable record refers to any more (deleted blobs). */
  afterDurable: Array<() => void>;
}

const emptyBatch = (): Batch => ({ changes: new Map(), beforeWrite: new Set(), afterDurable: [] });
const isEmpty = (batch: Batch) => batch.changes.size === 0 && batch.beforeWrite.size === 0 && batch.afterDurable.length === 0;

/** One line of the journal: changed records as `[collection, key, record]`, `null` for a deletion. */
type JournalLine = Array<[string, string, unknown]>;

export class Journal {
  private readonly collections = new Map<string, Collection<unknown>>();
  private dataDir = '';
  /** Changes are not noted while the saved state is loaded, nor after close. */
  private recording = false;
  private pending = emptyBatch();
  /** The flush writing now, and the one that will take the pending batch after it. */
  private writing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private fd: number | undefined;
  /** Batches in the journal since it was started: none means the snapshot holds everything. */
  private journalBatches = 0;
  private journalBytes = 0;
  private snapshotBytes = 0;
  /** The snapshot's generation; the journal holds the changes made since, and says which generation it follows. */
  private generation = 0;
  private journalGeneration = -1;
  /** A write failed part-way: the journal may end in a partial line. */
  private damaged = false;

  /** Registers a collection under a name, which is also its name on disk: registered before open(). */
  collection<T>(name: string, keyOf: (record: T) => string): Collection<T> {
    const collection = new Collection<T>(keyOf, (key) => this.note(name, key));
    this.collections.set(name, collection as Collection<unknown>);
    return collection;
  }

  /**
   * Loads the saved state into the collections: the snapshot, then the journal replayed over it.
   * Throws UnreadableStateError when either cannot be read.
   */
  open(dataDir: string): void {
    this.dataDir = dataDir;
    for (const name of readdirSync(dataDir)) if (LEFTOVER_TEMPORARY.test(name)) rmSync(join(dataDir, name), { force: true });
    this.loadSnapshot();
    const replayed = this.replayJournal();
    this.recording = true;
    // A journal to replay is folded into a new snapshot at once, so the next start-up is quick.
    if (replayed) this.compact();
    else this.startJournal();
  }

  /** Runs `action` before the batch holding the changes noted so far is written (once per batch). */
  beforeWrite(action: () => Promise<void>): void {
    this.pending.beforeWrite.add(action);
  }

  /** Runs `action` once every change noted so far is durable. */
  afterDurable(action: () => void): void {
    this.pending.afterDurable.push(action);
  }

  /** Resolves once every change noted so far is on disk; concurrent callers share one flush. */
  durable(): Promise<void> {
    if (isEmpty(this.pending)) return this.writing ?? Promise.resolve();
    this.queued ??= this.writeNext();
    return this.queued;
  }

  /** Writes what is pending, folds the journal into a snapshot for a quick next start, and stops recording. */
  async close(): Promise<void> {
    if (!this.recording) return;
    try {
      await this.durable();
    } finally {
      this.recording = false;
      try {
        if (this.journalBatches > 0) this.compact();
      } catch {
        // The journal stays as it is, and holds every durable change.
      }
      if (this.fd !== undefined) closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private note(collection: string, key: string): void {
    if (!this.recording) return;
    const keys = this.pending.changes.get(collection) ?? new Set<string>();
    keys.add(key);
    this.pending.changes.set(collection, keys);
  }

  private async writeNext(): Promise<void> {
    await this.writing?.catch(() => undefined);
    this.queued = undefined;
    const batch = this.pending;
    this.pending = emptyBatch();
    const writing = this.write(batch);
    this.writing = writing;
    try {
      await writing;
    } finally {
      if (this.writing === writing) this.writing = undefined;
    }
  }

  private async write(batch: Batch): Promise<void> {
    const line: JournalLine = [];
    for (const [name, keys] of batch.changes) {
      const collection = this.collections.get(name)!;
      for (const key of keys) line.push([name, key, collection.get(key) ?? null]);
    }
    try {
      for (const action of batch.beforeWrite) await action();
      if (line.length > 0) await this.append(Buffer.from(JSON.stringify(line) + '\n'));
    } catch (error) {
      this.requeue(batch);
      throw error;
    }
    for (const action of batch.afterDurable) action();
    if (this.journalBytes > Math.max(MIN_COMPACTION_BYTES, this.snapshotBytes)) {
      try {
        this.compact();
      } catch {
        // Nothing recovery relies on has changed (see compact); the journal keeps growing until a later try.
      }
    }
  }

  private async append(bytes: Buffer): Promise<void> {
    // A journal that may end in a partial line is never appended to: every line after it would be
    // lost at recovery. The state in memory, which holds every durable change, becomes a snapshot first.
    if (this.damaged) {
      this.compact();
      this.damaged = false;
    }
    // A compaction cut short left the old journal, whose changes the snapshot holds: start a new one.
    if (this.journalGeneration !== this.generation) this.startJournal();
    const fd = this.fd!;
    try {
      let written = 0;
      while (written < bytes.length) written += (await writeAt(fd, bytes, written, bytes.length - written, null)).bytesWritten;
      await flush(fd);
    } catch (error) {
      this.damaged = true;
      throw error;
    }
    this.journalBatches += 1;
    this.journalBytes += bytes.length;
  }

  /** Puts a batch that could not be written back in front of what is pending, to be written with it. */
  private requeue(batch: Batch): void {
    for (const [name, keys] of this.pending.changes) {
      const merged = batch.changes.get(name) ?? new Set<string>();
      for (const key of keys) merged.add(key);
      batch.changes.set(name, merged);
    }
    for (const action of this.pending.beforeWrite) batch.beforeWrite.add(action);
    batch.afterDurable.push(...this.pending.afterDurable);
    this.pending = batch;
  }

  /**
   * Writes the whole state as a new snapshot, then starts an empty journal that follows it. Throws
   * when either cannot be written, having changed nothing recovery relies on: the old snapshot and
   * journal stay; or the new snapshot stays with the old journal, which recovery then skips, and the
   * new journal is started before the next append.
   */
  private compact(): void {
    const collections = Object.fromEntries([...this.collections].map(([name, collection]) => [name, [...collection.values()]]));
    const snapshot = JSON.stringify({ generation: this.generation + 1, collections });
    // Owner-only: the account's record holds origins' secrets.
    writeFileDurablySync(join(this.dataDir, SNAPSHOT), snapshot, { secret: true });
    this.generation += 1;
    this.snapshotBytes = Buffer.byteLength(snapshot);
    this.startJournal();
  }

  /** Replaces the journal with an empty one that follows the current snapshot. */
  private startJournal(): void {
    const header = JSON.stringify({ generation: this.generation }) + '\n';
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    writeFileDurablySync(join(this.dataDir, JOURNAL), header, { secret: true });
    this.fd = openSync(join(this.dataDir, JOURNAL), 'a');
    this.journalBatches = 0;
    this.journalBytes = Buffer.byteLength(header);
    this.journalGeneration = this.generation;
  }

  private loadSnapshot(): void {
    const path = join(this.dataDir, SNAPSHOT);
    const text = readSavedText(path);
    if (text === undefined) return;
    let saved: { generation?: unknown; collections?: unknown };
    try {
      saved = JSON.parse(text) as typeof saved;
    } catch (error) {
      throw new UnreadableStateError(path, (error as Error).message);
    }
    if (typeof saved !== 'object' || saved === null) throw new UnreadableStateError(path, 'it is not a JSON object');
    // A snapshot without a generation is the index an earlier version saved: its collections at the top level.
    const collections = (saved.generation === undefined ? saved : saved.collections) as Record<string, unknown>;
    if (typeof collections !== 'object' || collections === null) throw new UnreadableStateError(path, 'it holds no collections');
    this.generation = typeof saved.generation === 'number' ? saved.generation : 0;
    this.snapshotBytes = Buffer.byteLength(text);
    for (const [name, collection] of this.collections) {
      const records = collections[name] ?? [];
      if (!Array.isArray(records)) throw new UnreadableStateError(path, `"${name}" is not a list`);
      try {
        for (const record of records) collection.add(record);
      } catch {
        throw new UnreadableStateError(path, `a record of "${name}" has no key`);
      }
    }
  }

  /** Replays the journal over the snapshot; whether it held any change. A torn last line is dropped. */
  private replayJournal(): boolean {
    const path = join(this.dataDir, JOURNAL);
    const text = readSavedText(path);
    if (text === undefined) return false;
    // Only lines that end in a newline were ever acknowledged; what follows the last one is torn.
    const lines = text.split('\n').slice(0, -1);
    const header = parseLine(lines.shift() ?? '') as { generation?: unknown } | undefined;
    if (typeof header?.generation !== 'number') throw new UnreadableStateError(path, 'its first line does not say which snapshot it follows');
    // A journal behind the snapshot was folded into it by a compaction that was cut short.
    if (header.generation < this.generation) return true;
    if (header.generation > this.generation) throw new UnreadableStateError(path, `it follows a snapshot (${header.generation}) newer than ${SNAPSHOT} (${this.generation})`);
    lines.forEach((text, index) => {
      const line = parseLine(text);
      if (!Array.isArray(line)) {
        // The last line may be a batch cut short on disk (never acknowledged); any other is damage.
        if (index === lines.length - 1) return;
        throw new UnreadableStateError(path, `line ${index + 2} is not a journal entry`);
      }
      for (const [name, key, record] of line as JournalLine) {
        const collection = this.collections.get(name);
        if (!collection) continue; // A collection this version no longer has.
        if (record === null) collection.delete(key);
        else collection.set(key, record);
      }
    });
    return lines.length > 0;
  }
}

/** A saved file's text; undefined when there is none, UnreadableStateError when it cannot be read. */
export function readSavedText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UnreadableStateError(path, (error as Error).message);
  }
}

function parseLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
