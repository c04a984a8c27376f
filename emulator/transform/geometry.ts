/**
 * The resize and crop parameters of one step (`w`, `h`, `ar`, `dpr`, `c`, `cm`, `fo`, `x`, `y`, `xc`,
 * `yc`, `z`) turned into an explicit plan with exact output dimensions, before any pixel is touched: the
 * engine can refuse an output over the pixel limit early, and tests can check the arithmetic alone.
 *
 * Rules from docs.imagekit.io/features/image-transformations/resize-crop-and-other-transformations
 * (archived as imagekitio/docs-keep-a-changelog) and imagekit.io/docs/image-resize-and-crop.
 */
import { lastValue, written, type Param } from './params.js';
import { TransformError } from './errors.js';

export interface Size {
  width: number;
  height: number;
}

/** Where a crop or padding sits on each axis: 0 = left/top, 0.5 = centre, 1 = right/bottom. */
export interface Anchor {
  x: number;
  y: number;
}

export interface Rect extends Size {
  left: number;
  top: number;
}

export type ResizePlan =
  | { kind: 'none' }
  /** Scale to exactly this size (c-force, c-at_max, c-at_least, or one dimension given). */
  | ({ kind: 'scale' } & Size)
  /** c-maintain_ratio: scale to cover, then crop at the anchor. */
  | ({ kind: 'cover'; anchor: Anchor } & Size)
  /** fo-auto / fo-face: pick a window of the source by saliency, then scale it to the output size. */
  | ({ kind: 'smart'; window: Size } & Size)
  /** cm-pad_resize: scale to fit, then pad to the output size. */
  | ({ kind: 'pad'; scaled: Size; offset: { left: number; top: number } } & Size)
  /** cm-extract / cm-pad_extract: copy a source rectangle, unscaled, onto an output canvas. */
  | ({ kind: 'region'; source: Rect; offset: { left: number; top: number } } & Size);

// "Max image transformation dimensions (dimensions greater than this in the transformation string will
// get ignored): 65535 px" (docs.imagekit.io/limits-and-troubleshooting/limits).
const MAX_DIMENSION = 65535;

const ANCHORS: Readonly<Record<string, Anchor>> = {
  center: { x: 0.5, y: 0.5 },
  top: { x: 0.5, y: 0 },
  bottom: { x: 0.5, y: 1 },
  left: { x: 0, y: 0.5 },
  right: { x: 1, y: 0.5 },
  top_left: { x: 0, y: 0 },
  top_right: { x: 1, y: 0 },
  bottom_left: { x: 0, y: 1 },
  bottom_right: { x: 1, y: 1 },
};

/** The anchor named by `fo-`/`lfo-` values, if it is one of the nine relative positions. */
export const anchorOf = (name: string | null | undefined): Anchor | undefined => (name ? ANCHORS[name] : undefined);

const CROPS = new Set(['maintain_ratio', 'force', 'at_max', 'at_max_enlarge', 'at_least']);
const CROP_MODES = new Set(['pad_resize', 'extract', 'pad_extract']);
const RESIZE_CODES = new Set(['w', 'h', 'ar', 'dpr', 'c', 'cm', 'fo', 'x', 'y', 'xc', 'yc', 'z']);

const px = (value: number): number => Math.max(1, Math.round(value));

function plainNumber(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^\d+(\.\d+)?$/.test(value)) return undefined;
  return Number(value);
}

/** Reads the resize parameters of a step; values the engine cannot evaluate are reported as skipped. */
function readRequest(params: readonly Param[], source: Size, skipped: string[]) {
  const skip = (code: string) => {
    for (const p of params) if (p.code === code) skipped.push(written(p));
  };
  // w-auto (client hints) and arithmetic expressions such as iw_div_2 are not evaluated.
  const dimension = (code: 'w' | 'h', whole: number): number | undefined => {
    const raw = lastValue(params, code);
    if (raw === undefined) return undefined;
    const n = plainNumber(raw);
    if (n === undefined || n === 0) {
      skip(code);
      return undefined;
    }
    if (n > MAX_DIMENSION) return undefined;
    // "If a value between 0 and 1 is specified, it acts as a percentage" of the original.
    return n < 1 ? whole * n : n;
  };
  let width = dimension('w', source.width);
  let height = dimension('h', source.height);

  const ar = lastValue(params, 'ar');
  const ratio = ar ? /^(\d+(?:\.\d+)?)[-_](\d+(?:\.\d+)?)$/.exec(ar) : null;
  if (ar !== undefined && !ratio) skip('ar');
  // ar needs exactly one of w and h; "if you specify both h and w along with ar, the aspect ratio is ignored".
  if (ratio && (width === undefined) !== (height === undefined)) {
    const r = Number(ratio[1]) / Number(ratio[2]);
    if (width !== undefined) height = width / r;
    else width = height! * r;
  }

  const dprText = lastValue(params, 'dpr');
  const dpr = plainNumber(dprText);
  if (dprText !== undefined && (dpr === undefined || dpr < 0.1 || dpr > 5)) skip('dpr');
  else if (dpr !== undefined && (width !== undefined || height !== undefined)) {
    // "If the output image's height or width after considering the specified DPR is less than 1px or
    // greater than 5000px, the value of DPR is not considered."
    const scaled = [width, height].filter((d): d is number => d !== undefined).map((d) => d * dpr);
    if (scaled.every((d) => d >= 1 && d <= 5000)) {
      if (width !== undefined) width *= dpr;
      if (height !== undefined) height *= dpr;
    }
  }

  const crop = lastValue(params, 'c');
  if (crop !== undefined && !CROPS.has(crop ?? '')) skip('c');
  const cropMode = lastValue(params, 'cm');
  if (cropMode !== undefined && !CROP_MODES.has(cropMode ?? '')) skip('cm');

  const focusName = lastValue(params, 'fo');
  const smart = focusName === 'auto' || focusName === 'face';
  // fo-custom needs a focus area stored with the file, and fo-<object> needs object detection.
  if (focusName !== undefined && !smart && !anchorOf(focusName)) skip('fo');

  const zoom = plainNumber(lastValue(params, 'z'));
  return {
    width,
    height,
    crop: crop && CROPS.has(crop) ? crop : 'maintain_ratio',
    cropMode: cropMode && CROP_MODES.has(cropMode) ? cropMode : undefined,
    anchor: anchorOf(focusName) ?? ANCHORS.center!,
    smart,
    // "It determines how much to zoom in or out of the cropped area. It must be used along with fo-face."
    zoom: smart && zoom !== undefined && zoom > 0 ? zoom : 1,
    x: plainNumber(lastValue(params, 'x')),
    y: plainNumber(lastValue(params, 'y')),
    xc: plainNumber(lastValue(params, 'xc')),
    yc: plainNumber(lastValue(params, 'yc')),
  };
}

