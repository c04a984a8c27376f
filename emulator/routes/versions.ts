/**
 * A file's versions: the list, one version's details, deleting an earlier version, and restoring
 * one as the current version.
 */
import { ApiFailure } from '../server/errors.js';
import type { RouteRequest } from '../server/router.js';
import { fileDetails } from '../store/details.js';
import type { MediaStore } from '../store/media-store.js';
import { dateNow, route, type EmulatorContext, type EmulatorRoute } from './context.js';
import { requireFile } from './request-checks.js';

/**
 * The file and version a path names: the file, whether the version is its current one, and else
 * its place among the earlier ones. A missing version is a 404 whose message depends on the method.
 */
function findVersion(store: MediaStore, { method, params }: RouteRequest<'fileId' | 'versionId'>) {
  const file = requireFile(store, params.fileId);
  const isCurrent = file.current.versionId === params.versionId;
  const index = file.versions.findIndex((v) => v.versionId === params.versionId);
  if (!isCurrent && index < 0) {
    throw new ApiFailure(404, method === 'DELETE' ? 'The requested asset does not exist.' : 'The requested file version does not exist.');
  }
  return { file, isCurrent, index };
}

/** Any other method: the file and version are looked up first, so a missing one is a 404 of its own. */
function lookUpThenNoRoute(request: RouteRequest<'fileId' | 'versionId'>, { store }: EmulatorContext): never {
  findVersion(store, request);
  throw ApiFailure.noRoute(request.method, request.url.pathname);
}

export const versionRoutes: EmulatorRoute[] = [
  route('GET', '/v1/files/:fileId/versions', ({ params }, { store, urlEndpoint }) => {
    const file = requireFile(store, params.fileId);
    return { status: 200, body: [...file.versions.map((v) => fileDetails(file, v, urlEndpoint, 'file-version')), fileDetails(file, file.current, urlEndpoint)] };
  }),

  route('GET', '/v1/files/:fileId/versions/:versionId', (request, { store, urlEndpoint }) => {
    const { file, isCurrent, index } = findVersion(store, request);
    return { status: 200, body: fileDetails(file, isCurrent ? file.current : file.versions[index]!, urlEndpoint, 'file-version') };
  }),

  route('DELETE', '/v1/files/:fileId/versions/:versionId', (request, { store }) => {
    const { file, isCurrent, index } = findVersion(store, request);
    if (isCurrent) throw new ApiFailure(400, 'You cannot delete current version of a file.');
    store.deleteVersion(file, index);
    return { status: 204 };
  }),

  route('PUT', '/v1/files/:fileId/versions/:versionId/restore', (request, context) => {
    const { file, isCurrent, index } = findVersion(context.store, request);
    if (!isCurrent) context.store.restoreVersion(file, index, dateNow(context));
    return { status: 200, body: fileDetails(file, file.current, context.urlEndpoint) };
  }),

  route('*', '/v1/files/:fileId/versions/:versionId', lookUpThenNoRoute),
  route('*', '/v1/files/:fileId/versions/:versionId/restore', lookUpThenNoRoute),
];
