/**
 * A local stand-in for ImageKit: the API (`/v1/**`), the upload API (`/api/v1/files/upload`) and the
 * delivery of stored files under its URL endpoint, all on one origin. Rate limits, faults and latency
 * can be switched on to rehearse what clients do under stress.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { explainTransformationString, TRANSFORMATION_NAMES } from '../src/transformation.js';
import { perceptualHash, readExif, readImageFacts } from './store/image.js';
import {
  applyFolderJob,
  applyFolderRename,
  fileDetails,
  listAssets,
  placeFile,
  validateCustomMetadata,
  withDefaults,
} from './store/list.js';
import { normaliseFolder, sanitiseName } from '../src/paths.js';
import { ApiFailure, filePathOf, HELP, Library, newId, type CustomField, type FileRecord, type FileState, type JobRecord } from './store/media-store.js';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  /** Where state lives; a new temporary folder (removed on close) when omitted. */
  dataDir?: string;
  privateKey?: string;
  publicKey?: string;
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
}

/** One request as the emulator saw it, for tests: multipart fields and JSON bodies included. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Upload form fields (the file part as `<file: name, N bytes>`). */
  fields?: Record<string, string>;
  body?: unknown;
  status?: number;
  /** When it arrived (milliseconds, the emulator's clock). */
  at: number;
}

export interface Emulator {
  /** The origin, e.g. http://127.0.0.1:41234: the API, upload and delivery base URL. */
  url: string;
  urlEndpoint: string;
  privateKey: string;
  publicKey: string;
  library: Library;
  requests: RecordedRequest[];
  /** Changes fault settings while running. */
  configure(options: Pick<EmulatorOptions, 'rateLimit' | 'failRate' | 'resetRate' | 'latencyMs' | 'jobDurationMs'>): void;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif', svg: 'image/svg+xml',
  tiff: 'image/tiff', tif: 'image/tiff', heif: 'image/heif', mp4: 'video/mp4', webm: 'video/webm', mov: 'video/quicktime', mp3: 'audio/mpeg',
  pdf: 'application/pdf', json: 'application/json', txt: 'text/plain', css: 'text/css', js: 'text/javascript', html: 'text/html',
  woff2: 'font/woff2', woff: 'font/woff', ttf: 'font/ttf', ico: 'image/x-icon', map: 'application/json', wasm: 'application/wasm',
};

const MAX_RECORDED_REQUESTS = 20_000;
const MAX_JSON_BODY_BYTES = 10 * 1024 * 1024;
/** Recorded field values longer than this are shortened (a base64 file would otherwise stay in memory). */
const MAX_RECORDED_FIELD = 2048;

const UPLOAD_RESPONSE_FIELDS = ['tags', 'customCoordinates', 'isPrivateFile', 'embeddedMetadata', 'isPublished', 'customMetadata', 'metadata', 'selectedFieldsSchema'];
const LAYER_CODES = new Set(['l', 'i', 'ie', 'lx', 'ly', 'lxc', 'lyc', 'lfo', 'lap', 'lso', 'leo', 'ldu', 'lm']);

/** A small seeded PRNG (mulberry32), so fault injection can be repeated exactly. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** decodeURIComponent that answers 400 for a malformed escape instead of throwing a URIError. */
function decodePart(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ApiFailure(400, 'The URL contains a malformed percent-encoding.');
  }
}

const bool = (value: string | undefined, fallback: boolean) => (value === undefined || value === '' ? fallback : value === 'true');

function parseJsonField(value: string | undefined, name: string): unknown {
  if (value === undefined || value === '') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new ApiFailure(400, `Your request contains invalid ${name} parameter.`);
  }
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BODY_BYTES) throw new ApiFailure(413, 'Your request body is too large.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiFailure(400, 'Your request body is not valid JSON.');
  }
}

