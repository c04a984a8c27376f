/**
 * The transformation engine of the emulator's delivery route, in one import: the engine itself, its
 * cache, limiter and ETag helpers, and the table of applied parameters for `--explain`. It loads sharp:
 * import it lazily (`await import(...)`) where start-up time matters.
 */
export { transformImage, IMAGEKIT_MAX_PIXELS, type TransformOptions, type TransformResult } from './engine.js';
export { TransformError } from './errors.js';
export { acceptedModernFormat, type AcceptedModernFormat } from './format.js';
export { ConcurrencyLimiter, DerivedImageCache, LimiterFullError, etagMatches, strongEtag, type DerivedImage, type DerivedImageKey } from './cache.js';
export { APPLIED } from './applied.js';
export { parseTransformation, type NamedTransformations } from './params.js';