/** The part of one axis an extract copies: where it starts in the source and where it lands in the output. */
function extractAxis(size: number, target: number, anchor: number, pad: boolean, start?: number, centre?: number) {
  if (target > size) {
    // Extract cannot take more than there is; pad extract pads around the whole source instead.
    return pad ? { from: 0, length: size, to: Math.round((target - size) * anchor), output: target } : { from: 0, length: size, to: 0, output: size };
  }
  let from = Math.round((size - target) * anchor);
  if (start !== undefined) from = Math.min(start, size - target);
  if (centre !== undefined) {
    from = Math.round(centre - target / 2);
    // "If either the height or width dimension of the cropped image as per the given center coordinates
    // goes beyond the bounds of the original image, the crop will fail."
    if (from < 0 || from + target > size) throw new TransformError(400, 'The crop area given by xc/yc goes beyond the bounds of the image.');
  }
  return { from, length: target, to: 0, output: target };
}

/** A window of the given size scaled by `scale`, shrunk if needed to fit the source, keeping its aspect. */
function smartWindow(source: Size, size: Size, scale: number): Size {
  const fit = Math.min(source.width / size.width, source.height / size.height);
  const s = Math.min(fit, scale);
  return { width: px(size.width * s), height: px(size.height * s) };
}

/** Plans the resize and crop of one step on a source of the given size. */
export function planResize(params: readonly Param[], source: Size, skipped: string[]): ResizePlan {
  if (!params.some((p) => RESIZE_CODES.has(p.code))) return { kind: 'none' };
  const request = readRequest(params, source, skipped);
  const { width, height } = request;
  if (width === undefined && height === undefined) return { kind: 'none' };
  // "If only one of the height(h) or width(w) is specified, ImageKit.io adjusts the other dimension
  // accordingly to preserve aspect ratio and no cropping takes place."
  if (width === undefined || height === undefined) {
    const scale = width !== undefined ? width / source.width : height! / source.height;
    return { kind: 'scale', width: px(source.width * scale), height: px(source.height * scale) };
  }
  const W = px(width);
  const H = px(height);
  const fitScale = Math.min(W / source.width, H / source.height);

  if (request.cropMode === 'pad_resize') {
    const scaled = { width: px(source.width * fitScale), height: px(source.height * fitScale) };
    const offset = { left: Math.round((W - scaled.width) * request.anchor.x), top: Math.round((H - scaled.height) * request.anchor.y) };
    return { kind: 'pad', width: W, height: H, scaled, offset };
  }
  if (request.cropMode === 'extract' || request.cropMode === 'pad_extract') {
    if (request.smart) {
      // A zoom grows (z < 1) or shrinks (z > 1) the window, which is then scaled to the requested size;
      // without one the extract is unscaled, so a window clamped to a small source is the output.
      const window = smartWindow(source, { width: W, height: H }, 1 / request.zoom);
      return { kind: 'smart', window, ...(request.zoom === 1 ? window : { width: W, height: H }) };
    }
    const pad = request.cropMode === 'pad_extract';
    const x = extractAxis(source.width, W, request.anchor.x, pad, request.x, request.xc);
    const y = extractAxis(source.height, H, request.anchor.y, pad, request.y, request.yc);
    return {
      kind: 'region',
      width: x.output,
      height: y.output,
      source: { left: x.from, top: y.from, width: x.length, height: y.length },
      offset: { left: x.to, top: y.to },
    };
  }
  switch (request.crop) {
    case 'force':
      return { kind: 'scale', width: W, height: H };
    case 'at_max':
    case 'at_max_enlarge':
    case 'at_least': {
      // at_max never enlarges: that is what at_max_enlarge is for.
      const scale = request.crop === 'at_least' ? Math.max(W / source.width, H / source.height) : request.crop === 'at_max' ? Math.min(fitScale, 1) : fitScale;
      return { kind: 'scale', width: px(source.width * scale), height: px(source.height * scale) };
    }
    default:
      if (request.smart) {
        const cover = Math.min(source.width / W, source.height / H);
        return { kind: 'smart', window: smartWindow(source, { width: W, height: H }, cover / request.zoom), width: W, height: H };
      }
      return { kind: 'cover', width: W, height: H, anchor: request.anchor };
  }
}
