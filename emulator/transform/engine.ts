/**
 * The emulator's transformation engine: applies an ImageKit transformation (path and query parts,
 * chained steps, layers, named transformations) to an image's bytes with sharp, following ImageKit's
 * documentation for each parameter, and encodes the result in the negotiated format. Parameters it
 * knows but does not apply are returned in `skipped` rather than failing the request.
 *
 * Within a step the work runs in this order: trim, EXIF orientation (rt-auto), resize and crop,
 * rotation, flip, effects (in URL order), border, radius, background, then the step's layers.
 */
import sharp, { type Metadata, type Sharp } from 'sharp';
import { parseColour, type Rgba } from './colour.js';
import { TransformError } from './errors.js';
import { acceptedModernFormat, chooseFormat, CONTENT_TYPES, encode, formatRequest, writableFormat, type FormatRequest, type OutputFormat } from './format.js';
import { anchorOf, planResize, type Anchor, type ResizePlan, type Size } from './geometry.js';
import { lastValue, parseTransformation, written, type Layer, type NamedTransformations, type Param, type Step } from './params.js';
import { parsePadding, renderText } from './text.js';

/**
 * "Image resolution (input or transformed): 100 MP" is ImageKit's default limit; going over it answers
 * 400 with an `ik-error: ELIMIT - ...` header (docs.imagekit.io/limits-and-troubleshooting/limits and
 * .../404-not-found-error-troubleshooting).
 */
export const IMAGEKIT_MAX_PIXELS = 100_000_000;

export interface TransformOptions {
  /** The request's `Accept` header, for `f-auto` (and the default format). */
  accept?: string;
  /** Resolves `n-<name>`; without it every named transformation is unknown (a 400). */
  namedTransformations?: NamedTransformations;
  /** Reads a stored file by its path (`/folder/logo.png`) for image layers; undefined when there is none. */
  loadImage: (path: string) => Promise<Buffer | undefined>;
  /** Largest input, intermediate or output image, in pixels; IMAGEKIT_MAX_PIXELS by default. */
  maxPixels?: number;
}

export interface TransformResult {
  body: Buffer;
  contentType: string;
  width: number;
  height: number;
  /** Parameters as written (`e-bgremove`, `w-iw_div_2`, `l-video`) that were accepted but not applied. */
  skipped: string[];
  /** The format came from the `Accept` header: the response must say `Vary: Accept`. */
  varyAccept: boolean;
}

/** An image between operations: encoded bytes (an input) or raw pixels. */
interface Picture extends Size {
  data: Buffer;
  raw?: { width: number; height: number; channels: 1 | 2 | 3 | 4 };
  channels: number;
  /** The EXIF orientation of the input it came from, until rt-auto applies it (raw pixels carry no tag). */
  orientation: number;
}

interface Context {
  options: TransformOptions;
  maxPixels: number;
  skipped: string[];
}

const BLACK: Rgba = { r: 0, g: 0, b: 0, alpha: 1 };
const WHITE: Rgba = { r: 255, g: 255, b: 255, alpha: 1 };
const TRANSPARENT: Rgba = { r: 0, g: 0, b: 0, alpha: 0 };

// Codes a step consumes; output settings (f, q, pr, lo, orig) are read once for the whole request, and
// `di` (default image) is the delivery route's business, as it only matters when the file is missing.
const STEP_CODES = new Set(['w', 'h', 'ar', 'dpr', 'c', 'cm', 'fo', 'x', 'y', 'xc', 'yc', 'z', 't', 'rt', 'fl', 'bl', 'e-grayscale', 'e-contrast', 'e-sharpen', 'e-usm', 'b', 'r', 'bg', 'f', 'q', 'pr', 'lo', 'orig', 'di']);
const LAYER_POSITION_CODES = new Set(['i', 'ie', 'lx', 'ly', 'lxc', 'lyc', 'lfo']);
const TEXT_STYLE_CODES = new Set(['fs', 'co', 'bg', 'pa', 'w', 'ia', 'tg']);
// `bg-` values that need image analysis or AI.
const SPECIAL_BACKGROUND = /^(dominant|gradient_dominant|blurred|genfill)/;

const open = (picture: Picture): Sharp => (picture.raw ? sharp(picture.data, { raw: picture.raw }) : sharp(picture.data));

/** Runs one operation and keeps its pixels raw, so the next operation starts from exactly this result. */
async function run(picture: Picture, operation: (image: Sharp) => Sharp): Promise<Picture> {
  return rawPicture(operation(open(picture)), picture.orientation);
}

