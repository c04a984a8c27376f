/**
 * The output format and encoder settings of a delivery: `f-` (including `f-auto` negotiated from the
 * `Accept` header), `q-`, `pr-`, `lo-`. Sources: docs.imagekit.io/features/image-optimization/
 * automatic-image-format-conversion (archived in imagekitio/docs-keep-a-changelog) and the
 * "Quality", "Format", "Progressive image" and "Lossless" sections of resize-crop-and-other-transformations.
 */
import type { Sharp } from 'sharp';
import type { Rgba } from './colour.js';

export type OutputFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif';

export const CONTENT_TYPES: Readonly<Record<OutputFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
};

/** The modern format a browser accepts, best first: what `f-auto` picks before falling back. */
export type AcceptedModernFormat = 'avif' | 'webp' | 'none';

/**
 * What the `Accept` header allows for `f-auto`: AVIF when the request sends `image/avif` ("devices that
 * support AVIF ... send image/avif in the Accept request header"), else WebP, else none. The route puts
 * this in the cache key of derived images and answers `Vary: Accept`.
 */
export function acceptedModernFormat(accept: string | undefined): AcceptedModernFormat {
  const accepted = new Set(
    (accept ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase().split(';'))
      .filter(([, ...options]) => !options.some((o) => /^\s*q=0(\.0*)?\s*$/.test(o)))
      .map(([type]) => type!.trim()),
  );
  if (accepted.has('image/avif')) return 'avif';
  if (accepted.has('image/webp')) return 'webp';
  return 'none';
}

const EXPLICIT: Readonly<Record<string, OutputFormat>> = { jpg: 'jpeg', jpeg: 'jpeg', png: 'png', webp: 'webp', avif: 'avif', gif: 'gif' };

/** The requested format: an explicit one, `auto`, or `orig` (the input's own format). */
export type FormatRequest = OutputFormat | 'auto' | 'orig';

/** Reads an `f-` value; undefined for values that are not image formats (`mp4`, `webm`, `svg`). */
export function formatRequest(value: string | null | undefined): FormatRequest | undefined {
  if (value === 'auto' || value === 'orig') return value;
  return value ? EXPLICIT[value] : undefined;
}

/** The input's format when it is one the engine writes, for `f-orig` and the `f-auto` fallback. */
export function writableFormat(inputFormat: string | undefined): OutputFormat | undefined {
  return inputFormat === 'jpg' ? 'jpeg' : inputFormat && inputFormat in CONTENT_TYPES ? (inputFormat as OutputFormat) : undefined;
}

/**
 * Decides the output format. `auto` takes AVIF or WebP when accepted; otherwise the input's format,
 * except that transparent content only goes to formats with transparency ("only those formats that
 * support transparency, like PNG or WebP or AVIF are considered"), so it falls back to PNG.
 */
export function chooseFormat(request: FormatRequest, accepted: AcceptedModernFormat, inputFormat: string | undefined, hasAlpha: boolean): OutputFormat {
  const input = writableFormat(inputFormat);
  if (request === 'orig') return input ?? 'jpeg';
  if (request !== 'auto') return request;
  if (accepted !== 'none') return accepted;
  if (hasAlpha) return 'png';
  // GIF stays GIF only on request (f-gif); a GIF's first frame is what the engine transforms.
  return input === 'png' ? 'png' : 'jpeg';
}

export interface EncoderSettings {
  /** `q-`: "Default Value - 80". */
  quality: number;
  progressive: boolean;
  lossless: boolean;
  /** The colour transparent pixels take in formats without transparency (JPEG). */
  flattenOnto: Rgba | string;
}

/** Sets the encoder on a pipeline. */
export function encode(image: Sharp, format: OutputFormat, settings: EncoderSettings): Sharp {
  switch (format) {
    case 'jpeg':
      return image.flatten({ background: settings.flattenOnto }).jpeg({ quality: settings.quality, progressive: settings.progressive });
    case 'png':
      return image.png({ progressive: settings.progressive });
    case 'webp':
      return image.webp({ quality: settings.quality, lossless: settings.lossless });
    case 'avif':
      // effort 2 (of 0-9) keeps the emulator responsive; the service's own encoder settings are unknown.
      return image.avif({ quality: settings.quality, lossless: settings.lossless, effort: 2 });
    case 'gif':
      return image.gif();
  }
}