/** Starts the emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const temporaryDir = options.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'imagekit-emulator-'));
  const library = new Library(options.dataDir ?? temporaryDir!);
  const privateKey = options.privateKey ?? `private_${randomBytes(18).toString('base64url')}`;
  const publicKey = options.publicKey ?? `public_${randomBytes(18).toString('base64url')}`;
  const imagekitId = options.imagekitId ?? 'emulator';
  const now = options.now ?? (() => Date.now());
  const random = seededRandom(options.seed ?? Date.now());
  const settings = {
    rateLimit: options.rateLimit,
    failRate: options.failRate ?? 0,
    resetRate: options.resetRate ?? 0,
    latencyMs: options.latencyMs ?? 0,
    jobDurationMs: options.jobDurationMs ?? 0,
  };
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  let closing: Promise<void> | undefined;
  let rateWindow = { start: 0, count: 0 };
  let origin = '';
  let urlEndpoint = '';

  const date = () => new Date(now());

  /** When each response's request arrived (for the added latency), and its record. */
  const exchanges = new WeakMap<ServerResponse, { arrived: number; record: RecordedRequest }>();

  /**
   * Runs `write` once the response has taken `latencyMs` since its request arrived. The work is done
   * at once and only the answer waits, as a slow network would: so concurrent requests overlap their
   * waiting instead of queueing behind each other's work.
   */
  function afterLatency(res: ServerResponse, write: () => void): void {
    const wait = settings.latencyMs - (Date.now() - (exchanges.get(res)?.arrived ?? 0));
    if (settings.latencyMs > 0 && wait > 0) setTimeout(write, wait);
    else write();
  }

  function json(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string | number> = {}): void {
    afterLatency(res, () => writeJson(res, status, body, headers));
  }

  function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | number>): void {
    if (res.headersSent || res.destroyed) return;
    const exchange = exchanges.get(res);
    if (exchange) exchange.record.status = status;
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      'content-length': Buffer.byteLength(text),
      'x-ik-requestid': newId(),
      ...headers,
    });
    res.end(text);
  }

  function authenticate(req: IncomingMessage): void {
    const header = req.headers.authorization;
    if (!header || !/^Basic /i.test(header)) throw new ApiFailure(401, 'Your request does not contain private API key.');
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const user = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
    if (!user) throw new ApiFailure(401, 'Your request does not contain private API key.');
    const a = Buffer.from(user);
    const b = Buffer.from(privateKey);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new ApiFailure(403, 'Your account cannot be authenticated.');
  }

  /** Applies bulk jobs whose time has come. A job that cannot be applied ends as failed, alone. */
  function settleJobs(): void {
    if (closed) return;
    for (const job of library.jobs.values()) {
      if (job.applied || now() < job.completeAt) continue;
      const p = job.params as { folderPath: string; newFolderName: string; sourceFolderPath: string; destinationPath: string; includeVersions?: boolean };
      try {
        if (job.type === 'RENAME_FOLDER') applyFolderRename(library, p.folderPath, p.newFolderName, date());
        else applyFolderJob(library, p.sourceFolderPath, p.destinationPath, { move: job.type === 'MOVE_FOLDER', includeVersions: p.includeVersions === true }, date());
      } catch (error) {
        job.error = (error as Error).message;
      }
      job.applied = true;
      library.changed();
    }
  }

  function newVersionState(base: Partial<FileState> & Pick<FileState, 'name' | 'folder' | 'blob' | 'size' | 'mime' | 'fileType' | 'format'>): FileState {
    const stamp = date().toISOString();
    return {
      versionId: newId(),
      versionName: 'Version 1',
      width: null,
      height: null,
      hasAlpha: false,
      tags: null,
      AITags: null,
      customCoordinates: null,
      customMetadata: {},
      isPrivateFile: false,
      isPublished: true,
      description: null,
      createdAt: stamp,
      updatedAt: stamp,
      ...base,
    };
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<void> {
    const contentType = req.headers['content-type'] ?? '';
    if (!/^multipart\/form-data/i.test(contentType)) throw new ApiFailure(400, 'Your request is missing file parameter.');
    // A server-side upload is authenticated before its body is read, so a wrong key costs no disk.
    if (req.headers.authorization) authenticate(req);
    const blob = newId();
    const blobPath = library.blobPath(blob);
    let stored = false;
    try {
      await receiveUpload(req, res, record, blob);
      stored = true;
    } finally {
      if (!stored) rmSync(blobPath, { force: true });
    }
  }

  /** Reads the multipart body (the file part streamed to disk) and answers the upload. */
  async function receiveUpload(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, blob: string): Promise<void> {
    const { default: Busboy } = await import('busboy');
    const fields: Record<string, string> = {};
    const blobPath = library.blobPath(blob);
    let fileSize = -1;
    let head = Buffer.alloc(0);
    await new Promise<void>((resolve, reject) => {
      let busboy: ReturnType<typeof Busboy>;
      try {
        busboy = Busboy({ headers: req.headers, limits: { fieldSize: 64 * 1024 * 1024, fields: 100, files: 1, parts: 200 } });
      } catch (error) {
        reject(new ApiFailure(400, `Your request is not valid multipart/form-data: ${(error as Error).message}.`));
        return;
      }
      const writes: Promise<void>[] = [];
      busboy.on('field', (name, value, info) => {
        if (info.valueTruncated) reject(new ApiFailure(400, `Your request contains invalid ${name} parameter. The field size exceeds limits.`));
        fields[name] = value;
      });
      busboy.on('file', (name, stream, info) => {
        if (name !== 'file') {
          stream.resume();
          return;
        }
        fileSize = 0;
        stream.on('data', (chunk: Buffer) => {
          fileSize += chunk.length;
          if (head.length < 256) head = Buffer.concat([head, chunk.subarray(0, 256 - head.length)]);
        });
        fields.file = `<file: ${info.filename ?? ''}>`;
        writes.push(pipeline(stream, createWriteStream(blobPath)));
      });
      busboy.on('error', (error: Error) => reject(new ApiFailure(400, `Your request is not valid multipart/form-data: ${error.message}.`)));
      busboy.on('close', () => Promise.all(writes).then(() => resolve(), reject));
      req.pipe(busboy);
    });
    record.fields = Object.fromEntries(
      Object.entries(fields).map(([k, v]) => [k, v.length > MAX_RECORDED_FIELD ? `<${v.length} characters>` : v]),
    );
    if (fileSize >= 0) record.fields.file = `<file: ${fileSize} bytes>`;

    // Authentication: the private key (Basic, checked already) or client-side signature fields, not both.
    const clientSide = fields.signature !== undefined || fields.token !== undefined;
    if (clientSide && req.headers.authorization) {
      throw new ApiFailure(400, 'Your request contains both signature and basic auth parameter. Use only one method, you might be exposing your private API key.');
    }
    if (clientSide) {
      if (fields.publicKey !== publicKey) throw new ApiFailure(403, 'Your account cannot be authenticated.');
      const expire = Number(fields.expire);
      const nowSeconds = Math.floor(now() / 1000);
      if (!Number.isInteger(expire) || expire <= nowSeconds || expire > nowSeconds + 3600) {
        throw new ApiFailure(400, 'Your request contains invalid expire parameter. Expire parameter should be a Unix time in less than 1 hour into the future.');
      }
      const expected = createHmac('sha1', privateKey).update(`${fields.token ?? ''}${fields.expire}`).digest('hex');
      if (fields.signature !== expected) throw new ApiFailure(400, 'Your request contains invalid signature.');
      if (library.usedTokens.has(fields.token!)) throw new ApiFailure(400, 'The token has already been used. Please generate a new token.');
      library.usedTokens.add(fields.token!);
    } else if (!req.headers.authorization) {
      authenticate(req);
    }

    if (fileSize < 0) {
      const source = fields.file;
      if (source === undefined || source === '') throw new ApiFailure(400, 'Your request is missing file parameter.');
      const bytes = await fetchFileField(source);
      writeFileSync(blobPath, bytes);
      fileSize = bytes.length;
    }
    if (!fields.fileName) throw new ApiFailure(400, 'Missing fileName parameter for upload');

    const folderField = fields.folder ?? '/';
    if (folderField.split('/').some((segment) => segment === '..') || !/^[\p{L}\p{M}\p{N}/_ .-]*$/u.test(folderField)) {
      throw new ApiFailure(400, 'Your request contains invalid folder parameter.');
    }
    const folder = normaliseFolder(folderField);
    let name = sanitiseName(fields.fileName);
    const useUniqueFileName = bool(fields.useUniqueFileName, true);
    if (useUniqueFileName) {
      const ext = extname(name);
      name = `${name.slice(0, name.length - ext.length)}_${randomBytes(7).toString('base64url').slice(0, 9)}${ext}`;
    }
    const tags = fields.tags ? fields.tags.split(',').map((t) => t.trim()).filter(Boolean) : undefined;
    if (tags && tags.join(',').length > 500) throw new ApiFailure(400, 'Combined length of all tags should be less than or equal to 500.');
    const customMetadataInput = parseJsonField(fields.customMetadata, 'customMetadata');
    const extensions = parseJsonField(fields.extensions, 'extensions') as Array<{ name?: string }> | undefined;
    const transformation = parseJsonField(fields.transformation, 'transformation') as { pre?: unknown; post?: unknown } | undefined;
    if (transformation !== undefined && (typeof transformation !== 'object' || (transformation.pre === undefined && transformation.post === undefined))) {
      throw new ApiFailure(400, 'Invalid transformation parameter. Please include at least pre, post, or both.');
    }
    if (fields.customCoordinates && !/^\d+,\d+,\d+,\d+$/.test(fields.customCoordinates)) {
      throw new ApiFailure(400, 'Your request contains invalid customCoordinates parameter.');
    }

    const facts = await readImageFacts(blobPath, fileSize >= 0 ? head : undefined);
    const format = facts?.format ?? extname(name).slice(1).toLowerCase();
    const state = newVersionState({
      name,
      folder,
      blob,
      size: fileSize,
      mime: MIME[format] ?? MIME[extname(name).slice(1).toLowerCase()] ?? 'application/octet-stream',
      fileType: facts ? 'image' : 'non-image',
      format,
      width: facts?.width ?? null,
      height: facts?.height ?? null,
      hasAlpha: facts?.hasAlpha ?? false,
      tags: tags ?? null,
      customCoordinates: fields.customCoordinates || null,
      isPrivateFile: bool(fields.isPrivateFile, false),
      isPublished: bool(fields.isPublished, true),
      description: fields.description ?? null,
    });

    const existing = useUniqueFileName ? undefined : library.findByPath(filePathOf(state));
    let file: FileRecord;
    if (existing) {
      if (!bool(fields.overwriteFile, true)) {
        throw new ApiFailure(400, 'A file with the same name already exists at the exact location. We could not overwrite it because both overwriteFile and useUniqueFileName are set to false.');
      }
      if (existing.versions.length + 1 >= 100) throw new ApiFailure(400, 'A file can have at most 100 versions.');
      const previous = existing.current;
      if (!bool(fields.overwriteTags, true) && !tags) state.tags = previous.tags;
      if (!bool(fields.overwriteAITags, true)) state.AITags = previous.AITags;
      const keepMetadata = !bool(fields.overwriteCustomMetadata, true);
      state.customMetadata = validateCustomMetadata(library, customMetadataInput, keepMetadata ? previous.customMetadata : {});
      state.versionName = `Version ${existing.versions.length + 2}`;
      state.createdAt = previous.createdAt;
      existing.versions.push(previous);
      existing.current = state;
      file = existing;
    } else {
      state.customMetadata = withDefaults(library, validateCustomMetadata(library, customMetadataInput));
      const fileId = newId();
      state.versionId = fileId;
      file = { fileId, current: state, versions: [] };
      library.files.set(fileId, file);
    }
    library.ensureFolder(folder, date());
    library.changed();

    const details = fileDetails(file, file.current, urlEndpoint);
    const requested = new Set((fields.responseFields ?? '').split(',').map((f) => f.trim()));
    const body: Record<string, unknown> = {
      fileId: file.fileId,
      name: details.name,
      size: details.size,
      versionInfo: details.versionInfo,
      filePath: details.filePath,
      url: details.url,
      fileType: details.fileType,
      height: details.height,
      width: details.width,
      thumbnailUrl: details.thumbnail,
      AITags: details.AITags,
    };
    for (const field of UPLOAD_RESPONSE_FIELDS) {
      if (!requested.has(field)) continue;
      if (field === 'metadata') body.metadata = await metadataOf(file.current);
      else if (field === 'selectedFieldsSchema') body.selectedFieldsSchema = {};
      else body[field] = (details as Record<string, unknown>)[field];
    }
    if (Array.isArray(extensions) && extensions.length > 0) {
      body.extensionStatus = Object.fromEntries(extensions.map((e) => [e.name ?? 'unknown', 'pending']));
    }
    json(res, 200, body);
  }

  /** Bytes for a `file` field given as a URL, a data URI or plain base64. */
  async function fetchFileField(source: string): Promise<Buffer> {
    if (/^https?:\/\//i.test(source)) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 8000);
      try {
        const response = await fetch(source, { signal: controller.signal });
        if (!response.ok) throw new ApiFailure(400, `Your request contains invalid file parameter. The URL answered ${response.status}.`);
        return Buffer.from(await response.arrayBuffer());
      } catch (error) {
        if (error instanceof ApiFailure) throw error;
        throw new ApiFailure(400, 'Your request contains invalid file parameter. The file URL could not be fetched within 8 seconds.');
      } finally {
        clearTimeout(timer);
      }
    }
    const base64 = source.replace(/^data:[^;,]*;base64,/, '');
    if (!/^[A-Za-z0-9+/=\s]+$/.test(base64)) throw new ApiFailure(400, 'Your request contains invalid file parameter.');
    return Buffer.from(base64, 'base64');
  }

  async function metadataOf(state: FileState): Promise<Record<string, unknown>> {
    const path = library.blobPath(state.blob);
    const facts = await readImageFacts(path);
    if (!facts) throw new ApiFailure(400, 'The requested file is corrupt or invalid.');
    return {
      height: facts.height,
      width: facts.width,
      size: statSync(path).size,
      format: facts.format,
      hasColorProfile: facts.hasColorProfile,
      quality: 0,
      density: facts.density ?? 72,
      hasTransparency: facts.hasAlpha,
      exif: await readExif(facts.exif),
      pHash: await perceptualHash(path),
    };
  }

  /** Resolves a delivery URL of this emulator to a stored file, or throws. */
  function fileForUrl(url: string): FileState {
    if (!url.startsWith(urlEndpoint + '/') || !URL.canParse(url)) throw new ApiFailure(400, 'The url should be accessible using your ImageKit.io account.');
    const path = decodePart(new URL(url).pathname.slice(imagekitId.length + 1).replace(/\/tr:[^/]*/, ''));
    const file = library.findByPath(path);
    if (!file) throw new ApiFailure(404, 'The requested file does not exist or is inaccessible at this time.');
    return file.current;
  }

  function serveFile(req: IncomingMessage, res: ServerResponse, rawUrl: string): void {
    const [rawPath, rawQuery = ''] = rawUrl.split('?', 2) as [string, string?];
    const query = new URLSearchParams(rawQuery);
    const segments = rawPath.slice(imagekitId.length + 2).split('/');
    const transformations: string[] = [];
    if (segments[0]?.startsWith('tr:')) transformations.push(decodePart(segments.shift()!.slice(3)));
    if (query.get('tr')) transformations.push(query.get('tr')!);
    for (const transformation of transformations) {
      for (const p of explainTransformationString(transformation)) {
        if (!TRANSFORMATION_NAMES.has(p.code) && !LAYER_CODES.has(p.code)) {
          json(res, 400, { message: `Invalid transformation parameter "${p.code}".`, help: HELP });
          return;
        }
      }
    }
    const filePath = '/' + segments.map(decodePart).join('/');
    const file = library.findByPath(filePath);
    const signature = query.get('ik-s');
    if (signature !== null || file?.current.isPrivateFile) {
      const expiry = query.get('ik-t') ?? '9999999999';
      const unsignedQuery = rawQuery.split('&').filter((p) => !p.startsWith('ik-s=') && !p.startsWith('ik-t=')).join('&');
      const signed = rawPath.slice(imagekitId.length + 2) + (unsignedQuery ? `?${unsignedQuery}` : '');
      const expected = createHmac('sha1', privateKey).update(signed + expiry).digest('hex');
      if (signature !== expected) {
        json(res, 401, { message: 'The signature in the URL is missing or invalid.', help: HELP });
        return;
      }
      if (Number(expiry) < Math.floor(now() / 1000)) {
        json(res, 401, { message: 'The signed URL has expired.', help: HELP });
        return;
      }
    }
    if (!file || !file.current.isPublished) {
      json(res, 404, { message: 'The requested file does not exist.', help: HELP });
      return;
    }
    const state = file.current;
    const stream = createReadStream(library.blobPath(state.blob));
    // Opened before answering: bytes deleted meanwhile give a 404, never an unhandled error.
    stream.once('error', () => {
      if (!res.headersSent) json(res, 404, { message: 'The requested file does not exist.', help: HELP });
      else res.destroy();
    });
    stream.once('open', () =>
      afterLatency(res, () => {
        if (res.destroyed) return stream.destroy();
        res.writeHead(200, { 'content-type': state.mime, 'content-length': state.size, 'x-ik-requestid': newId() });
        if (req.method === 'HEAD') {
          stream.destroy();
          res.end();
        } else pipeline(stream, res).catch(() => res.destroy());
      }),
    );
  }

  function fileIdsOf(body: Record<string, unknown>, max: number, tooMany: string): string[] {
    const ids = body.fileIds;
    if (ids === undefined) throw new ApiFailure(400, 'fileIds parameter is missing.');
    if (!Array.isArray(ids)) throw new ApiFailure(400, 'fileIds should be an Array.');
    if (ids.length === 0) throw new ApiFailure(400, 'fileIds is empty.');
    if (ids.length > max) throw new ApiFailure(400, tooMany);
    return ids.map(String);
  }

  /** Runs a per-file bulk change: 200, 207 with errors, or 404 when none exists. */
  function bulk(res: ServerResponse, ids: string[], successKey: string, change: (file: FileRecord) => void, withMissing = true): void {
    const done: string[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const file = library.files.get(id);
      if (!file) missing.push(id);
      else {
        change(file);
        done.push(id);
      }
    }
    library.changed();
    if (done.length === 0) {
      json(res, 404, { message: 'The requested file(s) does not exist.', help: HELP, ...(withMissing ? { missingFileIds: missing } : {}) });
    } else if (missing.length > 0) {
      json(res, 207, { [successKey]: done, errors: missing.map((fileId) => ({ fileId, error: 'The requested file does not exist.' })) });
    } else {
      json(res, 200, { [successKey]: done });
    }
  }

  function tagList(value: unknown, name: string): string[] {
    if (value === undefined) throw new ApiFailure(400, `${name} parameter is missing.`);
    if (!Array.isArray(value)) throw new ApiFailure(400, `${name} should be an Array.`);
    if (value.length === 0) throw new ApiFailure(400, `${name} array cannot be empty.`);
    return value.map(String);
  }

  function requireString(body: Record<string, unknown>, name: string): string {
    const value = body[name];
    if (typeof value !== 'string' || value === '') {
      throw new ApiFailure(400, 'Your request is missing parameters / contains invalid parameters.', { reason: 'MISSING_PARAMETER', missingParameter: name });
    }
    return value;
  }

  /**
   * The purge API's rules: a URL of this account; a `*` only at the very end, and then only when the
   * path has two levels or more, is 15 characters or longer, or names a file with an extension; never
   * `media/catalog/*` or `s/files/*`.
   */
  function validPurgeUrl(url: unknown): url is string {
    if (typeof url !== 'string' || !url.startsWith(urlEndpoint + '/') || !URL.canParse(url)) return false;
    const star = url.indexOf('*');
    if (star < 0) return true;
    if (star !== url.length - 1) return false;
    const path = url.slice(urlEndpoint.length, -1);
    if (/^\/(media\/catalog|s\/files)\/$/.test(path)) return false;
    const levels = path.split('/').filter(Boolean).length;
    return levels >= 2 || path.length >= 15 || /\/[^/]+\.[A-Za-z0-9]+$/.test(path);
  }

  function newJob(type: JobRecord['type'], params: Record<string, unknown>): JobRecord {
    const job: JobRecord = { jobId: newId(), type, completeAt: now() + settings.jobDurationMs, applied: false, params };
    library.jobs.set(job.jobId, job);
    library.changed();
    if (settings.jobDurationMs <= 0) settleJobs();
    else timers.add(setTimeout(settleJobs, settings.jobDurationMs).unref());
    return job;
  }

  function createPurge(url: string): string {
    const requestId = newId();
    library.purges.set(requestId, { requestId, url, completeAt: now() + settings.jobDurationMs });
    library.changed();
    return requestId;
  }

  function checkFieldSchema(schema: CustomField['schema'] | undefined, name: string): void {
    const types = ['Text', 'Textarea', 'Number', 'Date', 'Boolean', 'SingleSelect', 'MultiSelect'];
    if (!schema || typeof schema !== 'object' || !types.includes(schema.type)) {
      throw new ApiFailure(400, `Invalid schema for the custom metadata field ${name}: type must be one of ${types.join(', ')}.`);
    }
    if ((schema.type === 'SingleSelect' || schema.type === 'MultiSelect') && (!Array.isArray(schema.selectOptions) || schema.selectOptions.length === 0)) {
      throw new ApiFailure(400, 'selectOptions is required for SingleSelect and MultiSelect fields.');
    }
    if (schema.isValueRequired && schema.defaultValue === undefined) throw new ApiFailure(400, 'defaultValue is required when isValueRequired is true.');
  }

  const publicField = (field: CustomField) => ({ id: field.id, name: field.name, label: field.label, schema: field.schema });

  /** The API routes: method and path pattern to handler. */
  async function route(req: IncomingMessage, res: ServerResponse, url: URL, record: RecordedRequest): Promise<void> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const body = method === 'GET' || method === 'HEAD' ? {} : ((record.body = await readBody(req)) as Record<string, unknown>);
    const m = (pattern: RegExp) => pattern.exec(path);
    let match: RegExpExecArray | null;
    settleJobs();

    if (method === 'GET' && path === '/v1/files') return json(res, 200, listAssets(library, url.searchParams, urlEndpoint, { now }));
    if ((match = m(/^\/v1\/files\/([^/]+)\/details$/))) {
      const file = library.getFile(match[1]!);
      if (method === 'GET') return json(res, 200, fileDetails(file, file.current, urlEndpoint));
      if (method === 'PATCH') {
        if ('publish' in body) {
          if (Object.keys(body).length > 1) throw new ApiFailure(400, 'Your request cannot contain any other parameters when publish is present');
          const publish = body.publish as { isPublished?: unknown; includeFileVersions?: unknown };
          if (typeof publish?.isPublished !== 'boolean') throw new ApiFailure(400, 'publish.isPublished is required.');
          file.current.isPublished = publish.isPublished;
          if (publish.includeFileVersions === true) for (const v of file.versions) v.isPublished = publish.isPublished;
        } else {
          const state = file.current;
          if ('tags' in body) {
            if (body.tags !== null && !Array.isArray(body.tags)) throw new ApiFailure(400, 'Invalid tags parameter for this request');
            state.tags = body.tags === null ? null : (body.tags as unknown[]).map(String);
          }
          if ('customCoordinates' in body) state.customCoordinates = (body.customCoordinates as string | null) ?? null;
          if ('description' in body) state.description = body.description as string;
          if ('customMetadata' in body) state.customMetadata = validateCustomMetadata(library, body.customMetadata, state.customMetadata);
          if ('removeAITags' in body) {
            const remove = body.removeAITags;
            if (remove !== 'all' && !Array.isArray(remove)) throw new ApiFailure(400, 'removeAITags must be an array of tag names or "all".');
            state.AITags = remove === 'all' ? null : (state.AITags ?? []).filter((t) => !(remove as string[]).includes(t.name));
          }
        }
        file.current.updatedAt = date().toISOString();
        library.changed();
        const extensions = Array.isArray(body.extensions) ? (body.extensions as Array<{ name?: string }>) : [];
        return json(res, 200, {
          ...fileDetails(file, file.current, urlEndpoint),
          ...(extensions.length ? { extensionStatus: Object.fromEntries(extensions.map((e) => [e.name, 'pending'])) } : {}),
        });
      }
    }
    if ((match = m(/^\/v1\/files\/([^/]+)\/versions$/)) && method === 'GET') {
      const file = library.getFile(match[1]!);
      return json(res, 200, [...file.versions.map((v) => fileDetails(file, v, urlEndpoint, 'file-version')), fileDetails(file, file.current, urlEndpoint)]);
    }
    if ((match = m(/^\/v1\/files\/([^/]+)\/versions\/([^/]+)(\/restore)?$/))) {
      const file = library.getFile(match[1]!);
      const versionId = match[2]!;
      const isCurrent = file.current.versionId === versionId;
      const index = file.versions.findIndex((v) => v.versionId === versionId);
      if (!isCurrent && index < 0) {
        throw new ApiFailure(404, method === 'DELETE' ? 'The requested asset does not exist.' : 'The requested file version does not exist.');
      }
      if (match[3] && method === 'PUT') {
        if (!isCurrent) {
          const [restored] = file.versions.splice(index, 1);
          file.versions.push(file.current);
          file.current = { ...restored!, updatedAt: date().toISOString() };
          library.changed();
        }
        return json(res, 200, fileDetails(file, file.current, urlEndpoint));
      }
      if (!match[3] && method === 'GET') {
        return json(res, 200, fileDetails(file, isCurrent ? file.current : file.versions[index]!, urlEndpoint, 'file-version'));
      }
      if (!match[3] && method === 'DELETE') {
        if (isCurrent) throw new ApiFailure(400, 'You cannot delete current version of a file.');
        const [removed] = file.versions.splice(index, 1);
        rmSync(library.blobPath(removed!.blob), { force: true });
        library.changed();
        return json(res, 204);
      }
    }
    if ((match = m(/^\/v1\/files\/([^/]+)\/metadata$/)) && method === 'GET') {
      const file = library.files.get(match[1]!);
      if (!file) throw new ApiFailure(404, 'The requested file does not exist or is inaccessible at this time.');
      return json(res, 200, await metadataOf(file.current));
    }
    if (method === 'GET' && path === '/v1/metadata') {
      const target = url.searchParams.get('url');
      if (!target) throw new ApiFailure(400, 'Your request is missing url parameter.');
      return json(res, 200, await metadataOf(fileForUrl(target)));
    }
    if (method === 'POST' && (path === '/v1/files/copy' || path === '/v1/files/move')) {
      const source = requireString(body, 'sourceFilePath');
      const destination = requireString(body, 'destinationPath');
      const file = library.findByPath(source);
      if (!file) throw new ApiFailure(404, `No file found with filePath \`${source}\`.`, { reason: 'SOURCE_FILE_MISSING' });
      if (normaliseFolder(destination) === file.current.folder) {
        throw new ApiFailure(400, 'Your request is missing parameters / contains invalid parameters.', { reason: 'SAME_SOURCE_AND_DESTINATION' });
      }
      placeFile(library, file, destination, { move: path.endsWith('move'), includeVersions: body.includeFileVersions === true }, date());
      return json(res, 204);
    }
    if (method === 'PUT' && path === '/v1/files/rename') {
      const filePath = requireString(body, 'filePath');
      const newFileName = sanitiseName(requireString(body, 'newFileName'));
      const file = library.findByPath(filePath);
      if (!file) throw new ApiFailure(404, `No file found in media library at filePath ${filePath}`, { reason: 'FILE_MISSING' });
      if (newFileName === file.current.name) throw new ApiFailure(400, 'newFileName cannot be the same as its existing name.', { reason: 'SAME_OLD_AND_NEW_NAME' });
      if (library.findByPath(filePathOf({ ...file.current, name: newFileName }))) {
        throw new ApiFailure(409, `File with name ${newFileName} already exists at the same location.`, { reason: 'FILE_ALREADY_EXISTS' });
      }
      const oldUrl = `${urlEndpoint}${filePath}`;
      file.current = { ...file.current, name: newFileName, updatedAt: date().toISOString() };
      file.versions = file.versions.map((v) => ({ ...v, name: newFileName }));
      library.changed();
      return json(res, 200, body.purgeCache === true ? { purgeRequestId: createPurge(`${oldUrl}*`) } : {});
    }
    if (method === 'POST' && path === '/v1/files/batch/deleteByFileIds') {
      const ids = fileIdsOf(body, 100, 'fileIds cannot have more than 100 items.');
      return bulk(res, ids, 'successfullyDeletedFileIds', (file) => {
        for (const state of [...file.versions, file.current]) rmSync(library.blobPath(state.blob), { force: true });
        library.files.delete(file.fileId);
      });
    }
    if (method === 'POST' && (path === '/v1/files/addTags' || path === '/v1/files/removeTags')) {
      const ids = fileIdsOf(body, 50, 'A maximum of 50 files can be edited at a time.');
      const tags = tagList(body.tags, 'tags');
      if (path.endsWith('addTags') && tags.join(',').length > 500) throw new ApiFailure(400, 'Combined length of all tags should be less than or equal to 500.');
      return bulk(res, ids, 'successfullyUpdatedFileIds', (file) => {
        const current = file.current.tags ?? [];
        const next = path.endsWith('addTags') ? [...current, ...tags.filter((t) => !current.includes(t))] : current.filter((t) => !tags.includes(t));
        file.current.tags = next.length ? next : null;
        file.current.updatedAt = date().toISOString();
      });
    }
    if (method === 'POST' && path === '/v1/files/removeAITags') {
      const ids = fileIdsOf(body, 50, 'A maximum of 50 files can be edited at a time.');
      const tags = tagList(body.AITags, 'AITags');
      return bulk(
        res,
        ids,
        'successfullyUpdatedFileIds',
        (file) => {
          const left = (file.current.AITags ?? []).filter((t) => !tags.includes(t.name));
          file.current.AITags = left.length ? left : null;
        },
        false,
      );
    }
    if (method === 'POST' && path === '/v1/files/purge') {
      if (!validPurgeUrl(body.url)) throw new ApiFailure(400, 'The URL is not valid for cache purging.');
      return json(res, 201, { requestId: createPurge(body.url) });
    }
    if ((match = m(/^\/v1\/files\/purge\/([^/]+)$/)) && method === 'GET') {
      const purge = library.purges.get(match[1]!);
      if (!purge) throw new ApiFailure(400, 'No request found for this requestId.');
      return json(res, 200, { status: now() >= purge.completeAt ? 'Completed' : 'Pending' });
    }
    if ((match = m(/^\/v1\/files\/([^/]+)$/)) && method === 'DELETE') {
      const file = library.getFile(match[1]!);
      for (const state of [...file.versions, file.current]) rmSync(library.blobPath(state.blob), { force: true });
      library.files.delete(file.fileId);
      library.changed();
      return json(res, 204);
    }
    if (path === '/v1/folder' && method === 'POST') {
      const folderName = requireString(body, 'folderName');
      const parent = typeof body.parentFolderPath === 'string' ? body.parentFolderPath : '/';
      if (parent.split('/').includes('..')) throw new ApiFailure(400, "'.' & '..' can not be used in parentFolderPath", { reason: 'INVALID_FOLDER_PATH' });
      if (folderName === '.' || folderName === '..') throw new ApiFailure(400, "'.' & '..' can not be used as folder-name", { reason: 'INVALID_FOLDER_PATH' });
      library.ensureFolder(`${normaliseFolder(parent)}/${folderName.replace(/[^\p{L}\p{M}\p{N}_-]/gu, '_')}`, date());
      return json(res, 201, {});
    }
    if (path === '/v1/folder' && method === 'DELETE') {
      const folderPath = normaliseFolder(requireString(body, 'folderPath'));
      if (!library.folders.has(folderPath)) throw new ApiFailure(404, `No folder found with folderPath \`${folderPath}\`.`, { reason: 'FOLDER_NOT_FOUND' });
      for (const file of library.filesUnder(folderPath, true)) {
        for (const state of [...file.versions, file.current]) rmSync(library.blobPath(state.blob), { force: true });
        library.files.delete(file.fileId);
      }
      for (const folder of library.foldersUnder(folderPath, true)) library.folders.delete(folder.path);
      library.folders.delete(folderPath);
      library.changed();
      return json(res, 204);
    }
    if (method === 'POST' && (path === '/v1/bulkJobs/copyFolder' || path === '/v1/bulkJobs/moveFolder')) {
      const source = normaliseFolder(requireString(body, 'sourceFolderPath'));
      const destination = normaliseFolder(requireString(body, 'destinationPath'));
      if (source === '/') throw new ApiFailure(400, 'Source folder cannot be root.', { reason: 'SOURCE_IS_ROOT' });
      if (!library.folders.has(source)) throw new ApiFailure(404, 'No files & folder found at sourceFolderPath.', { reason: 'NO_FILES_FOLDER' });
      const target = normaliseFolder(`${destination}/${source.split('/').pop()}`);
      if (source === destination || target === source) {
        throw new ApiFailure(400, 'Source and destination folder paths are the same.', { reason: 'SAME_SOURCE_AND_DESTINATION' });
      }
      if ((destination + '/').startsWith(source + '/')) {
        throw new ApiFailure(400, 'Invalid destination path: a folder cannot be copied or moved into itself.', { reason: 'INVALID_DESTINATION_PATH' });
      }
      const job = newJob(path.endsWith('copyFolder') ? 'COPY_FOLDER' : 'MOVE_FOLDER', { sourceFolderPath: source, destinationPath: destination, includeVersions: body.includeVersions === true });
      return json(res, 200, { jobId: job.jobId });
    }
    if (method === 'POST' && path === '/v1/bulkJobs/renameFolder') {
      const folderPath = normaliseFolder(requireString(body, 'folderPath'));
      const newFolderName = requireString(body, 'newFolderName').replace(/[^\p{L}\p{M}\p{N}-]/gu, '_');
      if (folderPath === '/') throw new ApiFailure(400, 'folderPath cannot be root.');
      if (!library.folders.has(folderPath)) throw new ApiFailure(404, 'Source folder not found.');
      const target = normaliseFolder(folderPath.slice(0, folderPath.lastIndexOf('/')) + '/' + newFolderName);
      if (library.folders.has(target)) throw new ApiFailure(409, `Folder with name ${newFolderName} already exists at the same location.`);
      const job = newJob('RENAME_FOLDER', { folderPath, newFolderName });
      if (body.purgeCache === true) job.purgeRequestId = createPurge(`${urlEndpoint}${folderPath}*`);
      return json(res, 202, { jobId: job.jobId });
    }
    if ((match = m(/^\/v1\/bulkJobs\/([^/]+)$/)) && method === 'GET') {
      const job = library.jobs.get(match[1]!);
      if (!job) throw new ApiFailure(404, 'The requested job does not exist.');
      if (job.error) return json(res, 207, { jobId: job.jobId, type: job.type, status: 'Partial success', message: job.error, help: HELP });
      return json(res, 200, { jobId: job.jobId, type: job.type, status: job.applied ? 'Completed' : 'Pending', ...(job.purgeRequestId ? { purgeRequestId: job.purgeRequestId } : {}) });
    }
    if (path === '/v1/customMetadataFields' && method === 'GET') {
      const includeDeleted = url.searchParams.get('includeDeleted') === 'true';
      return json(res, 200, library.fields.filter((f) => includeDeleted || !f.deleted).map(publicField));
    }
    if (path === '/v1/customMetadataFields' && method === 'POST') {
      const name = requireString(body, 'name');
      const label = requireString(body, 'label');
      const schema = body.schema as CustomField['schema'];
      checkFieldSchema(schema, name);
      if (library.fields.some((f) => f.name === name)) throw new ApiFailure(400, 'A custom metadata field with this name already exists.');
      if (library.activeFields().some((f) => f.label === label)) throw new ApiFailure(400, 'A custom metadata field with this label already exists.');
      const field: CustomField = { id: newId(), name, label, schema };
      library.fields.push(field);
      library.changed();
      return json(res, 201, publicField(field));
    }
    if ((match = m(/^\/v1\/customMetadataFields\/([^/]+)$/))) {
      const field = library.fields.find((f) => f.id === match![1]);
      if (!field || (field.deleted && method === 'DELETE')) throw new ApiFailure(404, 'No such custom metadata field exists.');
      if (method === 'PATCH') {
        if (field.deleted) throw new ApiFailure(400, 'Cannot update a deleted custom metadata fields.');
        if ('name' in body) throw new ApiFailure(400, 'Name cannot be updated.');
        if (body.label === undefined && body.schema === undefined) throw new ApiFailure(400, 'Either label or schema should be provided.');
        if (typeof body.label === 'string') field.label = body.label;
        if (body.schema) {
          const schema = { ...field.schema, ...(body.schema as object) } as CustomField['schema'];
          if (schema.type !== field.schema.type) throw new ApiFailure(400, 'The type of a custom metadata field cannot be changed.');
          checkFieldSchema(schema, field.name);
          field.schema = schema;
        }
        library.changed();
        return json(res, 200, publicField(field));
      }
      if (method === 'DELETE') {
        field.deleted = true;
        library.changed();
        return json(res, 204);
      }
    }
    throw new ApiFailure(404, `No route for ${method} ${path}.`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, origin);
    const isApi = url.pathname.startsWith('/v1/');
    const isUpload = url.pathname === '/api/v1/files/upload' || url.pathname === '/api/v2/files/upload';
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), at: now() };
    if (isApi || isUpload) {
      requests.push(record);
      // Kept for tests and debugging, not for ever: the oldest go first.
      if (requests.length > MAX_RECORDED_REQUESTS) requests.splice(0, requests.length - MAX_RECORDED_REQUESTS);
    }

    exchanges.set(res, { arrived: Date.now(), record });
    if (isApi || isUpload) {
      if (settings.resetRate > 0 && random() < settings.resetRate) {
        record.status = 0;
        req.socket.destroy();
        return;
      }
      if (settings.failRate > 0 && random() < settings.failRate) {
        record.status = random() < 0.5 ? 500 : 503;
        req.resume();
        return json(res, record.status, { message: 'Internal server error (injected by the emulator).', help: HELP });
      }
    }
    if (isApi && settings.rateLimit) {
      const { limit, intervalMs } = settings.rateLimit;
      const time = now();
      if (time - rateWindow.start >= intervalMs) rateWindow = { start: time, count: 0 };
      if (++rateWindow.count > limit) {
        record.status = 429;
        req.resume();
        return json(res, 429, { message: 'You have exceeded the rate limit. Please try after some time.', help: HELP }, {
          'X-RateLimit-Limit': limit,
          'X-RateLimit-Reset': Math.max(0, rateWindow.start + intervalMs - time),
          'X-RateLimit-Interval': intervalMs,
        });
      }
    }
    try {
      if (isUpload) {
        if (req.method !== 'POST') throw new ApiFailure(404, 'No route for this request.');
        await handleUpload(req, res, record);
      } else if (isApi) {
        authenticate(req);
        await route(req, res, url, record);
      } else if ((req.method === 'GET' || req.method === 'HEAD') && url.pathname.startsWith(`/${imagekitId}/`)) {
        serveFile(req, res, rawUrl);
      } else {
        throw new ApiFailure(404, 'Not found.');
      }
    } catch (error) {
      if (error instanceof ApiFailure) json(res, error.status, { message: error.message, help: HELP, ...error.extra });
      else json(res, 500, { message: `Internal error in the emulator: ${(error as Error).message}`, help: HELP });
      req.resume();
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { message: String(error), help: HELP });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${host}:${address.port}`;
  urlEndpoint = `${origin}/${imagekitId}`;

  return {
    url: origin,
    urlEndpoint,
    privateKey,
    publicKey,
    library,
    requests,
    configure(changes) {
      Object.assign(settings, changes);
    },
    close() {
      closing ??= (async () => {
        closed = true;
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        library.close();
        if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