async function rawPicture(image: Sharp, orientation: number): Promise<Picture> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  return { data, raw, width: info.width, height: info.height, channels: info.channels, orientation };
}

/** A picture of one colour (solid layers, and borders wider than the image). */
const solid = (size: Size, background: Rgba | string): Promise<Picture> =>
  rawPicture(sharp({ create: { width: size.width, height: size.height, channels: 4, background } }), 1);

function skip(ctx: Context, param: Param): void {
  ctx.skipped.push(written(param));
}

function checkPixels(size: Size, ctx: Context): void {
  if (size.width * size.height > ctx.maxPixels) {
    throw new TransformError(400, `The image resolution ${size.width}x${size.height} exceeds the limit of ${ctx.maxPixels / 1_000_000} MP.`, 'ELIMIT');
  }
}

async function fromEncoded(data: Buffer, ctx: Context): Promise<{ picture: Picture; format?: string; hasAlpha: boolean }> {
  let metadata: Metadata;
  try {
    metadata = await sharp(data).metadata();
  } catch {
    throw new TransformError(400, 'The requested file is not an image that can be transformed.');
  }
  const picture = { data, width: metadata.width, height: metadata.height, channels: metadata.channels, orientation: metadata.orientation ?? 1 };
  checkPixels(picture, ctx);
  return { picture, format: metadata.format, hasAlpha: metadata.hasAlpha };
}

const plainNumber = (value: string | null | undefined): number | undefined => (value && /^\d+(\.\d+)?$/.test(value) ? Number(value) : undefined);

/** `N35` is -35 in ImageKit's URL syntax. */
const signedNumber = (value: string | null | undefined): number | undefined => {
  const match = value ? /^(N?)(\d+(?:\.\d+)?)$/.exec(value) : null;
  return match ? (match[1] ? -1 : 1) * Number(match[2]) : undefined;
};

const hasAlphaChannel = (picture: Picture): boolean => picture.channels === 2 || picture.channels === 4;

/** Whether any pixel of a raw picture is not fully opaque. */
function isTransparent(picture: Picture): boolean {
  if (!picture.raw || !hasAlphaChannel(picture)) return false;
  const { channels } = picture.raw;
  for (let i = channels - 1; i < picture.data.length; i += channels) if (picture.data[i]! < 255) return true;
  return false;
}

/** sharp's position for an anchor: `left top`, `centre`, ... */
function gravity(anchor: Anchor): string {
  const x = anchor.x === 0 ? 'left' : anchor.x === 1 ? 'right' : '';
  const y = anchor.y === 0 ? 'top' : anchor.y === 1 ? 'bottom' : '';
  return [x, y].filter(Boolean).join(' ') || 'centre';
}

/** The background colour of a step (`bg-`), or undefined; analysis-based values are skipped. */
function readBackground(params: readonly Param[], ctx: Context): Rgba | string | undefined {
  const value = lastValue(params, 'bg');
  if (!value) return undefined;
  if (SPECIAL_BACKGROUND.test(value)) {
    ctx.skipped.push(`bg-${value}`);
    return undefined;
  }
  return parseColour(value);
}

async function trimEdges(picture: Picture, value: string, ctx: Context): Promise<Picture> {
  const threshold = value === 'true' ? undefined : plainNumber(value);
  if (value !== 'true' && (threshold === undefined || threshold < 1 || threshold > 99)) {
    ctx.skipped.push(`t-${value}`);
    return picture;
  }
  try {
    return await run(picture, (image) => image.trim(threshold === undefined ? {} : { threshold }));
  } catch {
    // libvips finds nothing to keep in a single-colour image: nothing is trimmed then.
    return picture;
  }
}

/** rt-auto: applies the input's EXIF orientation (1-8) to pixels that no longer carry the tag. */
async function orient(picture: Picture): Promise<Picture> {
  const { orientation } = picture;
  const turns: Record<number, number> = { 3: 180, 5: 90, 6: 90, 7: 270, 8: 270 };
  let result = picture;
  if (turns[orientation]) result = await run(result, (image) => image.rotate(turns[orientation]));
  if (orientation === 2 || orientation === 5 || orientation === 7) result = await run(result, (image) => image.flop());
  if (orientation === 4) result = await run(result, (image) => image.flip());
  return { ...result, orientation: 1 };
}

