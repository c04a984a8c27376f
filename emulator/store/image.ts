/**
 * Image facts for the metadata API, computed from the stored bytes with sharp: dimensions, format,
 * transparency, EXIF and a 64-bit DCT perceptual hash.
 */
import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Sharp } from 'sharp';

type SharpFactory = (input?: Buffer | string) => Sharp;
let sharpFactory: Promise<SharpFactory> | undefined;
// sharp loads a native library: only the emulator's image paths pay for it.
const loadSharp = () => (sharpFactory ??= import('sharp').then((m) => m.default as unknown as SharpFactory));

export interface ImageFacts {
  width: number;
  height: number;
  format: string;
  hasAlpha: boolean;
  hasColorProfile: boolean;
  density?: number;
  exif?: Buffer;
}

/** Whether the first bytes are those of an image format sharp reads (so other files skip sharp). */
function looksLikeImage(head: Buffer): boolean {
  const text = head.toString('latin1');
  return (
    head[0] === 0xff && head[1] === 0xd8 // JPEG
  ) || text.startsWith('\x89PNG') || text.startsWith('GIF8') || (text.startsWith('RIFF') && text.slice(8, 12) === 'WEBP') ||
    text.slice(4, 8) === 'ftyp' || text.startsWith('II*\0') || text.startsWith('MM\0*') || /<svg|<\?xml/i.test(text);
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(256);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Facts about an image file, or undefined when the bytes are not an image sharp can read. `head`, the
 * file's first bytes when the caller has them already, saves opening the file once more.
 */
export async function readImageFacts(file: string, head?: Buffer): Promise<ImageFacts | undefined> {
  if (!looksLikeImage(head ?? (await readHead(file)))) return undefined;
  const sharp = await loadSharp();
  try {
    const metadata = await sharp(file).metadata();
    if (!metadata.width || !metadata.height || !metadata.format) return undefined;
    return {
      width: metadata.width,
      height: metadata.height,
      format: metadata.format === 'jpeg' ? 'jpg' : metadata.format,
      hasAlpha: metadata.hasAlpha === true,
      hasColorProfile: metadata.hasProfile === true,
      density: metadata.density,
      exif: metadata.exif,
    };
  } catch {
    return undefined;
  }
}

/** One-dimensional DCT-II of a row of numbers. */
function dct(values: number[]): number[] {
  const n = values.length;
  const out: number[] = new Array(n);
  for (let k = 0; k < n; k++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[i]! * Math.cos((Math.PI * (2 * i + 1) * k) / (2 * n));
    out[k] = sum;
  }
  return out;
}

/**
 * The standard perceptual hash: the image as 32x32 greyscale, a 2-D DCT, and the 8x8 lowest
 * frequencies compared with their median, one bit each, as 16 hex digits.
 */
async function perceptualHash(file: string): Promise<string> {
  const sharp = await loadSharp();
  const size = 32;
  const pixels = await sharp(file).greyscale().resize(size, size, { fit: 'fill' }).raw().toBuffer();
  const rows: number[][] = [];
  for (let y = 0; y < size; y++) rows.push(dct(Array.from(pixels.subarray(y * size, (y + 1) * size))));
  const columns: number[][] = [];
  for (let x = 0; x < 8; x++) columns.push(dct(rows.map((row) => row[x]!)));
  const low: number[] = [];
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) low.push(columns[x]![y]!);
  const sorted = [...low].sort((a, b) => a - b);
  const median = (sorted[31]! + sorted[32]!) / 2;
  let hash = 0n;
  for (const value of low) hash = (hash << 1n) | (value > median ? 1n : 0n);
  return hash.toString(16).padStart(16, '0');
}

/** EXIF as the metadata API shapes it ({image, thumbnail, exif, gps, interoperability, makernote}). */
async function readExif(buffer: Buffer | undefined): Promise<Record<string, unknown>> {
  if (!buffer) return {};
  try {
    const { default: exifReader } = await import('exif-reader');
    const tags = exifReader(buffer) as Record<string, unknown>;
    // Byte values (such as ExifVersion) read as text when printable, as the metadata API shows them.
    const plain = (value: unknown): unknown =>
      Buffer.isBuffer(value) ? (/^[\x20-\x7e]*$/.test(value.toString('latin1')) ? value.toString('latin1') : [...value]) : value;
    const pick = (key: string) =>
      Object.fromEntries(Object.entries((tags[key] as Record<string, unknown> | undefined) ?? {}).map(([k, v]) => [k, plain(v)]));
    return {
      image: pick('Image'),
      thumbnail: pick('Thumbnail'),
      exif: pick('Photo'),
      gps: pick('GPSInfo'),
      interoperability: pick('Iop'),
      makernote: {},
    };
  } catch {
    return {};
  }
}

/** What the metadata API answers about a stored image; undefined when the bytes are not an image sharp reads. */
export async function imageMetadata(path: string): Promise<Record<string, unknown> | undefined> {
  const facts = await readImageFacts(path);
  if (!facts) return undefined;
  return {
    height: facts.height,
    width: facts.width,
    size: statSync(path).size,
    format: facts.format,
    hasColorProfile: facts.hasColorProfile,
    quality: 0,
    density: facts.density ?? 72,
    hasTransparency: facts.hasAlpha,
    exif: await readExif(facts.exif),
    pHash: await perceptualHash(path),
  };
}
