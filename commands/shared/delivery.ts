/**
 * Fetching the original bytes of library files through their delivery URLs, shared by `files
 * download` and `sync` (pull): a private file is fetched through a signed URL, good for an hour.
 */
import type { FileDetails } from '../../src/client.js';
import { requireSetting } from '../../src/config.js';
import { buildUrl, encodePath } from '../../src/url.js';
import type { Context } from '../cli/context.js';

const SIGNED_URL_SECONDS = 3600;

/** The URL endpoint a file's URL was made under: its URL without the file path (and query). */
function endpointOf(file: FileDetails): string | undefined {
  const base = file.url.split('?')[0]!;
  const tail = encodePath(file.filePath);
  return base.endsWith(tail) ? base.slice(0, base.length - tail.length) : undefined;
}

/**
 * A function giving the URL to fetch a file's original from: the file's own URL, signed for a
 * private file with the private key under the endpoint the URL was made with (else the configured one).
 */
export async function deliveryUrls(context: Context): Promise<(file: FileDetails) => string> {
  const settings = await context.settings();
  return (file) => {
    if (!file.isPrivateFile) return file.url;
    const privateKey = requireSetting(settings, 'privateKey', 'fetching a private file');
    const urlEndpoint = endpointOf(file) ?? requireSetting(settings, 'urlEndpoint', `fetching the private file ${file.filePath}`);
    return buildUrl({ src: file.url, urlEndpoint, signed: true, expireSeconds: SIGNED_URL_SECONDS, privateKey, now: () => context.io.now() });
  };
}

/** A file's URL as the CDN caches it, for a purge: without the query ImageKit may add (`?updatedAt=`). */
export const cachedUrl = (url: string) => url.split('?')[0]!;
