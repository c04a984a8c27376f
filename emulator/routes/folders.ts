/**
 * Folders: create one (with its missing parents) and delete one with everything inside it. Copy,
 * move and rename are bulk jobs (jobs.ts).
 */
import { normaliseFolder } from '../../src/paths.js';
import { ApiFailure } from '../server/errors.js';
import { dateNow, route, type EmulatorRoute } from './context.js';
import { requireString } from './request-checks.js';

export const folderRoutes: EmulatorRoute[] = [
  route('POST', '/v1/folder', ({ body }, context) => {
    const folderName = requireString(body, 'folderName');
    const parent = typeof body.parentFolderPath === 'string' ? body.parentFolderPath : '/';
    if (parent.split('/').includes('..')) throw new ApiFailure(400, "'.' & '..' can not be used in parentFolderPath", { reason: 'INVALID_FOLDER_PATH' });
    if (folderName === '.' || folderName === '..') throw new ApiFailure(400, "'.' & '..' can not be used as folder-name", { reason: 'INVALID_FOLDER_PATH' });
    context.store.ensureFolder(`${normaliseFolder(parent)}/${folderName.replace(/[^\p{L}\p{M}\p{N}_-]/gu, '_')}`, dateNow(context));
    return { status: 201, body: {} };
  }),

  route('DELETE', '/v1/folder', ({ body }, { store }) => {
    const folderPath = normaliseFolder(requireString(body, 'folderPath'));
    if (!store.folders.has(folderPath)) throw new ApiFailure(404, `No folder found with folderPath \`${folderPath}\`.`, { reason: 'FOLDER_NOT_FOUND' });
    store.deleteFolder(folderPath);
    return { status: 204 };
  }),
];
