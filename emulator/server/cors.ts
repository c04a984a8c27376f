/**
 * CORS, so that a web page can do what ImageKit lets a browser do: upload a file with the signature
 * fields of a client-side upload (`token`, `signature`, `expire`, `publicKey`), and read delivered
 * files (canvas, fetch). The private-key API (`/v1/…`) gets no CORS at all, as a browser must never
 * hold the private key: its preflights go on to the API, which refuses them for want of a key.
 *
 * What is sent, and why (README, "CORS in the emulator"): any origin (`*`, and never credentials:
 * upload.imagekit.io answers its preflights with `*`, so a request with credentials fails there too);
 * a preflight is answered with 204 for the methods of its area and the request headers it names,
 * but never `Authorization`, as a browser upload authenticates with its form fields.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonAnswer } from './answer.js';
import type { Routers } from './pipeline.js';

type Area = keyof Routers<unknown>;

/** Methods a page may use, by area; the API has none. */
const ALLOWED_METHODS: Record<Area, string | undefined> = {
  api: undefined,
  upload: 'POST, OPTIONS',
  delivery: 'GET, HEAD, OPTIONS',
};

/**
 * Response headers a page may read besides the safelisted ones: the request id, and the emulator's
 * own delivery headers (what was skipped, whether the cache served it), which the dashboard shows.
 */
const EXPOSED_HEADERS: Record<Area, string | undefined> = {
  api: undefined,
  upload: 'x-ik-requestid',
  delivery: 'x-ik-requestid, x-emulator-skipped, x-emulator-cache',
};

/** How long a browser may keep a preflight's answer (Chromium keeps it two hours at most). */
const PREFLIGHT_MAX_AGE_SECONDS = 86_400;

/** The request headers a preflight asks for, less `Authorization`, which would carry the private key. */
function allowedRequestHeaders(req: IncomingMessage): string | undefined {
  const asked = (req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '' && name !== 'authorization');
  return asked.length > 0 ? asked.join(', ') : undefined;
}

/**
 * Sets the CORS headers of the area's answers on `res` (so that errors and injected faults carry them
 * too, and a page can read why an upload failed), and gives the answer to a preflight, which is
 * answered here: it is neither recorded nor faulted, as the service's edge answers it.
 */
export function applyCors(area: Area, req: IncomingMessage, res: ServerResponse): JsonAnswer | undefined {
  const methods = ALLOWED_METHODS[area];
  if (!methods) return undefined;
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-expose-headers', EXPOSED_HEADERS[area]!);
  const preflight = req.method === 'OPTIONS' && req.headers.origin !== undefined && req.headers['access-control-request-method'] !== undefined;
  if (!preflight) return undefined;
  req.resume();
  const requestHeaders = allowedRequestHeaders(req);
  return {
    status: 204,
    headers: {
      'access-control-allow-methods': methods,
      ...(requestHeaders ? { 'access-control-allow-headers': requestHeaders } : {}),
      'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
    },
  };
}
