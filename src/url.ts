import { ConfigError, InvalidInputError } from './errors.js';
import { buildTransformationString, explainTransformationString, type ExplainedParameter } from './transformation.js';
import { hmacSha1Hex } from './signing.js';

export type TransformationPosition = 'path' | 'query';

/** Options of `buildUrl`, in the SDK's own shape. */
export interface UrlOptions {
  /** A path under the URL endpoint, such as `/products/shoe.jpg`. Wins over `src`. */
  path?: string;
  /** A complete http(s) URL; its transformation always goes in the query. */
  src?: string;
  urlEndpoint?: string;
  /** The SDK's array of steps, e.g. `[{height: 300, width: 400}, {rotation: 90}]`. */
  transformation?: unknown;
  /** An already built ImageKit transformation string, chained after `transformation`. */
  transformationString?: string;
  /** Where the transformation goes for a `path`; `path` unless said otherwise. */
  transformationPosition?: TransformationPosition;
  queryParameters?: Record<string, unknown>;
  signed?: boolean;
  /** Seconds from now until a signed URL expires (implies signed). */
  expireSeconds?: number;
  /** Unix time in seconds at which a signed URL expires (implies signed); wins over expireSeconds. */
  expireAt?: number;
  /** Needed for signed URLs only. */
  privateKey?: string;
  /** The clock, in milliseconds, for `expireSeconds`. */
  now?: () => number;
}

/** The expiry the SDKs sign with when a signed URL never expires. */
export const NEVER_EXPIRES = 9999999999;

// Characters that stay as they are in a path: RFC 3986 unreserved, sub-delims, ':' and '@', and '/'.
const PATH_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;

/** Percent-encodes what a URL path cannot hold (non-ASCII as UTF-8), keeping existing `%XX` escapes. */
export function encodePath(path: string): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (PATH_SAFE.test(ch)) out += ch;
    else if (ch === '%' && /^[0-9A-Fa-f]{2}$/.test(path.slice(i + 1, i + 3))) out += ch;
    else {
      // A surrogate pair is one character to encode.
      const codePoint = path.codePointAt(i)!;
      const char = String.fromCodePoint(codePoint);
      out += encodeURIComponent(char).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
      i += char.length - 1;
    }
  }
  return out;
}

/** Form-encodes a query key or value the way the Python SDK (urlencode) does: `,` is `%2C`, space is `+`. */
export function formEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const formDecode = (text: string) => percentDecode(text.replace(/\+/g, ' '));

/** Query entries in order; a null value is a key written without `=` (`?download`). */
type QueryEntries = Array<[string, string | null]>;

function parseQuery(query: string): QueryEntries {
  const entries: QueryEntries = [];
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    entries.push(eq < 0 ? [formDecode(pair), null] : [formDecode(pair.slice(0, eq)), formDecode(pair.slice(eq + 1))]);
  }
  return entries;
}

/** Sets a key: replaces the first entry of that name in place (dropping later ones), or appends. */
function setQuery(entries: QueryEntries, key: string, value: string): void {
  const at = entries.findIndex(([k]) => k === key);
  if (at < 0) {
    entries.push([key, value]);
    return;
  }
  entries[at] = [key, value];
  for (let i = entries.length - 1; i > at; i--) if (entries[i]![0] === key) entries.splice(i, 1);
}

function serialiseQuery(entries: QueryEntries): string {
  return entries.map(([k, v]) => (v === null ? formEncode(k) : `${formEncode(k)}=${formEncode(v)}`)).join('&');
}

/** Splits `base?query#hash` into its parts. */
function splitUrl(url: string): { base: string; query: string; hash: string } {
  const hashAt = url.indexOf('#');
  const hash = hashAt < 0 ? '' : url.slice(hashAt);
  const rest = hashAt < 0 ? url : url.slice(0, hashAt);
  const queryAt = rest.indexOf('?');
  return queryAt < 0 ? { base: rest, query: '', hash } : { base: rest.slice(0, queryAt), query: rest.slice(queryAt + 1), hash };
}

export const isAbsoluteUrl = (text: string) => /^https?:\/\//i.test(text);

