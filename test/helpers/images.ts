import sharp from 'sharp';

/**
 * A picture-like PNG: a grid of blocks whose brightness comes from a seeded random source, smoothed.
 * The same seed gives the same picture; another seed an unrelated one.
 */
export async function testImage(options: { seed?: number; width?: number; height?: number } = {}): Promise<Buffer> {
  const width = options.width ?? 64;
  const height = options.height ?? 48;
  let state = (options.seed ?? 1) >>> 0;
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const grid = 6;
  const cells = Array.from({ length: grid * grid }, () => Math.round(random() * 255));
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value = cells[Math.floor((y / height) * grid) * grid + Math.floor((x / width) * grid)]!;
      pixels.fill(value, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).blur(2).png().toBuffer();
}

/** The same picture re-encoded as a lower-quality JPEG at 90% of the size: near-identical to the eye. */
export async function nearCopy(png: Buffer): Promise<Buffer> {
  const { width = 0 } = await sharp(png).metadata();
  return sharp(png).resize(Math.round(width * 0.9)).jpeg({ quality: 60 }).toBuffer();
}
