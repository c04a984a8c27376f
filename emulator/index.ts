/**
 * A local stand-in for ImageKit: the API (`/v1/**`), the upload API (`/api/v1/files/upload`) and the
 * delivery of stored files under its URL endpoint, all on one origin. Rate limits, faults and latency
 * can be switched on to rehearse what clients do under stress. What it acknowledges survives a crash,
 * and one emulator at a time uses a data folder. This file wires the parts together: the store, the
 * context every route is given, the route tables and the server layer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDashboard, type Dashboard } from './dashboard/server.js';
import type { EmulatorContext, EmulatorRoute, EmulatorSettings } from './routes/context.js';
import { accountRoutes } from './routes/account.js';
import { bulkRoutes } from './routes/bulk.js';
import { customMetadataFieldRoutes } from './routes/custom-metadata-fields.js';
import { deliveryRoutes } from './routes/delivery.js';
import { DerivedImages } from './routes/derived-images.js';
import { fileRoutes } from './routes/files.js';
import { folderRoutes } from './routes/folders.js';
import { jobRoutes, settleJobs } from './routes/jobs.js';
import { metadataRoutes } from './routes/metadata.js';
import { purgeRoutes } from './routes/purge.js';
import { uploadRoutes } from './routes/upload.js';
import type { UploadPlan } from './routes/upload-limits.js';
import { versionRoutes } from './routes/versions.js';
import { FaultInjector, seededRandom } from './server/faults.js';
import { requestHandler } from './server/pipeline.js';
import type { RecordedRequest } from './server/recording.js';
import { Router } from './server/router.js';
import { emulatorKeys, type KeyPair } from './store/keys.js';
import { MediaStore } from './store/media-store.js';
import { claimPidFile } from './store/pid-lock.js';

export type { RecordedRequest } from './server/recording.js';
export type { UploadPlan } from './routes/upload-limits.js';
export { UPLOAD_PLANS } from './routes/upload-limits.js';
export { UnreadableStateError } from './store/journal.js';
export { LockHeldError } from './store/pid-lock.js';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  /**
   * Where state lives; a new temporary folder (removed on close) when omitted. One emulator at a time
   * uses a folder: another one running on it makes startEmulator throw LockHeldError, and a saved
   * state that cannot be read, UnreadableStateError.
   */
  dataDir?: string;
  /** Without them, the keys saved in the data folder (made and saved on its first use). */
  privateKey?: string;
  publicKey?: string;
  /** The plan whose upload size limits apply (default `pro`, the largest). */
  plan?: UploadPlan;
  /** A file to write the emulator's pid to while it runs (LockHeldError while a running process holds it). */
  pidFile?: string;
  /** The account's id in the URL endpoint: `<origin>/<imagekitId>`. */
  imagekitId?: string;
  /** `{ limit, intervalMs }`: at most `limit` API calls per interval, then 429 (uploads and delivery are never limited). */
  rateLimit?: { limit: number; intervalMs: number };
  /** Share of API and upload requests answered with a random 500 or 503 before doing anything. */
  failRate?: number;
  /** Share of API and upload requests whose connection is dropped before doing anything. */
  resetRate?: number;
  /** Milliseconds added before every response. */
  latencyMs?: number;
  /** How long bulk jobs and purges stay Pending. */
  jobDurationMs?: number;
  /** Seed of the random source behind failRate and resetRate, for repeatable runs. */
  seed?: number;
  now?: () => number;
  /** Serve the dashboard, a web view of the emulator's state, on a port of its own (see dashboardUrl). */
  dashboard?: boolean;
  /** The dashboard's port (default: any free port). */
  dashboardPort?: number;
}

export interface Emulator {
  /** The origin, e.g. http://127.0.0.1:41234: the API, upload and delivery base URL. */
  url: string;
  urlEndpoint: string;
  privateKey: string;
  publicKey: string;
  store: MediaStore;
  requests: RecordedRequest[];
  /** The dashboard's origin, when it was asked for. */
  dashboardUrl?: string;
  /** Changes fault settings while running. */
  configure(options: Pick<EmulatorOptions, 'rateLimit' | 'failRate' | 'resetRate' | 'latencyMs' | 'jobDurationMs'>): void;
  close(): Promise<void>;
}

