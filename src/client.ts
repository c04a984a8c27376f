/**
 * Typed methods for every ImageKit API endpoint the CLI uses, over the one HTTP path in http.ts.
 * Field names are the API's own (camelCase), so results can be printed as they come.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { basename, dirname, join } from 'node:path';
import {
  ApiCollection,
  type NamedTransformation,
  type NamedTransformationInput,
  type Origin,
  type OriginInput,
  type SavedExtension,
  type SavedExtensionInput,
  type UrlEndpoint,
  type UrlEndpointInput,
  type Usage,
  type UsageAnalytics,
} from './account-api.js';
import { InvalidInputError } from './errors.js';
import { regularFileProblem } from './files.js';
import { Http, type HttpOptions, type HttpRequest } from './http.js';

export type ClientOptions = HttpOptions;

export interface FileDetails {
  fileId: string;
  type: 'file' | 'file-version';
  name: string;
  filePath: string;
  tags: string[] | null;
  AITags: Array<{ name: string; confidence: number; source: string }> | null;
  versionInfo: { id: string; name: string };
  isPrivateFile: boolean;
  isPublished: boolean;
  customCoordinates: string | null;
  url: string;
  thumbnail: string;
  fileType: 'image' | 'non-image';
  mime?: string;
  width?: number;
  height?: number;
  size: number;
  hasAlpha?: boolean;
  customMetadata?: Record<string, unknown>;
  description?: string;
  createdAt: string;
  updatedAt: string;
  [key: string]: unknown;
}

export interface FolderDetails {
  type: 'folder';
  folderId: string;
  name: string;
  folderPath: string;
  customMetadata: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export type Asset = FileDetails | FolderDetails;

export interface UploadResult {
  fileId: string;
  name: string;
  filePath: string;
  url: string;
  size: number;
  versionInfo: { id: string; name: string };
  fileType: string;
  thumbnailUrl?: string;
  width?: number;
  height?: number;
  [key: string]: unknown;
}

export interface Metadata {
  width: number;
  height: number;
  size: number;
  format: string;
  hasColorProfile: boolean;
  quality: number;
  density: number;
  hasTransparency: boolean;
  pHash: string;
  exif: Record<string, unknown>;
  [key: string]: unknown;
}

export interface CustomMetadataField {
  id: string;
  name: string;
  label: string;
  schema: { type: string; [key: string]: unknown };
  /** A hint shown when a value is set; absent when none is. */
  description?: string;
}

export interface ListParams {
  type?: 'file' | 'file-version' | 'folder' | 'all';
  sort?: string;
  path?: string;
  searchQuery?: string;
  fileType?: 'all' | 'image' | 'non-image';
  tags?: string;
  skip?: number;
  limit?: number;
}

/** What to upload: a file on disk (re-read on each retry), bytes, or a URL ImageKit fetches itself. */
export type UploadSource = { path: string } | { bytes: Uint8Array } | { url: string };

/** Upload API fields other than `file`: values as the API takes them (arrays and objects are encoded here). */
export interface UploadFields {
  fileName: string;
  useUniqueFileName?: boolean;
  tags?: string[];
  folder?: string;
  isPrivateFile?: boolean;
  isPublished?: boolean;
  customCoordinates?: string;
  responseFields?: string[];
  extensions?: unknown[];
  webhookUrl?: string;
  overwriteFile?: boolean;
  overwriteAITags?: boolean;
  overwriteTags?: boolean;
  overwriteCustomMetadata?: boolean;
  customMetadata?: Record<string, unknown>;
  transformation?: { pre?: string; post?: unknown[] };
  checks?: string;
  description?: string;
}

/**
 * A multipart/form-data body: the text fields, then the file, streamed from disk for a path (so memory
 * stays flat whatever its size), with its exact length so no chunked encoding is needed. Built by hand
 * because FormData with a file-backed Blob costs several times more CPU per upload, which shows when a
 * CI job uploads hundreds of small files.
 */
