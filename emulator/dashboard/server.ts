/**
 * The dashboard: a web view of the emulator's state on an origin of its own (its own port, on the
 * emulator's host). It serves one page, its script and style sheet, and small JSON endpoints that
 * read the store in-process, so the private key stays on the server. It changes nothing.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorContext } from '../routes/context.js';
import type { RecordedRequest } from '../server/recording.js';
import { isLoopback, refusal } from './access.js';
import { dashboardApp } from './app.js';
import { FAVICON_SVG, PAGE_HTML, STYLE_CSS } from './page.js';
import { fileView, folderView, imagePaths, jobsView, playgroundView, requestsView, summaryView } from './views.js';

export interface DashboardSetup {
  context: EmulatorContext;
  requests: RecordedRequest[];
  /** The emulator's origin: the page may load images from it and read delivered files. */
  emulatorOrigin: string;
  /** The emulator's host: on a loopback one no key is asked for, on any other the private key is. */
  host: string;
  port: number;
}

export interface Dashboard {
  url: string;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  type: string;
  body: string;
  headers?: Record<string, string>;
}

const APP_SCRIPT = `(${dashboardApp.toString()})();\n`;

const jsonReply = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({ status, type: 'application/json; charset=utf-8', body: JSON.stringify(body), headers });
const notFound = (message: string) => jsonReply(404, { message });

/** The JSON endpoints, by path. */
function endpoints({ context, requests }: DashboardSetup): Record<string, (params: URLSearchParams) => Reply | Promise<Reply>> {
  return {
    '/api/summary': () => jsonReply(200, summaryView(context)),
    '/api/folder': (params) => jsonReply(200, folderView(context, params.get('path') ?? '/')),
    '/api/file': async (params) => {
      const file = context.store.files.get(params.get('id') ?? '');
      return file ? jsonReply(200, await fileView(context, file)) : notFound('No file has this id.');
    },
    '/api/images': () => jsonReply(200, imagePaths(context)),
    '/api/url': (params) => jsonReply(200, playgroundView(context, params.get('path') ?? '/', params.get('tr') ?? '')),
    '/api/requests': (params) => jsonReply(200, requestsView(requests, Number(params.get('limit') ?? 100) || 100)),
    '/api/jobs': () => jsonReply(200, jobsView(context)),
  };
}

/**
 * Headers of every answer: the page may run only its own script, load images from itself, the
 * emulator and the playground's blob URLs, and be framed by nobody; nothing is cached, as it is live.
 */
function securityHeaders(emulatorOrigin: string): Record<string, string> {
  const policy = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' ${emulatorOrigin} blob:`,
    `connect-src 'self' ${emulatorOrigin}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { 'content-security-policy': policy, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };
}

async function reply(req: IncomingMessage, setup: DashboardSetup, access: { requireKey: boolean }, routes: ReturnType<typeof endpoints>): Promise<Reply> {
  const refused = refusal(req, { requireKey: access.requireKey, privateKey: setup.context.privateKey });
  if (refused) return jsonReply(refused.status, { message: refused.message }, refused.headers);
  if (req.method !== 'GET' && req.method !== 'HEAD') return jsonReply(405, { message: 'The dashboard only reads: GET and HEAD.' }, { allow: 'GET, HEAD' });
  const url = new URL(req.url ?? '/', 'http://dashboard');
  if (url.pathname === '/') return { status: 200, type: 'text/html; charset=utf-8', body: PAGE_HTML };
  if (url.pathname === '/app.js') return { status: 200, type: 'text/javascript; charset=utf-8', body: APP_SCRIPT };
  if (url.pathname === '/style.css') return { status: 200, type: 'text/css; charset=utf-8', body: STYLE_CSS };
  if (url.pathname === '/favicon.svg') return { status: 200, type: 'image/svg+xml', body: FAVICON_SVG };
  const endpoint = routes[url.pathname];
  if (!endpoint) return notFound(`The dashboard has nothing at ${url.pathname}.`);
  try {
    return await endpoint(url.searchParams);
  } catch (error) {
    return jsonReply(400, { message: (error as Error).message });
  }
}

/** Starts the dashboard on the emulator's host; resolves once it listens. */
export async function startDashboard(setup: DashboardSetup): Promise<Dashboard> {
  const access = { requireKey: !isLoopback(setup.host) };
  const routes = endpoints(setup);
  const headers = securityHeaders(setup.emulatorOrigin);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    void reply(req, setup, access, routes).then(({ status, type, body, headers: own }) => {
      res.writeHead(status, { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(body), ...own });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  server.listen(setup.port, setup.host);
  await once(server, 'listening');
  // Same host as the emulator, so its origin with the dashboard's port.
  const url = new URL(setup.emulatorOrigin);
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.origin,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