/**
 * The API's route tables. The first match wins, so the order matters where patterns overlap:
 * `/v1/files/:fileId/details` (and versions, metadata) come before `/v1/files/purge/:requestId`.
 * A new resource is a new file in routes/ with its table added here.
 */
const API_ROUTES: EmulatorRoute[] = [
  ...fileRoutes,
  ...versionRoutes,
  ...metadataRoutes,
  ...bulkRoutes,
  ...purgeRoutes,
  ...folderRoutes,
  ...jobRoutes,
  ...customMetadataFieldRoutes,
  ...accountRoutes,
];

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}

/** Starts the emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const pidFile = options.pidFile === undefined ? undefined : claimPidFile(options.pidFile, (pid) => `the pid file ${options.pidFile} names a running process (pid ${pid})`);
  const temporaryDir = options.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'imagekit-emulator-'));
  const cleanUp = () => {
    pidFile?.release();
    if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true });
  };
  let store: MediaStore | undefined;
  try {
    store = new MediaStore(options.dataDir ?? temporaryDir!);
    return await serve(store, emulatorKeys(store.dataDir, options), options, cleanUp);
  } catch (error) {
    await store?.close();
    cleanUp();
    throw error;
  }
}

/** Listens with an open store; `cleanUp` runs once the store is closed. */
async function serve(store: MediaStore, { privateKey, publicKey }: KeyPair, options: EmulatorOptions, cleanUp: () => void): Promise<Emulator> {
  const imagekitId = options.imagekitId ?? 'emulator';
  const now = options.now ?? (() => Date.now());
  const settings: EmulatorSettings = {
    rateLimit: options.rateLimit,
    failRate: options.failRate ?? 0,
    resetRate: options.resetRate ?? 0,
    latencyMs: options.latencyMs ?? 0,
    jobDurationMs: options.jobDurationMs ?? 0,
  };
  const faults = new FaultInjector(settings, seededRandom(options.seed ?? Date.now()), now);
  const requests: RecordedRequest[] = [];

  // The URL endpoint is known once listening; the request listener is added before any request can arrive.
  const server = createServer();
  const address = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${host}:${address.port}`;
  const context: EmulatorContext = {
    store,
    now,
    settings,
    urlEndpoint: `${origin}/${imagekitId}`,
    imagekitId,
    privateKey,
    publicKey,
    plan: options.plan ?? 'pro',
    jobTimers: { pending: new Set(), stopped: false },
    derivedImages: new DerivedImages(store),
  };
  server.on(
    'request',
    requestHandler({
      context,
      origin,
      privateKey,
      settings,
      faults,
      requests,
      now,
      routers: { api: new Router(API_ROUTES), upload: new Router(uploadRoutes), delivery: new Router(deliveryRoutes) },
      beforeApiRoute: () => settleJobs(context),
      durable: () => store.durable(),
    }),
  );

  let dashboard: Dashboard | undefined;
  let closing: Promise<void> | undefined;
  const emulator: Emulator = {
    url: origin,
    urlEndpoint: context.urlEndpoint,
    privateKey,
    publicKey,
    store,
    requests,
    configure(changes) {
      Object.assign(settings, changes);
    },
    close() {
      closing ??= (async () => {
        await dashboard?.close();
        context.jobTimers.stopped = true;
        for (const timer of context.jobTimers.pending) clearTimeout(timer);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        try {
          await store.close();
        } finally {
          cleanUp();
        }
      })();
      return closing;
    },
  };
  if (options.dashboard) {
    // Started last: should its port be taken, the emulator started above is closed again.
    const setup = { context, requests, emulatorOrigin: origin, host: options.host ?? '127.0.0.1', port: options.dashboardPort ?? 0 };
    dashboard = await startDashboard(setup).catch(async (error: unknown) => {
      await emulator.close();
      throw error;
    });
    emulator.dashboardUrl = dashboard.url;
  }
  return emulator;
}
