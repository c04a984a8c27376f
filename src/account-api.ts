/**
 * The account's settings that the API manages as collections (saved extensions, named
 * transformations, origins, URL endpoints), each with the same five calls, and the usage reports.
 * Field names are the API's own, as @imagekit/nodejs 7.11 types them.
 */
import type { Http, HttpRequest } from './http.js';
import type { OriginType } from './origins.js';

export interface SavedExtension {
  id: string;
  name: string;
  description: string;
  /** An extension (`{"name":"remove-bg",...}`, `{"name":"ai-tasks","tasks":[...]}`...), never a saved-extension reference. */
  config: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}
export type SavedExtensionInput = Pick<SavedExtension, 'name' | 'description' | 'config'>;

export interface NamedTransformation {
  id: string;
  /** Used in URLs as `tr:n-<name>`: letters, digits and `_`. */
  name: string;
  transformation: string;
  enabled: boolean;
  createdAt: string;
}
export type NamedTransformationInput = Pick<NamedTransformation, 'name' | 'transformation'> & { enabled?: boolean };

/** An origin as the API answers: its type's fields, never its secrets. */
export interface Origin {
  id: string;
  type: OriginType;
  name: string;
  includeCanonicalHeader: boolean;
  baseUrlForCanonicalHeader?: string;
  [field: string]: unknown;
}
/** What creates or replaces an origin: its type's fields, secrets included. */
export type OriginInput = { type: OriginType; name: string; [field: string]: unknown };

export type UrlRewriter = { type: 'CLOUDINARY'; preserveAssetDeliveryTypes?: boolean } | { type: 'IMGIX' } | { type: 'AKAMAI' };

export interface UrlEndpoint {
  /** `default` for the account's default endpoint. */
  id: string;
  description: string;
  /** The path segment after the account's base URL; `""` for the default endpoint. */
  urlPrefix: string;
  /** Origin ids, tried in this order for files not in the media library. */
  origins: string[];
  urlRewriter?: UrlRewriter;
}
export type UrlEndpointInput = Pick<UrlEndpoint, 'description'> & Partial<Pick<UrlEndpoint, 'urlPrefix' | 'origins' | 'urlRewriter'>>;

/** Usage from startDate up to (not including) endDate. */
export interface Usage {
  bandwidthBytes?: number;
  mediaLibraryStorageBytes?: number;
  originalCacheStorageBytes?: number;
  videoProcessingUnitsCount?: number;
  extensionUnitsCount?: number;
}

/** One row of the analytics' breakdowns. */
export interface AnalyticsEntry {
  name: string;
  requestCount: number;
  bandwidthBytes?: number;
  code?: string;
}

/** Delivery analytics from startDate to endDate, both included (beta). */
export interface UsageAnalytics {
  startDate: string;
  endDate: string;
  generatedAt: string;
  requestCount: number;
  bandwidthBytes: number;
  cache: { hitCount: number; missCount: number; errorCount: number };
  statusCodes: AnalyticsEntry[];
  [breakdown: string]: unknown;
}

/** The five calls of one collection: list, get, create, update (PATCH or PUT, as the API has it) and delete. */
export class ApiCollection<Item, Input, Update = Partial<Input>> {
  constructor(
    private readonly http: Http,
    readonly path: string,
    private readonly updateMethod: Extract<HttpRequest['method'], 'PATCH' | 'PUT'>,
  ) {}

  private async call<T>(method: HttpRequest['method'], path: string, json: unknown, expect?: HttpRequest['expect']): Promise<T> {
    return (await this.http.request<T>({ method, path, json, expect })).data;
  }

  private itemPath = (id: string) => `${this.path}/${encodeURIComponent(id)}`;

  list(): Promise<Item[]> {
    return this.call('GET', this.path, undefined, 'list');
  }

  get(id: string): Promise<Item> {
    return this.call('GET', this.itemPath(id), undefined, 'object');
  }

  create(input: Input): Promise<Item> {
    return this.call('POST', this.path, input, 'object');
  }

  update(id: string, update: Update): Promise<Item> {
    return this.call(this.updateMethod, this.itemPath(id), update, 'object');
  }

  async delete(id: string): Promise<void> {
    await this.call('DELETE', this.itemPath(id), undefined);
  }
}
