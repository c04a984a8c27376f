/**
 * The delivery route's transformed images, one set per emulator: the transformation engine (loaded
 * with sharp on first use, so an emulator that only stores files never loads it), a byte-capped cache
 * of derived images, and a limit on concurrent sharp jobs, so that heavy requests queue instead of
 * starving the rest of the emulator.
 *
 * A derived image is keyed by its file's version and remembers what else it was made from: the layer
 * images' versions and the named transformations' text. It is served from the cache only while those
 * are unchanged, so an overwrite, restore, delete, move, rename or unpublish, whichever route or job
 * made it, shows at the next request without each place that changes the store having to report it.
 * A purge changes nothing stored: it drops the derived images of the files it names.
 */
import { readFile } from 'node:fs/promises';
import type { ConcurrencyLimiter, DerivedImage, DerivedImageCache } from '../transform/index.js';
import { filePathOf, type FileRecord, type MediaStore } from '../store/media-store.js';

type Engine = typeof import('../transform/index.js');

const CACHE_BYTES = 64 * 1024 * 1024;
// Two sharp jobs at once (each already uses libvips threads) leave the emulator free to answer the rest.
const CONCURRENT_JOBS = 2;
/** Requests that may wait for a turn; past them a request is answered 503 at once (the emulator's own bound). */
const WAITING_JOBS = 64;

/** What a derived image was made from besides its own file's version, as it was then. */
interface Sources {
  /** Layer images by the path the transformation names: `<fileId>/<versionId>` then. */
  layers: Map<string, string>;
  /** Named transformations by name: their text then. */
  names: Map<string, string | undefined>;
}

export interface Derived extends DerivedImage {
  sources: Sources;
}

/**
 * Names every account has: upload answers give `thumbnailUrl` as `tr:n-ik_ml_thumbnail/<path>`. ImageKit
 * does not publish what that name does; the emulator's stand-in fits the image within 400 px.
 */
const BUILT_IN_NAMES: ReadonlyMap<string, string> = new Map([['ik_ml_thumbnail', 'w-400,h-400,c-at_max']]);

/** The transformation `n-<name>` stands for: the account's own, else a built-in one. */
export const namedTransformation = (store: MediaStore, name: string): string | undefined => store.namedTransformation(name) ?? BUILT_IN_NAMES.get(name);

/** A stored file that delivery may serve (or use as a layer or default image): it exists and is published. */
export function publishedFile(store: MediaStore, path: string): FileRecord | undefined {
  const file = store.findByPath(path);
  return file?.current.isPublished ? file : undefined;
}

/** A file's current bytes; undefined when they were deleted meanwhile. */
const readCurrent = (store: MediaStore, file: FileRecord): Promise<Buffer | undefined> =>
  readFile(store.blobPath(file.current.blob)).catch(() => undefined);

const versionOf = (file: FileRecord) => `${file.fileId}/${file.current.versionId}`;

function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export class DerivedImages {
  #parts?: Promise<{ engine: Engine; cache: DerivedImageCache<Derived>; limiter: ConcurrencyLimiter }>;
  // Set once the engine is loaded: before that nothing is cached, so there is nothing to purge.
  #cache?: DerivedImageCache<Derived>;

  constructor(private readonly store: MediaStore) {}

  #load() {
    this.#parts ??= import('../transform/index.js').then((engine) => {
      this.#cache = new engine.DerivedImageCache<Derived>(CACHE_BYTES);
      return { engine, cache: this.#cache, limiter: new engine.ConcurrencyLimiter(CONCURRENT_JOBS, WAITING_JOBS) };
    });
    return this.#parts;
  }

  /**
   * A file's image with a transformation applied, for a request's `Accept` header: from the cache while
   * what it was made from is unchanged, else computed (and cached). Undefined when the file's bytes are
   * gone; the engine's TransformError when the service would refuse the transformation.
   */
  async derive(file: FileRecord, transformation: readonly string[], accept: string | undefined): Promise<{ image: Derived; cached: boolean } | undefined> {
    const { engine, cache, limiter } = await this.#load();
    const key = { fileId: file.fileId, version: file.current.versionId, transformation, negotiated: engine.acceptedModernFormat(accept) };
    const hit = cache.get(key);
    if (hit && this.#unchanged(hit.sources)) return { image: hit, cached: true };
    const sources: Sources = { layers: new Map(), names: new Map() };
    // The original is read once the job has its turn: waiting jobs hold no image in memory.
    const result = await limiter.run(async () => {
      const bytes = await readCurrent(this.store, file);
      if (!bytes) return undefined;
      return engine.transformImage(bytes, transformation, {
        accept,
        loadImage: async (path) => {
          const layer = publishedFile(this.store, path);
          if (!layer) return undefined;
          sources.layers.set(path, versionOf(layer));
          return readCurrent(this.store, layer);
        },
        namedTransformations: (name) => {
          const saved = namedTransformation(this.store, name);
          sources.names.set(name, saved);
          return saved;
        },
      });
    }).catch((error: unknown) => {
      if (error instanceof engine.LimiterFullError) throw new engine.TransformError(503, 'The emulator has too many images to transform at once; try again shortly.');
      throw error;
    });
    if (!result) return undefined;
    const image: Derived = { ...result, etag: engine.strongEtag(result.body), sources };
    cache.set(key, image);
    return { image, cached: false };
  }

  #unchanged({ layers, names }: Sources): boolean {
    for (const [path, version] of layers) {
      const layer = publishedFile(this.store, path);
      if (!layer || versionOf(layer) !== version) return false;
    }
    for (const [name, saved] of names) if (namedTransformation(this.store, name) !== saved) return false;
    return true;
  }

  /**
   * A CDN purge of a delivery URL: drops the derived images of the file it names, or with a final `*`
   * of every file whose path starts with what comes before it. A transformation in the URL is ignored:
   * every derived image of the file goes.
   */
  purge(url: string, urlEndpoint: string): void {
    if (!this.#cache) return;
    const path = decodeOrKeep(url.slice(urlEndpoint.length).split('?')[0]!.replace(/^\/tr:[^/]*/, ''));
    const prefix = path.endsWith('*') ? path.slice(0, -1) : undefined;
    for (const file of this.store.files.values()) {
      const filePath = filePathOf(file.current);
      if (prefix === undefined ? filePath === path : filePath.startsWith(prefix)) this.#cache.dropFile(file.fileId);
    }
  }
}
