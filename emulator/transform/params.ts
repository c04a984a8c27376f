/**
 * Reads delivery transformation strings into chained steps and layers, with the core's parser
 * (`explainTransformationString`) splitting each parameter into code and value, so that a URL built by
 * `imagekit url` is read exactly as `--explain` reads it. Named transformations are expanded here, and
 * every code is checked: unknown codes and unknown names are refused as the service refuses them.
 */
import { explainTransformationString, TRANSFORMATION_NAMES } from '../../src/transformation.js';
import { TransformError } from './errors.js';

export interface Param {
  code: string;
  /** The text after the code's dash (`5_FF0000` for `b-5_FF0000`); null for a bare code (`e-grayscale`). */
  value: string | null;
}

/** One step of a chain (`w-300,h-200` in `w-300,h-200:rt-90`): its parameters and the layers drawn on it. */
export interface Step {
  params: Param[];
  layers: Layer[];
}

/** A layer (`l-<kind>` ... `l-end`): its own chain of steps, with its input and position among their params. */
export interface Layer {
  kind: string;
  steps: Step[];
}

/** Codes that only occur inside layers (the core names them for `--explain` but keeps the table private). */
export const LAYER_CODES: ReadonlySet<string> = new Set(['l', 'i', 'ie', 'lx', 'ly', 'lxc', 'lyc', 'lfo', 'lap', 'lso', 'leo', 'ldu', 'lm']);

/** Resolves `n-<name>` to the transformation string saved under that name, or undefined when there is none. */
export type NamedTransformations = (name: string) => string | undefined;

interface Piece extends Param {
  /** The separator before this parameter: `:` chains a new step, `,` continues the step. */
  chained: boolean;
}

// A named transformation may itself use names; this bounds a loop of names referring to each other.
const MAX_NAME_DEPTH = 5;

function tokenize(transformation: string): Piece[] {
  const text = transformation.replace(/^tr:/, '');
  const explained = explainTransformationString(text);
  // The core reports code and value per parameter; the separators before them come from the same
  // split on `,` and `:` (empty pieces are skipped by both), so the two lists line up one to one.
  const separators = [...text.matchAll(/([,:]*)([^,:]+)/g)].map((match) => match[1]!.includes(':'));
  return explained.map((p, index) => ({ code: p.code, value: p.value, chained: separators[index] ?? false }));
}

function expandNames(pieces: Piece[], named: NamedTransformations | undefined, depth: number): Piece[] {
  return pieces.flatMap((piece) => {
    if (piece.code !== 'n') return [piece];
    const saved = piece.value === null ? undefined : named?.(piece.value);
    // "URLs containing non-existent named transformation keys will return an error response with 400
    // status code" (docs.imagekit.io/features/named-transformations).
    if (saved === undefined) throw new TransformError(400, `Named transformation "${piece.value ?? ''}" does not exist.`);
    if (depth >= MAX_NAME_DEPTH) throw new TransformError(400, `Named transformation "${piece.value}" refers to names too deeply.`);
    const expanded = expandNames(tokenize(saved), named, depth + 1);
    if (expanded[0]) expanded[0] = { ...expanded[0], chained: piece.chained };
    return expanded;
  });
}

function checkCode(code: string): void {
  if (!TRANSFORMATION_NAMES.has(code) && !LAYER_CODES.has(code)) {
    throw new TransformError(400, `Invalid transformation parameter "${code}".`);
  }
}

const newStep = (): Step => ({ params: [], layers: [] });

/**
 * Parses the transformations of one request (path first, then query, as they are chained) into steps.
 * Throws a TransformError (400) for an unknown parameter, an unknown named transformation, or an
 * unbalanced `l-`/`l-end`.
 */
export function parseTransformation(transformations: readonly string[], named?: NamedTransformations): Step[] {
  const pieces = expandNames(transformations.flatMap((text, index) => {
    const tokens = tokenize(text);
    // The path's and the query's transformations are two links of one chain.
    if (index > 0 && tokens[0]) tokens[0] = { ...tokens[0], chained: true };
    return tokens;
  }), named, 0);

  const root: Step[] = [];
  // Open chains, innermost last: the request's own, then one per open layer.
  const chains: Step[][] = [root];
  for (const piece of pieces) {
    checkCode(piece.code);
    const chain = chains[chains.length - 1]!;
    if (piece.code === 'l' && piece.value === 'end') {
      if (chains.length === 1) throw new TransformError(400, 'Invalid transformation: "l-end" without a layer.');
      chains.pop();
      continue;
    }
    if (chain.length === 0 || piece.chained) chain.push(newStep());
    const step = chain[chain.length - 1]!;
    if (piece.code === 'l') {
      const layer: Layer = { kind: piece.value ?? '', steps: [] };
      step.layers.push(layer);
      chains.push(layer.steps);
    } else {
      step.params.push({ code: piece.code, value: piece.value });
    }
  }
  if (chains.length > 1) throw new TransformError(400, 'Invalid transformation: a layer is missing its "l-end".');
  return root;
}

/** The last value given for a code in a step (a repeated parameter overrides the earlier one). */
export function lastValue(params: readonly Param[], code: string): string | null | undefined {
  for (let i = params.length - 1; i >= 0; i--) if (params[i]!.code === code) return params[i]!.value;
  return undefined;
}

/** The parameter as written in the URL, for the skipped list. */
export const written = (p: Param): string => (p.value === null ? p.code : `${p.code}-${p.value}`);
