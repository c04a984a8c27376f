/**
 * What keeps transformed delivery cheap and the emulator responsive: a byte-capped LRU cache of derived
 * images (so a page that asks for the same thumbnail twice pays sharp once), a limiter on how many sharp
 * jobs run at once, and strong ETags for `If-None-Match` / 304 answers.
 */
import { createHash } from 'node:crypto';

export interface DerivedImage {
  body: Buffer;
  contentType: string;
  etag: string;
  width: number;
  height: number;
  skipped: readonly string[];
  varyAccept: boolean;
}

/** What identifies a derived image: the file's version, the transformation as requested, and the format negotiation. */
export interface DerivedImageKey {
  fileId: string;
  /** The file version (a version id, or the stored blob's hash): a new version never reuses old derivatives. */
  version: string;
  /** The transformation strings as given to the engine, path part first. */
  transformation: readonly string[];
  /** `acceptedModernFormat(accept)`: what `f-auto` could pick for this request. */
  negotiated: string;
}

const keyText = (key: DerivedImageKey): string => JSON.stringify([key.fileId, key.version, key.transformation, key.negotiated]);

/**
 * An LRU cache of derived images that holds at most `maxBytes` of image bytes. `Image` may carry more
 * than the image (the delivery route keeps what each one was made from).
 */
export class DerivedImageCache<Image extends DerivedImage = DerivedImage> {
  readonly maxBytes: number;
  #bytes = 0;
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recently used first.
  readonly #entries = new Map<string, { fileId: string; image: Image }>();

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Bytes of image data held now. */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: DerivedImageKey): Image | undefined {
    const text = keyText(key);
    const entry = this.#entries.get(text);
    if (!entry) return undefined;
    this.#entries.delete(text);
    this.#entries.set(text, entry);
    return entry.image;
  }

  /** Stores a derived image, evicting the least recently used; an image larger than the whole cap is not kept. */
  set(key: DerivedImageKey, image: Image): void {
    const text = keyText(key);
    this.#remove(text);
    if (image.body.length > this.maxBytes) return;
    this.#entries.set(text, { fileId: key.fileId, image });
    this.#bytes += image.body.length;
    for (const [oldest] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#remove(oldest);
    }
  }

  /** Forgets every derivative of a file (deleted, replaced, or its versions changed). */
  dropFile(fileId: string): void {
    for (const [text, entry] of this.#entries) if (entry.fileId === fileId) this.#remove(text);
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #remove(text: string): void {
    const entry = this.#entries.get(text);
    if (!entry) return;
    this.#entries.delete(text);
    this.#bytes -= entry.image.body.length;
  }
}

/** Runs at most `limit` jobs at once; the others wait in arrival order. */
/** A job refused because as many as may wait are waiting already. */
export class LimiterFullError extends Error {
  constructor() {
    super('too many jobs are waiting');
    this.name = new.target.name;
  }
}

export class ConcurrencyLimiter {
  readonly limit: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  /** `maxWaiting`: how many jobs may wait for a slot; one more is refused with LimiterFullError. */
  constructor(
    limit: number,
    readonly maxWaiting = Infinity,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`the concurrency limit must be a positive integer, got ${limit}`);
    this.limit = limit;
  }

  /** Jobs running now. */
  get running(): number {
    return this.#running;
  }

  /** Jobs waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.#running >= this.limit && this.#waiting.length >= this.maxWaiting) throw new LimiterFullError();
    if (this.#running >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    try {
      return await job();
    } finally {
      // The slot passes straight to the next waiter, so a newcomer cannot jump the queue.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}

/** A strong ETag for response bytes: the same bytes always give the same tag. */
export function strongEtag(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/**
 * Whether an `If-None-Match` header matches an ETag (then the answer is 304). As RFC 9110 §13.1.2
 * requires, the comparison is weak: `W/"x"` matches `"x"`; `*` matches anything.
 */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}