async function multipartBody(source: UploadSource, fileName: string, fields: Array<[string, string]>) {
  const boundary = `----imagekit-cli-${randomBytes(12).toString('hex')}`;
  const part = (headers: string) => Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`, 'utf8');
  const quote = (text: string) => text.replace(/["\r\n\\]/g, (c) => encodeURIComponent(c));
  const chunks: Buffer[] = [];
  for (const [name, value] of fields) chunks.push(part(`Content-Disposition: form-data; name="${quote(name)}"`), Buffer.from(`${value}\r\n`, 'utf8'));
  const trailer = Buffer.from(`--${boundary}--\r\n`, 'utf8');
  let file: { stream?: NodeJS.ReadableStream; bytes?: Buffer; size: number };
  if ('url' in source) {
    chunks.push(part('Content-Disposition: form-data; name="file"'), Buffer.from(`${source.url}\r\n`, 'utf8'));
    file = { bytes: Buffer.alloc(0), size: 0 };
  } else {
    chunks.push(part(`Content-Disposition: form-data; name="file"; filename="${quote(fileName)}"\r\nContent-Type: application/octet-stream`));
    if ('path' in source) {
      const { size } = await stat(source.path);
      // A small file goes out in one write with its headers; a large one streams from disk.
      file = size <= STREAM_ABOVE_BYTES ? { bytes: await readFile(source.path), size } : { stream: createReadStream(source.path), size };
    } else file = { bytes: Buffer.from(source.bytes), size: source.bytes.byteLength };
  }
  const head = Buffer.concat(chunks);
  const tail = 'url' in source ? trailer : Buffer.concat([Buffer.from('\r\n'), trailer]);
  const length = head.length + file.size + tail.length;
  const body = file.stream
    ? Readable.from((async function* () {
        yield head;
        for await (const chunk of file.stream!) yield chunk as Buffer;
        yield tail;
      })())
    : Buffer.concat([head, file.bytes!, tail]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(length) } };
}

/** Files larger than this are streamed from disk; smaller ones are read whole (at most concurrency x 1 MB). */
const STREAM_ABOVE_BYTES = 1024 * 1024;

/** The most items the list API returns per call. */
export const LIST_PAGE_LIMIT = 1000;

const enc = encodeURIComponent;

type Method = HttpRequest['method'];
type Query = HttpRequest['query'];

export class ImageKitClient {
  readonly http: Http;

  constructor(options: ClientOptions) {
    this.http = new Http(options);
  }

  // Each call states the answer it needs, so that a wrong one fails here, naming the call, rather than
  // as a TypeError in whatever reads it.
  /** A call answered with a JSON object. */
  private async object<T>(method: Method, path: string, body?: unknown, query?: Query): Promise<T> {
    return (await this.http.request<T>({ method, path, json: body, query, expect: 'object' })).data;
  }

  /** A call answered with a JSON list. */
  private async list<T>(path: string, query?: Query): Promise<T[]> {
    return (await this.http.request<T[]>({ method: 'GET', path, query, expect: 'list' })).data;
  }

  /** A call whose answer, if any, is not needed. */
  private async send(method: Method, path: string, body?: unknown): Promise<void> {
    await this.http.request({ method, path, json: body });
  }

  /**
   * Uploads one file. A disk file is streamed, never read whole into memory; `onProgress` is told the
   * bytes sent so far (of this try) as they go.
   */
  async upload(source: UploadSource, fields: UploadFields, onProgress?: (sentBytes: number) => void): Promise<UploadResult> {
    const text: Array<[string, string]> = [];
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      if (key === 'tags' || key === 'responseFields') text.push([key, (value as string[]).join(',')]);
      else if (typeof value === 'object') text.push([key, JSON.stringify(value)]);
      else text.push([key, String(value)]);
    }
    if ('path' in source) {
      // Checked before the first try: a missing file or a FIFO is bad input, not a network failure to retry.
      const problem = regularFileProblem(source.path);
      if (problem) throw new InvalidInputError(problem);
    }
    const body = () => multipartBody(source, basename(fields.fileName), text);
    return (await this.http.request<UploadResult>({ method: 'POST', path: '/api/v1/files/upload', body, upload: true, expect: 'object', onUploadProgress: onProgress })).data;
  }

  listFiles(params: ListParams = {}): Promise<Asset[]> {
    return this.list('/v1/files', { ...params });
  }

  /**
   * Every item matching `params`, page by page past the API's 1000-per-call limit, stopping after
   * `max` items. Yields each page as it arrives, so callers can print before the last page is fetched.
   */
  async *listPages(params: Omit<ListParams, 'limit'> = {}, max = Infinity): AsyncGenerator<Asset[]> {
    let skip = params.skip ?? 0;
    let remaining = max;
    while (remaining > 0) {
      const limit = Math.min(LIST_PAGE_LIMIT, remaining);
      const page = await this.listFiles({ ...params, skip, limit });
      if (page.length > 0) yield page;
      if (page.length < limit) return;
      skip += page.length;
      remaining -= page.length;
    }
  }

  getFileDetails(fileId: string): Promise<FileDetails> {
    return this.object('GET', `/v1/files/${enc(fileId)}/details`);
  }

  updateFileDetails(fileId: string, update: Record<string, unknown>): Promise<FileDetails> {
    return this.object('PATCH', `/v1/files/${enc(fileId)}/details`, update);
  }

  async deleteFile(fileId: string): Promise<void> {
    await this.send('DELETE', `/v1/files/${enc(fileId)}`);
  }

  listVersions(fileId: string): Promise<FileDetails[]> {
    return this.list(`/v1/files/${enc(fileId)}/versions`);
  }

  getVersion(fileId: string, versionId: string): Promise<FileDetails> {
    return this.object('GET', `/v1/files/${enc(fileId)}/versions/${enc(versionId)}`);
  }

  async deleteVersion(fileId: string, versionId: string): Promise<void> {
    await this.send('DELETE', `/v1/files/${enc(fileId)}/versions/${enc(versionId)}`);
  }

  restoreVersion(fileId: string, versionId: string): Promise<FileDetails> {
    return this.object('PUT', `/v1/files/${enc(fileId)}/versions/${enc(versionId)}/restore`);
  }

  async copyFile(sourceFilePath: string, destinationPath: string, includeFileVersions = false): Promise<void> {
    await this.send('POST', '/v1/files/copy', { sourceFilePath, destinationPath, includeFileVersions });
  }

  async moveFile(sourceFilePath: string, destinationPath: string): Promise<void> {
    await this.send('POST', '/v1/files/move', { sourceFilePath, destinationPath });
  }

  async renameFile(filePath: string, newFileName: string, purgeCache = false): Promise<{ purgeRequestId?: string }> {
    // An empty body is a fine answer too, when there is no purge to tell of.
    const answer = await this.http.request<{ purgeRequestId?: string } | undefined>({ method: 'PUT', path: '/v1/files/rename', json: { filePath, newFileName, purgeCache } });
    return answer.data ?? {};
  }

  /** Deletes up to 100 files; a 207 (some missing) throws PartialSuccessError with the answer in `data`. */
  bulkDeleteFiles(fileIds: string[]): Promise<{ successfullyDeletedFileIds: string[] }> {
    return this.object('POST', '/v1/files/batch/deleteByFileIds', { fileIds });
  }

  addTags(fileIds: string[], tags: string[]): Promise<{ successfullyUpdatedFileIds: string[] }> {
    return this.object('POST', '/v1/files/addTags', { fileIds, tags });
  }

  removeTags(fileIds: string[], tags: string[]): Promise<{ successfullyUpdatedFileIds: string[] }> {
    return this.object('POST', '/v1/files/removeTags', { fileIds, tags });
  }

  removeAITags(fileIds: string[], AITags: string[]): Promise<{ successfullyUpdatedFileIds: string[] }> {
    return this.object('POST', '/v1/files/removeAITags', { fileIds, AITags });
  }

  getFileMetadata(fileId: string): Promise<Metadata> {
    return this.object('GET', `/v1/files/${enc(fileId)}/metadata`);
  }

  getRemoteFileMetadata(url: string): Promise<Metadata> {
    return this.object('GET', '/v1/metadata', undefined, { url });
  }

  async createFolder(folderName: string, parentFolderPath: string): Promise<void> {
    await this.send('POST', '/v1/folder', { folderName, parentFolderPath });
  }

  async deleteFolder(folderPath: string): Promise<void> {
    await this.send('DELETE', '/v1/folder', { folderPath });
  }

  copyFolder(sourceFolderPath: string, destinationPath: string, includeVersions = false): Promise<{ jobId: string }> {
    return this.object('POST', '/v1/bulkJobs/copyFolder', { sourceFolderPath, destinationPath, includeVersions });
  }

  moveFolder(sourceFolderPath: string, destinationPath: string): Promise<{ jobId: string }> {
    return this.object('POST', '/v1/bulkJobs/moveFolder', { sourceFolderPath, destinationPath });
  }

  renameFolder(folderPath: string, newFolderName: string, purgeCache = false): Promise<{ jobId: string }> {
    return this.object('POST', '/v1/bulkJobs/renameFolder', { folderPath, newFolderName, purgeCache });
  }

  getBulkJobStatus(jobId: string): Promise<{ jobId: string; type: string; status: string; purgeRequestId?: string }> {
    return this.object('GET', `/v1/bulkJobs/${enc(jobId)}`);
  }

  purgeCache(url: string): Promise<{ requestId: string }> {
    return this.object('POST', '/v1/files/purge', { url });
  }

  getPurgeStatus(requestId: string): Promise<{ status: string }> {
    return this.object('GET', `/v1/files/purge/${enc(requestId)}`);
  }

  listCustomMetadataFields(includeDeleted = false): Promise<CustomMetadataField[]> {
    return this.list('/v1/customMetadataFields', { includeDeleted });
  }

  createCustomMetadataField(field: Omit<CustomMetadataField, 'id'>): Promise<CustomMetadataField> {
    return this.object('POST', '/v1/customMetadataFields', field);
  }

  updateCustomMetadataField(id: string, update: { label?: string; schema?: Record<string, unknown>; description?: string }): Promise<CustomMetadataField> {
    return this.object('PATCH', `/v1/customMetadataFields/${enc(id)}`, update);
  }

  async deleteCustomMetadataField(id: string): Promise<void> {
    await this.send('DELETE', `/v1/customMetadataFields/${enc(id)}`);
  }

  get savedExtensions(): ApiCollection<SavedExtension, SavedExtensionInput> {
    return new ApiCollection(this.http, '/v1/saved-extensions', 'PATCH');
  }

  get namedTransformations(): ApiCollection<NamedTransformation, NamedTransformationInput> {
    return new ApiCollection(this.http, '/v1/named-transformations', 'PATCH');
  }

  /** Replaced whole on update (PUT), secrets included. */
  get origins(): ApiCollection<Origin, OriginInput, OriginInput> {
    return new ApiCollection(this.http, '/v1/accounts/origins', 'PUT');
  }

  /** Replaced whole on update (PUT). */
  get urlEndpoints(): ApiCollection<UrlEndpoint, UrlEndpointInput, UrlEndpointInput> {
    return new ApiCollection(this.http, '/v1/accounts/url-endpoints', 'PUT');
  }

  /** Usage from `startDate` up to, not including, `endDate` (YYYY-MM-DD). */
  getUsage(startDate: string, endDate: string): Promise<Usage> {
    return this.object('GET', '/v1/accounts/usage', undefined, { startDate, endDate });
  }

  /** Delivery analytics from `startDate` to `endDate`, both included (YYYY-MM-DD). */
  getUsageAnalytics(startDate: string, endDate: string): Promise<UsageAnalytics> {
    return this.object('GET', '/v1/accounts/usage-analytics', undefined, { startDate, endDate });
  }

  /**
   * Downloads a delivery URL (signed, for a private file) to `destination`, creating its folder. The
   * bytes stream to a temporary file beside it, renamed into place once complete: the destination is
   * never seen half written, and a failed download leaves whatever was there before.
   */
  async downloadFile(url: string, destination: string, onProgress?: (receivedBytes: number) => void): Promise<void> {
    await mkdir(dirname(destination), { recursive: true });
    const temporary = join(dirname(destination), `.${basename(destination)}.${randomBytes(6).toString('hex')}.download`);
    try {
      await this.http.download(url, () => createWriteStream(temporary), onProgress);
      await rename(temporary, destination);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