/** fo-auto / fo-face: sharp's attention strategy picks the window, one axis at a time, without scaling. */
async function smartWindow(picture: Picture, window: Size): Promise<Picture> {
  let result = picture;
  const attention = { fit: 'cover' as const, position: sharp.strategy.attention };
  if (window.height < result.height) {
    const width = result.width;
    result = await run(result, (image) => image.resize(width, window.height, attention));
  }
  if (window.width < result.width) result = await run(result, (image) => image.resize(window.width, window.height, attention));
  return result;
}

async function resize(picture: Picture, plan: ResizePlan, background: Rgba | string | undefined): Promise<Picture> {
  // "Default Value - Black 00000" for bg (resize-crop-and-other-transformations#background-color-bg).
  const fill = background ?? BLACK;
  switch (plan.kind) {
    case 'none':
      return picture;
    case 'scale':
      return run(picture, (image) => image.resize(plan.width, plan.height, { fit: 'fill' }));
    case 'cover':
      return run(picture, (image) => image.resize(plan.width, plan.height, { fit: 'cover', position: gravity(plan.anchor) }));
    case 'smart': {
      const window = await smartWindow(picture, plan.window);
      if (window.width === plan.width && window.height === plan.height) return window;
      return run(window, (image) => image.resize(plan.width, plan.height, { fit: 'fill' }));
    }
    case 'pad': {
      const { scaled, offset } = plan;
      const extension = { left: offset.left, top: offset.top, right: plan.width - scaled.width - offset.left, bottom: plan.height - scaled.height - offset.top };
      return run(picture, (image) => image.resize(scaled.width, scaled.height, { fit: 'fill' }).extend({ ...extension, background: fill }));
    }
    case 'region': {
      const { source, offset } = plan;
      const extension = { left: offset.left, top: offset.top, right: plan.width - source.width - offset.left, bottom: plan.height - source.height - offset.top };
      return run(picture, (image) => image.extract(source).extend({ ...extension, background: fill }));
    }
  }
}

async function rotate(picture: Picture, value: string, background: Rgba | string | undefined, ctx: Context): Promise<Picture> {
  const degrees = signedNumber(value);
  if (degrees === undefined) {
    ctx.skipped.push(`rt-${value}`);
    return picture;
  }
  if (degrees % 360 === 0) return picture;
  if (degrees % 90 === 0) return run(picture, (image) => image.rotate(degrees));
  // The corners a free rotation uncovers take bg, else stay transparent.
  const base = background || hasAlphaChannel(picture) ? picture : await run(picture, (image) => image.ensureAlpha());
  return run(base, (image) => image.rotate(degrees, { background: background ?? TRANSPARENT }));
}

async function flipImage(picture: Picture, value: string | null, ctx: Context): Promise<Picture> {
  switch (value) {
    case 'h':
      return run(picture, (image) => image.flop());
    case 'v':
      return run(picture, (image) => image.flip());
    case 'h_v':
    case 'v_h':
      return run(picture, (image) => image.flip().flop());
    default:
      ctx.skipped.push(`fl-${value ?? ''}`);
      return picture;
  }
}

// Luminance weights (Rec. 709): greyscale kept as three channels, so later colours (borders, layers) stay colours.
const GREY: [number, number, number] = [0.2126, 0.7152, 0.0722];

async function applyEffect(picture: Picture, param: Param, ctx: Context): Promise<Picture> {
  const { code, value } = param;
  if (code === 'e-grayscale') return run(picture, (image) => image.recomb([GREY, GREY, GREY]));
  if (code === 'e-contrast') return run(picture, (image) => image.normalise());
  if (code === 'bl') {
    // "Possible values include integers between 1 and 100" for the radius of the Gaussian blur.
    const radius = plainNumber(value);
    if (radius === undefined || radius < 1 || radius > 100) {
      skip(ctx, param);
      return picture;
    }
    return run(picture, (image) => image.blur(Math.max(0.3, radius / 2)));
  }
  if (code === 'e-sharpen') {
    const amount = value === null ? undefined : plainNumber(value);
    if (value !== null && amount === undefined) {
      skip(ctx, param);
      return picture;
    }
    return run(picture, (image) => image.sharpen({ sigma: amount === undefined ? 1 : Math.min(10, Math.max(0.3, amount / 10)) }));
  }
  if (code === 'e-usm') {
    // e-usm-<radius>-<sigma>-<amount>-<threshold>; sharp has no radius, and takes the threshold in L* units.
    const parts = (value ?? '').split('-').map(Number);
    if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n) || n < 0)) {
      skip(ctx, param);
      return picture;
    }
    const [, sigma, amount, threshold] = parts as [number, number, number, number];
    return run(picture, (image) => image.sharpen({ sigma: Math.max(0.3, sigma), m1: amount, m2: amount, x1: threshold * 100 }));
  }
  return picture;
}