/** The endpoint without trailing slashes, validated; throws ConfigError when it is missing or not http(s). */
export function normaliseEndpoint(urlEndpoint: string | undefined): string {
  if (!urlEndpoint) {
    throw new ConfigError(
      'no URL endpoint: set IMAGEKIT_URL_ENDPOINT, or urlEndpoint in the config file, or pass --endpoint',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(urlEndpoint);
  } catch {
    throw new ConfigError(`the URL endpoint "${urlEndpoint}" is not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`the URL endpoint "${urlEndpoint}" must be an http(s) URL`);
  }
  if (parsed.search || parsed.hash) throw new ConfigError(`the URL endpoint "${urlEndpoint}" must not have a query or fragment`);
  const pathname = encodePath(parsed.pathname).replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return `${parsed.origin}${pathname}`;
}

/**
 * Collapses runs of `/`, resolves `.` and `..` segments (never above the endpoint) and strips slashes
 * from both ends: `//a/./x/../b.jpg/` is `a/b.jpg`. A client would resolve the dot segments anyway,
 * and the signature must be over the URL it will really request.
 */
function normaliseRelativePath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments.join('/');
}

const isAbsent = (value: unknown) => value === undefined || value === null;

function expiryOf(options: UrlOptions): number {
  if (!isAbsent(options.expireAt)) {
    if (!Number.isSafeInteger(options.expireAt) || options.expireAt! <= 0) {
      throw new InvalidInputError(`expireAt must be a positive whole number of Unix seconds, got ${JSON.stringify(options.expireAt)}`);
    }
    return options.expireAt!;
  }
  if (!isAbsent(options.expireSeconds) && options.expireSeconds !== 0) {
    if (!Number.isSafeInteger(options.expireSeconds) || options.expireSeconds! < 0) {
      throw new InvalidInputError(`expireSeconds must be a positive whole number of seconds, got ${JSON.stringify(options.expireSeconds)}`);
    }
    const nowMs = options.now ? options.now() : Date.now();
    return Math.floor(nowMs / 1000) + options.expireSeconds!;
  }
  return NEVER_EXPIRES;
}

/** Checks the types of options that may come from JSON (batch lines, library callers). */
function checkOptionTypes(options: UrlOptions): void {
  const expect = (name: keyof UrlOptions, type: string, ok: (v: unknown) => boolean) => {
    const value = options[name];
    if (!isAbsent(value) && !ok(value)) throw new InvalidInputError(`${name} must be ${type}, got ${JSON.stringify(value)}`);
  };
  const isString = (v: unknown) => typeof v === 'string';
  expect('path', 'a string', isString);
  expect('src', 'a string', isString);
  expect('urlEndpoint', 'a string', isString);
  expect('signed', 'true or false', (v) => typeof v === 'boolean');
  expect('queryParameters', 'an object of names and values', (v) => typeof v === 'object' && !Array.isArray(v));
}

/**
 * Builds an ImageKit delivery URL as the Python SDK does (transformation in the path by default,
 * form-encoded in the query when asked or for a full `src` URL; signing with HMAC-SHA1 over the URL
 * without the endpoint plus the expiry), except that slashes are always normalised and non-ASCII
 * paths are percent-encoded, and signed in that same form.
 */
export function buildUrl(options: UrlOptions): string {
  const transformation = [buildTransformationString(options.transformation), options.transformationString ?? '']
    .filter((t) => t !== '')
    .join(':');
  const position = options.transformationPosition ?? 'path';
  if (position !== 'path' && position !== 'query') {
    throw new InvalidInputError(`transformationPosition must be "path" or "query", got "${String(position)}"`);
  }
  checkOptionTypes(options);
  // An expiry implies signing, unless signing was explicitly turned off.
  const expires = !isAbsent(options.expireAt) || (!isAbsent(options.expireSeconds) && options.expireSeconds !== 0);
  const signed = options.signed === true || (options.signed !== false && expires);

  let base: string;
  let query: QueryEntries;
  let hash: string;
  let transformationInQuery: boolean;
  let endpoint: string | undefined;

  if (options.path !== undefined && options.path !== null && options.path !== '') {
    endpoint = normaliseEndpoint(options.urlEndpoint);
    const parts = splitUrl(String(options.path));
    const path = encodePath(normaliseRelativePath(parts.base));
    transformationInQuery = position === 'query';
    base = transformation && !transformationInQuery ? `${endpoint}/tr:${encodePath(transformation)}/${path}` : `${endpoint}/${path}`;
    query = parseQuery(parts.query);
    hash = parts.hash;
  } else if (options.src) {
    const src = String(options.src);
    if (!isAbsoluteUrl(src)) throw new InvalidInputError(`src must be a full http(s) URL, got "${src}"`);
    let parsed: URL;
    try {
      parsed = new URL(src);
    } catch {
      throw new InvalidInputError(`"${src}" is not a valid URL`);
    }
    const parts = splitUrl(src);
    base = `${parsed.origin}${encodePath(parsed.pathname).replace(/\/{2,}/g, '/')}`;
    query = parseQuery(parts.query);
    hash = parts.hash;
    transformationInQuery = true;
    if (signed) endpoint = normaliseEndpoint(options.urlEndpoint);
  } else {
    throw new InvalidInputError('a path or a src URL is required');
  }

  for (const [key, value] of Object.entries(options.queryParameters ?? {})) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'object') throw new InvalidInputError(`query parameter "${key}" must be a string or number, got ${JSON.stringify(value)}`);
    setQuery(query, key, typeof value === 'string' ? value : String(value));
  }
  if (transformation && transformationInQuery) setQuery(query, 'tr', transformation);

  if (signed && query.some(([key]) => key === 'ik-s' || key === 'ik-t')) {
    throw new InvalidInputError('ik-s and ik-t are set by signing: do not pass them as query parameters');
  }
  let url = query.length > 0 ? `${base}?${serialiseQuery(query)}` : base;
  if (signed) url = signUnderEndpoint(url, endpoint!, options.privateKey, expiryOf(options));
  return url + hash;
}

/**
 * Appends `ik-t` (unless the URL never expires) and `ik-s` to a URL under the endpoint. The signature is
 * HMAC-SHA1 of the URL without `<endpoint>/`, followed by the expiry.
 */
export function signUrl(url: string, urlEndpoint: string, privateKey: string | undefined, expiry: number = NEVER_EXPIRES): string {
  return signUnderEndpoint(url, normaliseEndpoint(urlEndpoint), privateKey, expiry);
}

function signUnderEndpoint(url: string, endpoint: string, privateKey: string | undefined, expiry: number): string {
  if (!privateKey) {
    throw new ConfigError('signing needs the private key: set IMAGEKIT_PRIVATE_KEY, or privateKey in the config file');
  }
  const prefix = `${endpoint}/`;
  if (!url.startsWith(prefix)) {
    throw new InvalidInputError(`only URLs under the URL endpoint ${prefix} can be signed`);
  }
  const signature = hmacSha1Hex(privateKey, url.slice(prefix.length) + String(expiry));
  const separator = url.includes('?') ? '&' : '?';
  const expiryParameter = expiry === NEVER_EXPIRES ? '' : `ik-t=${expiry}&`;
  return `${url}${separator}${expiryParameter}ik-s=${signature}`;
}

/** What `explainUrl` finds in an ImageKit URL. */
export interface ExplainedUrl {
  url: string;
  transformation: string;
  position: TransformationPosition | null;
  parameters: ExplainedParameter[];
  signed: boolean;
  /** Unix seconds from `ik-t`, or null when the URL has none. */
  expiresAt: number | null;
}

/** Reads the transformation of an existing ImageKit URL, from its `tr:` path segment or its `tr` query. */
export function explainUrl(url: string): ExplainedUrl {
  if (!isAbsoluteUrl(url)) throw new InvalidInputError(`--explain needs a full http(s) URL, got "${url}"`);
  const { base, query } = splitUrl(url);
  const entries = parseQuery(query);
  const pathname = base.replace(/^https?:\/\/[^/]*/i, '');
  const segment = pathname.split('/').find((s) => s.startsWith('tr:'));
  const fromQuery = entries.find(([k]) => k === 'tr')?.[1] ?? undefined;
  const position: TransformationPosition | null = segment ? 'path' : fromQuery ? 'query' : null;
  let transformation = segment ? percentDecode(segment.slice(3)) : fromQuery ?? '';
  if (segment && fromQuery) transformation = `${transformation}:${fromQuery}`;
  const expiry = entries.find(([k]) => k === 'ik-t')?.[1];
  return {
    url,
    transformation,
    position,
    parameters: explainTransformationString(transformation),
    signed: entries.some(([k]) => k === 'ik-s'),
    expiresAt: typeof expiry === 'string' && /^\d+$/.test(expiry) ? Number(expiry) : null,
  };
}
