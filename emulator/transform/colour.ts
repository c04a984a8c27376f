/**
 * ImageKit colour values (`bg-`, `co-`, `b-` and layer colours) as sharp colours. The docs accept
 * `RRGGBB`, `RRGGBBAA` whose last two characters are a DECIMAL opacity `00`-`99` (not hex), and colour
 * names such as `red` (docs.imagekit.io/features/image-transformations/resize-crop-and-other-transformations
 * #background-color-bg; overlay-using-layers, "co" and "bg").
 */
import sharp from 'sharp';
import { TransformError } from './errors.js';

export interface Rgba {
  r: number;
  g: number;
  b: number;
  alpha: number;
}

const hexByte = (text: string, at: number): number => parseInt(text.slice(at, at + 2), 16);

/** A colour name sharp knows (CSS names), checked by sharp's own parser. */
function isColourName(text: string): boolean {
  if (!/^[a-z]+$/i.test(text)) return false;
  try {
    sharp().flatten({ background: text });
    return true;
  } catch {
    return false;
  }
}

/** Parses an ImageKit colour; a value that is none of the documented forms is a 400, as a bad parameter is. */
export function parseColour(text: string): Rgba | string {
  if (/^[0-9a-f]{6}$/i.test(text)) return { r: hexByte(text, 0), g: hexByte(text, 2), b: hexByte(text, 4), alpha: 1 };
  if (/^[0-9a-f]{6}[0-9]{2}$/i.test(text)) {
    return { r: hexByte(text, 0), g: hexByte(text, 2), b: hexByte(text, 4), alpha: Number(text.slice(6)) / 100 };
  }
  if (isColourName(text)) return text.toLowerCase();
  throw new TransformError(400, `Invalid colour "${text}" in the transformation.`);
}

/** The colour for Pango markup (text layers): `#RRGGBB` or a name, and its opacity in percent. */
export function pangoColour(colour: Rgba | string): { colour: string; alphaPercent: number } {
  if (typeof colour === 'string') return { colour, alphaPercent: 100 };
  const hex = [colour.r, colour.g, colour.b].map((c) => c.toString(16).padStart(2, '0')).join('');
  return { colour: `#${hex}`, alphaPercent: Math.round(colour.alpha * 100) };
}