/** `b-<width>_<colour>`, drawn over the outer pixels so the requested size is kept. */
async function border(picture: Picture, value: string, ctx: Context): Promise<Picture> {
  const match = /^(\d+)_(.+)$/.exec(value);
  if (!match) {
    ctx.skipped.push(`b-${value}`);
    return picture;
  }
  const width = Number(match[1]);
  const colour = parseColour(match[2]!);
  if (width === 0) return picture;
  if (2 * width >= picture.width || 2 * width >= picture.height) return solid(picture, colour);
  const inner = { left: width, top: width, width: picture.width - 2 * width, height: picture.height - 2 * width };
  return run(picture, (image) => image.extract(inner).extend({ top: width, bottom: width, left: width, right: width, background: colour }));
}

/** `r-<n>`, `r-<tl>_<tr>_<br>_<bl>` or `r-max` (a circle or an oval): corners become transparent. */
async function roundCorners(picture: Picture, value: string, ctx: Context): Promise<Picture> {
  const { width: w, height: h } = picture;
  let shape: string;
  if (value === 'max') {
    shape = `<ellipse cx="${w / 2}" cy="${h / 2}" rx="${w / 2}" ry="${h / 2}"/>`;
  } else if (/^\d+(_\d+){3}$/.test(value) || /^\d+$/.test(value)) {
    const parts = value.split('_').map((n) => Math.min(Number(n), Math.min(w, h) / 2));
    const [tl, tr, br, bl] = parts.length === 4 ? (parts as [number, number, number, number]) : [parts[0]!, parts[0]!, parts[0]!, parts[0]!];
    shape = `<path d="M${tl},0 H${w - tr} A${tr},${tr} 0 0 1 ${w},${tr} V${h - br} A${br},${br} 0 0 1 ${w - br},${h} H${bl} A${bl},${bl} 0 0 1 0,${h - bl} V${tl} A${tl},${tl} 0 0 1 ${tl},0 Z"/>`;
  } else {
    ctx.skipped.push(`r-${value}`);
    return picture;
  }
  const mask = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${shape.replace('/>', ' fill="#fff"/>')}</svg>`);
  const withAlpha = hasAlphaChannel(picture) ? picture : await run(picture, (image) => image.ensureAlpha());
  return run(withAlpha, (image) => image.composite([{ input: mask, blend: 'dest-in' }]));
}

/** Transparent areas take the step's `bg-` colour ("Specifying a background for a PNG image"). */
async function fillBackground(picture: Picture, background: Rgba | string): Promise<Picture> {
  if (!hasAlphaChannel(picture)) return picture;
  const canvas = sharp({ create: { width: picture.width, height: picture.height, channels: 4, background } });
  return run(picture, () => canvas.composite([{ input: picture.data, ...(picture.raw ? { raw: picture.raw } : {}) }]));
}

/** Applies one step (its parameters, then its layers) to a picture. */
async function applyStep(start: Picture, step: Step, ctx: Context): Promise<Picture> {
  const { params } = step;
  for (const p of params) if (!STEP_CODES.has(p.code)) skip(ctx, p);
  const background = readBackground(params, ctx);
  let picture = start;

  const trim = lastValue(params, 't');
  if (trim !== undefined && trim !== null && trim !== 'false') picture = await trimEdges(picture, trim, ctx);
  const rotation = lastValue(params, 'rt');
  if (rotation === 'auto') picture = await orient(picture);
  const plan = planResize(params, picture, ctx.skipped);
  if (plan.kind !== 'none') checkPixels(plan, ctx);
  picture = await resize(picture, plan, background);
  if (rotation && rotation !== 'auto') picture = await rotate(picture, rotation, background, ctx);
  const flip = lastValue(params, 'fl');
  if (flip !== undefined) picture = await flipImage(picture, flip, ctx);
  for (const param of params) picture = await applyEffect(picture, param, ctx);
  const borderValue = lastValue(params, 'b');
  if (borderValue) picture = await border(picture, borderValue, ctx);
  const radius = lastValue(params, 'r');
  if (radius) picture = await roundCorners(picture, radius, ctx);
  if (background) picture = await fillBackground(picture, background);
  for (const layer of step.layers) picture = await drawLayer(picture, layer, ctx);
  checkPixels(picture, ctx);
  return picture;
}

function decodeValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A layer's input: `ie-` (base64) wins over `i-` ("In case both i and ie are present, i is ignored"). */
function layerInput(params: readonly Param[]): string | undefined {
  const encoded = lastValue(params, 'ie');
  if (encoded) return Buffer.from(decodeValue(encoded), 'base64').toString('utf8');
  const plain = lastValue(params, 'i');
  return plain ? decodeValue(plain) : undefined;
}

/** Runs a layer's own chain on its picture; position, input and the given style codes are not step parameters. */
async function applyLayerSteps(picture: Picture, layer: Layer, consumed: ReadonlySet<string>, ctx: Context): Promise<Picture> {
  let result = picture;
  for (const step of layer.steps) {
    const params = step.params.filter((p) => !LAYER_POSITION_CODES.has(p.code) && !consumed.has(p.code));
    result = await applyStep(result, { params, layers: step.layers }, ctx);
  }
  return result;
}

async function textLayer(layer: Layer, params: readonly Param[], ctx: Context): Promise<Picture | undefined> {
  const text = layerInput(params);
  if (text === undefined) throw new TransformError(400, 'A text layer needs an input: i-<text> or ie-<base64 text>.');
  const typography = (lastValue(params, 'tg') ?? '').split('_');
  const align = lastValue(params, 'ia');
  const png = await renderText(text, {
    fontSize: plainNumber(lastValue(params, 'fs')) ?? 45,
    colour: parseColour(lastValue(params, 'co') ?? '000000'),
    background: readBackground(params, ctx),
    padding: parsePadding(lastValue(params, 'pa') ?? '0') ?? [0, 0, 0, 0],
    wrapWidth: plainNumber(lastValue(params, 'w')),
    align: align === 'left' || align === 'right' ? align : 'center',
    bold: typography.includes('b'),
    italic: typography.includes('i'),
  });
  if (!png) {
    ctx.skipped.push('l-text');
    return undefined;
  }
  const { picture } = await fromEncoded(png, ctx);
  return applyLayerSteps(picture, layer, TEXT_STYLE_CODES, ctx);
}

async function imageLayer(layer: Layer, params: readonly Param[], base: Size, ctx: Context): Promise<Picture> {
  const input = layerInput(params);
  if (input === undefined) throw new TransformError(400, 'An image layer needs an input: i-<path> or ie-<base64 path>.');
  const path = input.replace(/@@/g, '/').replace(/^\/+/, '');
  if (path === 'ik_canvas') {
    // A solid colour block: its size and colour are w, h and bg of the layer (the base's size by default).
    const width = plainNumber(lastValue(params, 'w')) ?? base.width;
    const height = plainNumber(lastValue(params, 'h')) ?? base.height;
    const background = readBackground(params, ctx) ?? BLACK;
    checkPixels({ width, height }, ctx);
    const block = await solid({ width, height }, background);
    return applyLayerSteps(block, layer, new Set(['w', 'h', 'bg']), ctx);
  }
  const bytes = await ctx.options.loadImage(`/${path}`);
  if (!bytes) throw new TransformError(400, `The layer image "/${path}" does not exist.`);
  let { picture } = await fromEncoded(bytes, ctx);
  // "By default, ImageKit.io trims the overlay image before overlaying it on the base image ... use t-false".
  if (!params.some((p) => p.code === 't')) picture = await trimEdges(picture, 'true', ctx);
  return applyLayerSteps(picture, layer, new Set(), ctx);
}

/** Where a layer goes on its parent: lx/ly (N from the far edge), lxc/lyc (centre), else lfo (default center). */
function placeLayer(base: Size, layer: Size, params: readonly Param[]): { left: number; top: number } {
  const axis = (size: number, own: number, start?: number, centre?: number): number | undefined => {
    if (start !== undefined) return start >= 0 ? start : size - own + start;
    if (centre !== undefined) return Math.round(centre - own / 2);
    return undefined;
  };
  const left = axis(base.width, layer.width, signedNumber(lastValue(params, 'lx')), signedNumber(lastValue(params, 'lxc')));
  const top = axis(base.height, layer.height, signedNumber(lastValue(params, 'ly')), signedNumber(lastValue(params, 'lyc')));
  // "If one or both of lx and ly parameters are specified along with lfo, then lfo parameter is ignored."
  const anchor = left === undefined && top === undefined ? anchorOf(lastValue(params, 'lfo')) ?? { x: 0.5, y: 0.5 } : { x: 0, y: 0 };
  // "If the lx or ly value exceeds the dimensions of the input image, the values are adjusted to fit within the image."
  const fit = (position: number, size: number, own: number) => Math.min(Math.max(position, Math.min(0, size - own)), Math.max(0, size - own));
  return {
    left: fit(left ?? Math.round((base.width - layer.width) * anchor.x), base.width, layer.width),
    top: fit(top ?? Math.round((base.height - layer.height) * anchor.y), base.height, layer.height),
  };
}

async function drawLayer(base: Picture, layer: Layer, ctx: Context): Promise<Picture> {
  const params = layer.steps.flatMap((step) => step.params);
  for (const p of params) if (['lap', 'lm', 'lso', 'leo', 'ldu'].includes(p.code)) skip(ctx, p);
  if (layer.kind !== 'image' && layer.kind !== 'text') {
    ctx.skipped.push(`l-${layer.kind}`);
    return base;
  }
  const overlay = layer.kind === 'text' ? await textLayer(layer, params, ctx) : await imageLayer(layer, params, base, ctx);
  if (!overlay) return base;
  const { left, top } = placeLayer(base, overlay, params);
  // A layer larger than its parent is cut to the part that falls on it.
  const visible = { left: Math.max(0, -left), top: Math.max(0, -top), width: Math.min(overlay.width, base.width), height: Math.min(overlay.height, base.height) };
  const cut = visible.width === overlay.width && visible.height === overlay.height ? overlay : await run(overlay, (image) => image.extract(visible));
  return run(base, (image) => image.composite([{ input: cut.data, raw: cut.raw, left: Math.max(0, left), top: Math.max(0, top) }]));
}

/**
 * Applies the transformations of one delivery request (the path's `tr:` part, then the query's `tr`,
 * each as it appears in the URL, still percent-encoded) to an image. Throws TransformError for what the
 * service refuses (unknown parameter or named transformation: 400; over the pixel limit: 400 ELIMIT).
 */
export async function transformImage(input: Buffer, transformations: readonly string[], options: TransformOptions): Promise<TransformResult> {
  const steps = parseTransformation(transformations, options.namedTransformations);
  const ctx: Context = { options, maxPixels: options.maxPixels ?? IMAGEKIT_MAX_PIXELS, skipped: [] };
  const source = await fromEncoded(input, ctx);
  const requestParams = steps.flatMap((step) => step.params);
  // "If there are any other transformation parameters specified along with orig-true, then those get ignored."
  if (lastValue(requestParams, 'orig') === 'true') {
    const format = writableFormat(source.format);
    const contentType = format ? CONTENT_TYPES[format] : `image/${source.format ?? 'octet-stream'}`;
    return { body: input, contentType, width: source.picture.width, height: source.picture.height, skipped: [], varyAccept: false };
  }

  let picture = source.picture;
  for (const step of steps) picture = await applyStep(picture, step, ctx);

  const formatText = lastValue(requestParams, 'f');
  let request: FormatRequest | undefined = formatRequest(formatText);
  // "Conversions to GIF using f-gif works only when the input image is GIF as well."
  if (formatText !== undefined && (request === undefined || (request === 'gif' && source.format !== 'gif'))) {
    ctx.skipped.push(`f-${formatText ?? ''}`);
    request = undefined;
  }
  // Without f-, ImageKit's default: "Default Value - auto (from dashboard settings)".
  request ??= 'auto';
  const accepted = acceptedModernFormat(options.accept);
  const hasAlpha = picture.raw ? isTransparent(picture) : source.hasAlpha;
  const format: OutputFormat = chooseFormat(request, accepted, source.format, hasAlpha);

  const quality = plainNumber(lastValue(requestParams, 'q'));
  const lastBackground = [...steps].reverse().map((step) => lastValue(step.params, 'bg')).find((value) => value && !SPECIAL_BACKGROUND.test(value));
  const { data, info } = await encode(open(picture), format, {
    quality: quality !== undefined && quality >= 1 && quality <= 100 ? Math.round(quality) : 80,
    progressive: lastValue(requestParams, 'pr') === 'true',
    lossless: lastValue(requestParams, 'lo') === 'true',
    flattenOnto: lastBackground ? parseColour(lastBackground) : WHITE,
  }).toBuffer({ resolveWithObject: true });
  checkPixels(info, ctx);
  return {
    body: data,
    contentType: CONTENT_TYPES[format],
    width: info.width,
    height: info.height,
    skipped: [...new Set(ctx.skipped)],
    varyAccept: request === 'auto',
  };
}
