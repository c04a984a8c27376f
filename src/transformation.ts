import { InvalidInputError } from './errors.js';

/**
 * SDK transformation names and the ImageKit URL parameter each stands for.
 *
 * The first block is the Python SDK's table (the seed README); the second adds the names of the
 * current SDKs, so that options written for either generation work. Every snake_case name is also
 * accepted in camelCase (`aspect_ratio` and `aspectRatio`). The first name listed for a code is the
 * one `--explain` shows.
 */
const SNAKE_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['height', 'h'],
  ['width', 'w'],
  ['aspect_ratio', 'ar'],
  ['quality', 'q'],
  ['crop', 'c'],
  ['crop_mode', 'cm'],
  ['x', 'x'],
  ['y', 'y'],
  ['focus', 'fo'],
  ['format', 'f'],
  ['radius', 'r'],
  ['background', 'bg'],
  ['border', 'b'],
  ['rotation', 'rt'],
  ['blur', 'bl'],
  ['named', 'n'],
  ['progressive', 'pr'],
  ['lossless', 'lo'],
  ['trim', 't'],
  ['metadata', 'md'],
  ['color_profile', 'cp'],
  ['default_image', 'di'],
  ['dpr', 'dpr'],
  ['effect_sharpen', 'e-sharpen'],
  ['effect_usm', 'e-usm'],
  ['effect_contrast', 'e-contrast'],
  ['effect_gray', 'e-grayscale'],
  ['effect_shadow', 'e-shadow'],
  ['effect_gradient', 'e-gradient'],
  ['original', 'orig'],
  ['raw', 'raw'],
  // Names of the current SDKs and the legacy Node SDK's alias.
  ['rotate', 'rt'],
  ['x_center', 'xc'],
  ['y_center', 'yc'],
  ['opacity', 'o'],
  ['zoom', 'z'],
  ['page', 'pg'],
  ['flip', 'fl'],
  ['video_codec', 'vc'],
  ['audio_codec', 'ac'],
  ['start_offset', 'so'],
  ['end_offset', 'eo'],
  ['duration', 'du'],
  ['streaming_resolutions', 'sr'],
  ['grayscale', 'e-grayscale'],
  ['sharpen', 'e-sharpen'],
  ['unsharp_mask', 'e-usm'],
  ['contrast_stretch', 'e-contrast'],
  ['shadow', 'e-shadow'],
  ['gradient', 'e-gradient'],
  ['ai_upscale', 'e-upscale'],
  ['ai_retouch', 'e-retouch'],
  ['ai_variation', 'e-genvar'],
  ['ai_drop_shadow', 'e-dropshadow'],
  ['ai_change_background', 'e-changebg'],
  ['ai_remove_background', 'e-bgremove'],
  ['ai_remove_background_external', 'e-removedotbg'],
  ['ai_edit', 'e-edit'],
  ['color_replace', 'cr'],
  ['colorize', 'e-colorize'],
  ['distort', 'e-distort'],
  ['font_size', 'fs'],
  ['font_family', 'ff'],
  ['font_color', 'co'],
  ['color', 'co'],
  ['inner_alignment', 'ia'],
  ['padding', 'pa'],
  ['alpha', 'al'],
  ['typography', 'tg'],
  ['line_height', 'lh'],
  ['font_outline', 'fol'],
  ['font_shadow', 'fsh'],
  ['layer_mode', 'lm'],
];

const snakeToCamel = (name: string): string => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Every accepted name (snake_case, camelCase, and the legacy Node SDK's `effectUSM`) to its code. */
export const TRANSFORMATION_CODES: ReadonlyMap<string, string> = (() => {
  const codes = new Map<string, string>();
  for (const [snake, code] of SNAKE_NAMES) {
    codes.set(snake, code);
    codes.set(snakeToCamel(snake), code);
  }
  codes.set('effectUSM', 'e-usm');
  return codes;
})();

/** The SDK name `--explain` shows for each code: the first name listed for it. */
export const TRANSFORMATION_NAMES: ReadonlyMap<string, string> = (() => {
  const names = new Map<string, string>();
  for (const [snake, code] of SNAKE_NAMES) if (!names.has(code)) names.set(code, snake);
  return names;
})();

/** Looks a name up as the SDKs do: as given, then lower-cased; an unknown name is its own code. */
export function transformationCode(name: string): string {
  return TRANSFORMATION_CODES.get(name) ?? TRANSFORMATION_CODES.get(name.toLowerCase()) ?? name;
}

// `di` and `ff` take a file path, written with `@@` for `/` and without outer slashes.
const PATH_VALUED_CODES = new Set(['di', 'ff']);

function valueToString(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return value.join('_'); // streamingResolutions: ["240","360"] -> 240_360
  }
  throw new InvalidInputError(`transformation "${name}" has a value that is not a string or number: ${JSON.stringify(value)}`);
}

/** A step as ordered name/value pairs: the command line can give several raw pieces in one step. */
export type StepEntries = ReadonlyArray<readonly [string, unknown]>;

