/**
 * One route table for the account's collections that the API manages alike (saved extensions, named
 * transformations, origins, URL endpoints): list, create, get, update and delete by id, with each
 * collection's own checks, messages and answers. Names are unique within a collection.
 */
import { decodePart, type Method } from '../server/router.js';
import { ApiFailure } from '../server/errors.js';
import { newId, type MediaStore } from '../store/media-store.js';
import { route, type EmulatorContext, type EmulatorRoute } from './context.js';

export interface CollectionSpec<R extends { id: string }> {
  /** Such as `/v1/saved-extensions`; items live at `<path>/:id`. */
  path: string;
  items: (store: MediaStore) => R[];
  /** The 404 for an id that names no item. */
  notFound: () => ApiFailure;
  /** Refuses an id the API would call malformed (before it is looked up). */
  checkId?: (id: string) => void;
  /** The most items an account may have, and the 400 past it. */
  limit?: { max: number; message: string };
  /** A new item, with this id, from a create body, checked. */
  create: (id: string, body: Record<string, unknown>, context: EmulatorContext) => R;
  updateMethod: Extract<Method, 'PATCH' | 'PUT'>;
  /** The item an update body makes of `existing`, checked. */
  update: (existing: R, body: Record<string, unknown>, context: EmulatorContext) => R;
  /** Refuses to delete an item that must stay. */
  checkDelete?: (item: R, context: EmulatorContext) => void;
  /** The item as the API answers with it; as stored when omitted. */
  present?: (item: R) => unknown;
}

/** Refuses a name that another item of the collection already has (400). */
export function requireUniqueName(items: ReadonlyArray<{ id: string; name: string }>, name: string, selfId: string | undefined, message: string): void {
  if (items.some((item) => item.name === name && item.id !== selfId)) throw new ApiFailure(400, message);
}

/** The route table of one collection. */
export function collectionRoutes<R extends { id: string }>(spec: CollectionSpec<R>): EmulatorRoute[] {
  const present = (item: R) => (spec.present ? spec.present(item) : item);
  const find = (store: MediaStore, id: string): { item: R; index: number } => {
    spec.checkId?.(id);
    const index = spec.items(store).findIndex((item) => item.id === id);
    if (index < 0) throw spec.notFound();
    return { item: spec.items(store)[index]!, index };
  };
  const itemPath = `${spec.path}/:id` as const;

  return [
    route('GET', spec.path, (_, { store }) => ({ status: 200, body: spec.items(store).map(present) })),

    route('POST', spec.path, ({ body }, context) => {
      const items = spec.items(context.store);
      if (spec.limit && items.length >= spec.limit.max) throw new ApiFailure(400, spec.limit.message);
      const item = spec.create(newId(), body, context);
      items.push(item);
      context.store.accountChanged();
      return { status: 201, body: present(item) };
    }),

    route('GET', itemPath, ({ params }, { store }) => ({ status: 200, body: present(find(store, decodePart(params.id)).item) })),

    route(spec.updateMethod, itemPath, ({ params, body }, context) => {
      const { item, index } = find(context.store, decodePart(params.id));
      const updated = spec.update(item, body, context);
      spec.items(context.store)[index] = updated;
      context.store.accountChanged();
      return { status: 200, body: present(updated) };
    }),

    route('DELETE', itemPath, ({ params }, context) => {
      const { item, index } = find(context.store, decodePart(params.id));
      spec.checkDelete?.(item, context);
      spec.items(context.store).splice(index, 1);
      context.store.accountChanged();
      return { status: 204 };
    }),

    // Any other method: the item is looked up first, so a missing one is a 404 of its own.
    route('*', itemPath, ({ method, url, params }, { store }) => {
      find(store, decodePart(params.id));
      throw ApiFailure.noRoute(method, url.pathname);
    }),
  ];
}
