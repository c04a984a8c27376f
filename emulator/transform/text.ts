/**
 * Renders the text of a text layer (`l-text,i-<text>,fs-,co-,bg-,pa-,w-,ia-,tg-,l-end`) with sharp's
 * text input (Pango and fontconfig, bundled with sharp), in the machine's default sans-serif font.
 * Defaults from docs.imagekit.io/features/image-transformations/overlay-using-layers: "By default, the
 * text is displayed with the default font and a font size of 45"; inner alignment defaults to center.
 * ImageKit's own font list and custom fonts (`ff-`) are not available here.
 */
import sharp from 'sharp';
import { pangoColour, type Rgba } from './colour.js';

export interface TextStyle {
  fontSize: number;
  colour: Rgba | string;
  background?: Rgba | string;
  /** Top, right, bottom, left, in pixels. */
  padding: [number, number, number, number];
  /** `w-`: the width the text wraps at. */
  wrapWidth?: number;
  align: 'left' | 'center' | 'right';
  bold: boolean;
  italic: boolean;
}

const escapeMarkup = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Reads `pa-` in CSS shorthand order: `10`, `10_20`, `10_20_30` or `10_20_30_40`. */
export function parsePadding(value: string): [number, number, number, number] | undefined {
  const parts = value.split('_').map(Number);
  if (parts.length > 4 || parts.some((n) => !Number.isInteger(n) || n < 0)) return undefined;
  const [top, right = top, bottom = top, left = right] = parts as [number, number?, number?, number?];
  return [top, right, bottom, left];
}

/**
 * The text as an RGBA PNG, or undefined when it cannot be rendered here (sharp throws, typically when
 * no font is installed: `apt-get install fonts-dejavu-core` provides one).
 */
export async function renderText(text: string, style: TextStyle): Promise<Buffer | undefined> {
  const { colour, alphaPercent } = pangoColour(style.colour);
  let markup = `<span foreground="${colour}" fgalpha="${alphaPercent}%">${escapeMarkup(text)}</span>`;
  if (style.bold) markup = `<b>${markup}</b>`;
  if (style.italic) markup = `<i>${markup}</i>`;
  try {
    const rendered = await sharp({
      text: {
        text: markup,
        // Pango sizes are points; at 72 dpi a point is a pixel, so fs-45 gives 45-pixel text.
        font: `sans ${style.fontSize}`,
        dpi: 72,
        rgba: true,
        align: style.align === 'center' ? 'centre' : style.align,
        ...(style.wrapWidth ? { width: style.wrapWidth, wrap: 'word' as const } : {}),
      },
    })
      .png()
      .toBuffer();
    const [top, right, bottom, left] = style.padding;
    const transparent = { r: 0, g: 0, b: 0, alpha: 0 };
    const padded = await sharp(rendered).extend({ top, right, bottom, left, background: transparent }).png().toBuffer({ resolveWithObject: true });
    if (!style.background) return padded.data;
    return await sharp({ create: { width: padded.info.width, height: padded.info.height, channels: 4, background: style.background } })
      .composite([{ input: padded.data }])
      .png()
      .toBuffer();
  } catch {
    return undefined;
  }
}
