/**
 * The router: route tables of method, path pattern and handler, matched in order (the first match
 * wins). Handlers get the request and one explicit context, and return their answer, so that each
 * route table can be imported and tested alone.
 */
import type { IncomingMessage } from 'node:http';
import type { Answer } from './answer.js';
import { ApiFailure } from './errors.js';
import type { RecordedRequest } from './recording.js';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The names of a path pattern's `:name` segments, so that a handler's params are typed. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParams<Rest>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

export interface RouteRequest<Param extends string = string> {
  method: string;
  /** The request's URL on the emulator's origin; patterns match its pathname. */
  url: URL;
  /** The request target as sent: delivery checks signatures over the path and query as they were signed. */
  rawUrl: string;
  /** The `:name` segments of the path, still percent-encoded, as the URL has them. */
  params: Record<Param, string>;
  /** An API call's JSON body; `{}` for GET and HEAD, and outside the API. */
  body: Record<string, unknown>;
  /** Headers, and the body stream an upload reads itself. */
  req: IncomingMessage;
  /** What the request log keeps of this request (an upload adds its fields). */
  record: RecordedRequest;
}

export type RouteHandler<C, Param extends string = string> = (request: RouteRequest<Param>, context: C) => Answer | Promise<Answer>;

export interface Route<C> {
  /** `*` for every method: a path that answers the same whatever the method (a lookup before "no route"). */
  method: Method | readonly Method[] | '*';
  /** Such as `/v1/files/:fileId/details`: `:name` matches one non-empty segment; a final `/*` matches anything below. */
  path: string;
  handle: RouteHandler<C>;
}

/** Declares a route; the handler's params are typed from the path's `:name` segments. */
export function route<C, P extends string>(method: Route<C>['method'], path: P, handle: RouteHandler<C, PathParams<P>>): Route<C> {
  return { method, path, handle: handle as RouteHandler<C> };
}

interface CompiledRoute<C> {
  route: Route<C>;
  pattern: RegExp;
  names: string[];
}

function compile(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const segments = path.split('/').map((segment, i, all) => {
    if (segment === '*' && i === all.length - 1) return '.*';
    if (segment.startsWith(':')) {
      names.push(segment.slice(1));
      return '([^/]+)';
    }
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return { pattern: new RegExp(`^${segments.join('/')}$`), names };
}

const allows = (method: Route<unknown>['method'], wanted: string) =>
  method === '*' || (typeof method === 'string' ? method === wanted : (method as readonly string[]).includes(wanted));

export class Router<C> {
  private readonly routes: CompiledRoute<C>[];

  constructor(routes: readonly Route<C>[]) {
    this.routes = routes.map((route) => ({ route, ...compile(route.path) }));
  }

  /** The first route for this method and path, with the path's params; undefined when none. */
  match(method: string, path: string): { route: Route<C>; params: Record<string, string> } | undefined {
    for (const { route, pattern, names } of this.routes) {
      if (!allows(route.method, method)) continue;
      const found = pattern.exec(path);
      if (found) return { route, params: Object.fromEntries(names.map((name, i) => [name, found[i + 1]!])) };
    }
    return undefined;
  }

  /** Whether any route has this path, whatever its method. */
  hasPath(path: string): boolean {
    return this.routes.some(({ pattern }) => pattern.test(path));
  }
}

/** decodeURIComponent that answers 400 for a malformed escape instead of throwing a URIError. */
export function decodePart(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ApiFailure(400, 'The URL contains a malformed percent-encoding.');
  }
}
