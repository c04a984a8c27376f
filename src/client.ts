/**
 * Typed methods for every ImageKit API endpoint the CLI uses, over the one HTTP path in http.ts.
 * Field names are the API's own (camelCase), so results can be printed as they come.
 */
// node:fs/promises is left out: loading it costs every command a millisecond more than these few calls save.
import { closeSync, createReadStream, createWriteStream, mkdirSync, readSync, rmSync } from 'node:fs';
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
import { crypto } from './builtins.js';
import { renameDurablySync } from './durable-write.js';
import { openRegularFile } from './files.js';
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
 * A multipart/form-data body: the text fields, then the file, with its exact length so no chunked
 * encoding is needed. Built by hand because FormData with a file-backed Blob costs several times more
 * CPU per upload, which shows when a CI job uploads hundreds of small files. A small file is read
 * with synchronous calls straight into the one buffer of the body (a handful of system calls, none
 * queued behind other uploads); a large one streams from disk, so memory stays flat whatever its size.
 * A file that is missing, unreadable or not a regular file is an InvalidInputError: no retry can help.
 */
function multipartBody(source: UploadSource, fileName: string, fields: Array<[string, string]>): { body: NodeJS.ReadableStream | Buffer; headers: Record<string, string> } {
  const boundary = newBoundary();
  const quote = (text: string) => text.replace(/["\r\n\\]/g, (c) => encodeURIComponent(c));
  const part = (disposition: string) => `--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n`;
  let head = '';
  for (const [name, value] of fields) head += `${part(`name="${quote(name)}"`)}\r\n${value}\r\n`;
  const trailer = `--${boundary}--\r\n`;
  const headers = (length: number) => ({ 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(length) });
  if ('url' in source) {
    const body = Buffer.from(`${head}${part('name="file"')}\r\n${source.url}\r\n${trailer}`, 'utf8');
    return { body, headers: headers(body.length) };
  }
  head += `${part(`name="file"; filename="${quote(fileName)}"`)}Content-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n${trailer}`;
  if ('bytes' in source) {
    const body = Buffer.concat([Buffer.from(head, 'utf8'), source.bytes, Buffer.from(tail, 'utf8')]);
    return { body, headers: headers(body.length) };
  }
  const headLength = Buffer.byteLength(head);
  const tailLength = Buffer.byteLength(tail);
  const { fd, size } = openRegularFile(source.path);
  if (size > STREAM_ABOVE_BYTES) {
    const file = createReadStream(source.path, { fd });
    const body = Readable.from((async function* () {
      yield Buffer.from(head, 'utf8');
      for await (const chunk of file) yield chunk as Buffer;
      yield Buffer.from(tail, 'utf8');
    })());
    return { body, headers: headers(headLength + size + tailLength) };
  }
  try {
    const body = Buffer.allocUnsafe(headLength + size + tailLength);
    body.write(head, 0, 'utf8');
    let read = 0;
    for (let got = -1; read < size && got !== 0; read += got) got = readSync(fd, body, headLength + read, size - read, read);
    // A file that shrank since it was measured is sent as it now is.
    const length = headLength + read + body.write(tail, headLength + read, 'utf8');
    return { body: body.subarray(0, length), headers: headers(length) };
  } finally {
    closeSync(fd);
  }
}

/** Files larger than this are streamed from disk; smaller ones are read whole (at most concurrency x 1 MB). */
const STREAM_ABOVE_BYTES = 1024 * 1024;

let boundaryPrefix: string | undefined;
let boundaryCount = 0;
/** A multipart boundary that no body holds by chance: random once, then counted, as each upload needs its own. */
function newBoundary(): string {
  boundaryPrefix ??= crypto().randomBytes(12).toString('hex');
  return `----imagekit-cli-${boundaryPrefix}${(boundaryCount++).toString(36)}`;
}

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
    const body = async () => multipartBody(source, basename(fields.fileName), text);
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
    mkdirSync(dirname(destination), { recursive: true });
    const temporary = join(dirname(destination), `.${basename(destination)}.${crypto().randomBytes(6).toString('hex')}.download`);
    try {
      await this.http.download(url, () => createWriteStream(temporary), onProgress);
      renameDurablySync(temporary, destination);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }
}