function buildStep(entries: StepEntries): string {
  const parts: string[] = [];
  for (const [name, rawValue] of entries) {
    if (rawValue === undefined || rawValue === null) continue;
    const code = transformationCode(name);
    let value = valueToString(name, rawValue);
    if (code === 'raw') {
      if (value !== '') parts.push(value);
      continue;
    }
    // "-" stands for the bare parameter (`e-sharpen`), as in the Python SDK; so does an empty value,
    // which the SDK would have written as a dangling `e-sharpen-`.
    if (value === '-' || value === '') {
      parts.push(code);
      continue;
    }
    if (PATH_VALUED_CODES.has(code)) value = value.replace(/^\/+|\/+$/g, '').replace(/\//g, '@@');
    parts.push(`${code}-${value}`);
  }
  return parts.join(',');
}

/** Joins built steps with `:`, skipping steps that produce nothing, so no `::` or trailing `:` appears. */
export function buildTransformationFromEntries(steps: ReadonlyArray<StepEntries>): string {
  return steps.map(buildStep).filter((text) => text !== '').join(':');
}

/**
 * Builds an ImageKit transformation string from the SDK's array-of-steps form:
 * `[{height: 300, width: 400}, {rotation: 90}]` gives `h-300,w-400:rt-90`.
 */
export function buildTransformationString(steps: unknown): string {
  if (steps === undefined || steps === null) return '';
  const list: unknown[] = Array.isArray(steps) ? steps : [steps];
  return buildTransformationFromEntries(
    list
      .filter((step) => step !== undefined && step !== null)
      .map((step) => {
        if (typeof step !== 'object' || Array.isArray(step)) {
          throw new InvalidInputError(`a transformation step must be an object of name/value pairs, got ${JSON.stringify(step)}`);
        }
        return Object.entries(step);
      }),
  );
}

const NAMED_ENTRY = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/**
 * Parses one command-line step: comma-separated entries, each `name=value` with an SDK name (any
 * other name passes through as `name-value`), or a raw ImageKit parameter such as `w-300` or a piece
 * of a layer (`l-text,i-Hi,l-end`), kept exactly as written and in place.
 */
export function parseStepArgument(text: string): StepEntries {
  const entries: Array<[string, string]> = [];
  for (const entry of text.split(',')) {
    const trimmed = entry.trim();
    if (trimmed === '') continue;
    const named = NAMED_ENTRY.exec(trimmed);
    entries.push(named ? [named[1]!, named[2]!] : ['raw', trimmed]);
  }
  if (entries.length === 0) throw new InvalidInputError(`empty transformation step "${text}"`);
  return entries;
}

// Parameters that appear only inside layers, named for `--explain`.
const LAYER_PARAMETER_NAMES: ReadonlyMap<string, string> = new Map([
  ['i', 'input'],
  ['ie', 'input_base64'],
  ['lx', 'layer_x'],
  ['ly', 'layer_y'],
  ['lxc', 'layer_x_center'],
  ['lyc', 'layer_y_center'],
  ['lfo', 'layer_focus'],
  ['lap', 'layer_anchor_point'],
  ['lso', 'layer_start_offset'],
  ['leo', 'layer_end_offset'],
  ['ldu', 'layer_duration'],
]);

/** One parameter of a transformation string, for `--explain`. */
export interface ExplainedParameter {
  step: number;
  code: string;
  name: string | null;
  value: string | null;
  /** Nesting depth inside layers (`l-...` to `l-end`); 0 at the top level. */
  layer: number;
}

function splitParameter(parameter: string): { code: string; value: string | null } {
  // Effects are named `e-<effect>` and take their value after a second dash: e-sharpen-10.
  const match = /^(e-[a-z]+|[a-z]+)(?:-(.*))?$/s.exec(parameter);
  if (!match) return { code: parameter, value: null };
  return { code: match[1]!, value: match[2] ?? null };
}

/**
 * Explains a transformation string parameter by parameter. A `:` starts a new chained step, except
 * inside a layer (`l-<kind>` ... `l-end`), where it chains the layer's own steps.
 */
export function explainTransformationString(transformation: string): ExplainedParameter[] {
  const explained: ExplainedParameter[] = [];
  let step = 1;
  let depth = 0;
  for (const match of transformation.matchAll(/([^,:]*)([,:]|$)/g)) {
    const [, piece, separator] = match as unknown as [string, string, string];
    if (piece !== '') {
      const { code, value } = splitParameter(piece);
      const isLayerEnd = code === 'l' && value === 'end';
      if (isLayerEnd) depth = Math.max(0, depth - 1);
      const name = code === 'l' ? (isLayerEnd ? 'layer_end' : 'layer') : TRANSFORMATION_NAMES.get(code) ?? LAYER_PARAMETER_NAMES.get(code) ?? null;
      explained.push({ step, code, name, value, layer: depth });
      if (code === 'l' && !isLayerEnd) depth++;
    }
    if (separator === ':' && depth === 0) step++;
    if (separator === '') break;
  }
  return explained;
}
