/**
 * The way every request goes: recorded, faults injected, authenticated, its body read, routed, and
 * its answer (or error) written once every change made so far is durable, so that no answer tells of
 * a change a crash could still undo. Three parts of ImageKit share one origin, and each meets a request
 * differently before its route:
 * - the API (`/v1/…`): recorded; faults and the rate limit; Basic auth; a JSON body;
 * - the upload API (the upload routes' paths): recorded; faults; never rate-limited, and its route
 *   authenticates, since an upload may be signed instead;
 * - delivery (everything else): neither recorded, faulted nor limited.
 * Upload and delivery answers carry CORS headers, and their preflights are answered first (cors.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendAnswer, type Answer, type Exchange } from './answer.js';
import { authenticate } from './auth.js';
import { readJsonBody } from './body.js';
import { applyCors } from './cors.js';
import { ApiFailure, HELP, internalErrorAnswer } from './errors.js';
import type { FaultInjector } from './faults.js';
import { keepRecord, recordedBody, type RecordedRequest } from './recording.js';
import type { Router } from './router.js';

export interface Routers<C> {
  api: Router<C>;
  upload: Router<C>;
  delivery: Router<C>;
}

export interface RequestHandlerSetup<C> {
  /** Given to every route handler. */
  context: C;
  /** The emulator's origin, to parse request targets against. */
  origin: string;
  privateKey: string;
  /** Read at each answer, so a latency changed while running applies at once. */
  settings: { latencyMs: number };
  faults: FaultInjector;
  /** The request log (`emulator.requests`). */
  requests: RecordedRequest[];
  now: () => number;
  routers: Routers<C>;
  /** Runs before each API route, once its body is read. */
  beforeApiRoute(): void;
  /** Resolves once every change made so far is on disk; every answer waits for it. */
  durable(): Promise<void>;
}

type Area = 'api' | 'upload' | 'delivery';

/** The HTTP server's request listener. */
export function requestHandler<C>(setup: RequestHandlerSetup<C>): (req: IncomingMessage, res: ServerResponse) => void {
  const { context, origin, privateKey, settings, faults, requests, now, routers } = setup;
  const send = (exchange: Exchange, answer: Answer) => sendAnswer(exchange, settings.latencyMs, answer);

  async function handle(exchange: Exchange, url: URL, rawUrl: string): Promise<void> {
    const { req, record } = exchange;
    const path = url.pathname;
    const area: Area = path.startsWith('/v1/') ? 'api' : routers.upload.hasPath(path) ? 'upload' : 'delivery';
    const preflight = applyCors(area, req, exchange.res);
    if (preflight) return send(exchange, preflight);
    if (area !== 'delivery') {
      keepRecord(requests, record);
      const fault = faults.chooseFault();
      if (fault?.kind === 'reset') {
        record.status = 0;
        record.fault = 'reset';
        req.socket.destroy();
        return;
      }
      if (fault) {
        record.status = fault.answer.status;
        record.fault = 'error';
        req.resume();
        return send(exchange, fault.answer);
      }
    }
    const limited = area === 'api' ? faults.overRateLimit() : undefined;
    if (limited) {
      record.status = limited.status;
      record.fault = 'rate limit';
      req.resume();
      return send(exchange, limited);
    }
    let answer: Answer;
    try {
      answer = await route(area, exchange, url, rawUrl);
    } catch (error) {
      answer = error instanceof ApiFailure ? error.toAnswer() : internalErrorAnswer(error);
      req.resume();
    }
    // A failed flush throws here: the answer becomes a 500, never a success that is not durable (and
    // a file the answer had opened is closed).
    try {
      await setup.durable();
    } catch (error) {
      if ('stream' in answer) answer.stream.destroy();
      throw error;
    }
    send(exchange, answer);
  }

  async function route(area: Area, { req, record }: Exchange, url: URL, rawUrl: string): Promise<Answer> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    let body: Record<string, unknown> = {};
    if (area === 'api') {
      authenticate(req.headers.authorization, privateKey);
      if (method !== 'GET' && method !== 'HEAD') {
        body = await readJsonBody(req);
        record.body = recordedBody(body);
      }
      setup.beforeApiRoute();
    }
    const found = routers[area].match(method, path);
    if (!found) {
      if (area === 'api') throw ApiFailure.noRoute(method, path);
      throw new ApiFailure(404, area === 'upload' ? 'No route for this request.' : 'Not found.');
    }
    return found.route.handle({ method, url, rawUrl, params: found.params, body, req, record }, context);
  }

  return (req, res) => {
    let exchange: Exchange | undefined;
    const start = async () => {
      const rawUrl = req.url ?? '/';
      const url = new URL(rawUrl, origin);
      const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), at: now() };
      exchange = { req, res, arrived: Date.now(), record };
      await handle(exchange, url, rawUrl);
    };
    start().catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      // Before the request was understood (a target no URL can be made of) there is no record and no latency.
      send(exchange ?? { req, res, arrived: 0, record: { method: req.method ?? 'GET', path: '', query: {}, at: now() } }, { status: 500, body: { message: String(error), help: HELP } });
    });
  };
}
