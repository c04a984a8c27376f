/**
 * What every route handler is given besides its request: one explicit context, built once by
 * startEmulator, so that a route table can be imported and tested alone with a context of its own.
 */
import { route as serverRoute, type PathParams, type Route, type RouteHandler } from '../server/router.js';
import type { FaultSettings } from '../server/faults.js';
import type { MediaStore } from '../store/media-store.js';
import type { UploadPlan } from './upload-limits.js';
import type { DerivedImages } from './derived-images.js';

/** The settings that `configure()` may change while running: read at each use, never copied. */
export interface EmulatorSettings extends FaultSettings {
  /** Milliseconds added before every answer. */
  latencyMs: number;
  /** How long bulk jobs and purges stay Pending. */
  jobDurationMs: number;
}

export interface EmulatorContext {
  store: MediaStore;
  /** The emulator's clock (milliseconds): timestamps, expiries, job and purge completion. */
  now: () => number;
  settings: EmulatorSettings;
  /** `<origin>/<imagekitId>`: where stored files are delivered. */
  urlEndpoint: string;
  imagekitId: string;
  privateKey: string;
  publicKey: string;
  /** The plan whose upload limits apply. */
  plan: UploadPlan;
  /** Timers that apply pending bulk jobs; stopped on close, after which no job is applied any more. */
  jobTimers: { pending: Set<NodeJS.Timeout>; stopped: boolean };
  /** Transformed images of delivery: the engine, its cache and its limit on concurrent work. */
  derivedImages: DerivedImages;
}

export type EmulatorRoute = Route<EmulatorContext>;

/** Declares a route of the emulator; `:name` segments of the path become typed params. */
export const route = <P extends string>(method: EmulatorRoute['method'], path: P, handle: RouteHandler<EmulatorContext, PathParams<P>>) =>
  serverRoute<EmulatorContext, P>(method, path, handle);

/** The clock's time as a Date, for timestamps. */
export const dateNow = (context: Pick<EmulatorContext, 'now'>) => new Date(context.now());
