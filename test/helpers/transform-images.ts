// Images for the transformation engine's tests, made with sharp, and pixel probes. The corner image
// makes crops, flips and rotations visible: blue, with a red block at the top-left and a green block
// at the bottom-right.
import sharp from 'sharp';

export type Rgb = [number, number, number];
export const RED: Rgb = [255, 0, 0];
export const GREEN: Rgb = [0, 255, 0];
export const BLUE: Rgb = [0, 0, 255];
export const YELLOW: Rgb = [255, 255, 0];
export const WHITE: Rgb = [255, 255, 255];
export const BLACK: Rgb = [0, 0, 0];

const block = (width: number, height: number, [r, g, b]: Rgb) => ({ create: { width, height, channels: 3 as const, background: { r, g, b } } });

/** 400x300 opaque PNG: blue, red 100x75 at the top-left, green 100x75 at the bottom-right. */
export async function cornerImage(format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const image = sharp(block(400, 300, BLUE)).composite([
    { input: block(100, 75, RED), left: 0, top: 0 },
    { input: block(100, 75, GREEN), left: 300, top: 225 },
  ]);
  const flat = await image.removeAlpha().png().toBuffer();
  return format === 'png' ? flat : sharp(flat).jpeg({ quality: 95 }).toBuffer();
}

/** A single-colour opaque PNG. */
export const solidImage = (width: number, height: number, colour: Rgb): Promise<Buffer> => sharp(block(width, height, colour)).png().toBuffer();

export interface Decoded {
  width: number;
  height: number;
  channels: number;
  format: string;
  /** [r, g, b, alpha] at a point (alpha 255 when the image has none). */
  at(x: number, y: number): [number, number, number, number];
}

export async function decode(bytes: Buffer): Promise<Decoded> {
  const { format = '' } = await sharp(bytes).metadata();
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    channels: info.channels,
    format,
    at(x, y) {
      const i = (y * info.width + x) * info.channels;
      if (info.channels <= 2) return [data[i]!, data[i]!, data[i]!, info.channels === 2 ? data[i + 1]! : 255];
      return [data[i]!, data[i + 1]!, data[i + 2]!, info.channels === 4 ? data[i + 3]! : 255];
    },
  };
}

/** Whether a probed pixel is the colour, within a tolerance for resampling and JPEG. */
export function isColour(pixel: readonly number[], colour: Rgb, tolerance = 24): boolean {
  return colour.every((c, i) => Math.abs(pixel[i]! - c) <= tolerance);
}

/** The bounding box of the pixels of a colour, or undefined when there are none. */
export function boxOf(image: Decoded, colour: Rgb, tolerance = 60): { left: number; top: number; right: number; bottom: number } | undefined {
  let box: { left: number; top: number; right: number; bottom: number } | undefined;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (!isColour(image.at(x, y), colour, tolerance)) continue;
      box = box
        ? { left: Math.min(box.left, x), top: Math.min(box.top, y), right: Math.max(box.right, x), bottom: Math.max(box.bottom, y) }
        : { left: x, top: y, right: x, bottom: y };
    }
  }
  return box;
}

/** Fails with the coordinates and the colour found when a pixel is not the expected colour. */
export function expectPixel(image: Decoded, x: number, y: number, colour: Rgb, tolerance = 24): void {
  const pixel = image.at(x, y).slice(0, 3);
  if (!isColour(pixel, colour, tolerance)) throw new Error(`pixel (${x}, ${y}) is [${pixel.join(', ')}], expected [${colour.join(', ')}]`);
}
