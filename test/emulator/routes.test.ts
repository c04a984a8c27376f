// Route tables alone, each given a context of its own and called without a server: what they
// answer, and the errors they throw, which build their own answers.
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmulatorContext, EmulatorRoute } from '../../emulator/routes/context.js';
import { DerivedImages } from '../../emulator/routes/derived-images.js';
import { fileRoutes } from '../../emulator/routes/files.js';
import { folderRoutes } from '../../emulator/routes/folders.js';
import { jobRoutes } from '../../emulator/routes/jobs.js';
import { versionRoutes } from '../../emulator/routes/versions.js';
import { ApiFailure, HELP } from '../../emulator/server/errors.js';
import { Router } from '../../emulator/server/router.js';
import { MediaStore, newFileState, newId } from '../../emulator/store/media-store.js';

const NOW = Date.parse('2025-01-02T03:04:05Z');
let dataDir: string;
let context: EmulatorContext;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'imagekit-routes-'));
  const store = new MediaStore(dataDir);
  context = {
    store,
    now: () => NOW,
    settings: { failRate: 0, resetRate: 0, latencyMs: 0, jobDurationMs: 0 },
    urlEndpoint: 'http://emulator.test/acme',
    imagekitId: 'acme',
    privateKey: 'private_routes',
    publicKey: 'public_routes',
    plan: 'pro',
    jobTimers: { pending: new Set(), stopped: false },
    derivedImages: new DerivedImages(store),
  };
});
afterEach(async () => {
  await context.store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Calls the route of a table that a method and path find, as the server would. */
async function call(routes: EmulatorRoute[], method: string, path: string, body: Record<string, unknown> = {}) {
  const found = new Router(routes).match(method, path);
  if (!found) throw new Error(`no route for ${method} ${path}`);
  const request = { method, url: new URL(path, 'http://emulator.test'), rawUrl: path, params: found.params, body, req: {} as IncomingMessage, record: { method, path, query: {}, at: NOW } };
  return found.route.handle(request, context);
}

function addFile(folder: string, name: string) {
  const blob = newId();
  context.store.writeBlob(blob, Buffer.from('x'));
  context.store.ensureFolder(folder, new Date(NOW));
  return context.store.addFile(newFileState({ name, folder, blob, size: 1, mime: 'text/plain', fileType: 'non-image', format: 'txt' }, new Date(NOW)));
}

describe('route tables, called alone', () => {
  it('answer with the context they are given', async () => {
    const file = addFile('/docs', 'a.txt');
    expect(await call(fileRoutes, 'GET', `/v1/files/${file.fileId}/details`)).toMatchObject({
      status: 200,
      body: { fileId: file.fileId, url: 'http://emulator.test/acme/docs/a.txt', createdAt: '2025-01-02T03:04:05.000Z' },
    });
    expect(await call(folderRoutes, 'POST', '/v1/folder', { folderName: 'new one', parentFolderPath: '/docs' })).toEqual({ status: 201, body: {} });
    expect(context.store.folders.has('/docs/new_one')).toBe(true);
  });

  it('throw errors that build their own answer, with the API messages', async () => {
    await expect(call(folderRoutes, 'DELETE', '/v1/folder', { folderPath: '/none' })).rejects.toMatchObject({ status: 404, message: 'No folder found with folderPath `/none`.' });
    await expect(call(versionRoutes, 'GET', '/v1/files/nope/versions')).rejects.toMatchObject({ status: 404, message: 'The requested file does not exist.' });
    const file = addFile('/docs', 'a.txt');
    // A method without a route still looks the version up first.
    await expect(call(versionRoutes, 'DELETE', `/v1/files/${file.fileId}/versions/nope/restore`)).rejects.toMatchObject({ status: 404, message: 'The requested asset does not exist.' });
    await expect(call(versionRoutes, 'PATCH', `/v1/files/${file.fileId}/versions/${file.fileId}`)).rejects.toMatchObject({ status: 404, message: `No route for PATCH /v1/files/${file.fileId}/versions/${file.fileId}.` });
    expect(new ApiFailure(400, 'Source folder cannot be root.', { reason: 'SOURCE_IS_ROOT' }).toAnswer()).toEqual({
      status: 400,
      body: { message: 'Source folder cannot be root.', help: HELP, reason: 'SOURCE_IS_ROOT' },
    });
  });

  it('run folder jobs on the context clock and settings, and none once stopped', async () => {
    addFile('/from', 'a.txt');
    const done = (await call(jobRoutes, 'POST', '/v1/bulkJobs/copyFolder', { sourceFolderPath: '/from', destinationPath: '/to' })) as { body: { jobId: string } };
    expect(await call(jobRoutes, 'GET', `/v1/bulkJobs/${done.body.jobId}`)).toMatchObject({ status: 200, body: { status: 'Completed' } });
    expect(context.store.findByPath('/to/from/a.txt')).toBeDefined();
    context.jobTimers.stopped = true;
    const stopped = (await call(jobRoutes, 'POST', '/v1/bulkJobs/moveFolder', { sourceFolderPath: '/from', destinationPath: '/elsewhere' })) as { body: { jobId: string } };
    expect(await call(jobRoutes, 'GET', `/v1/bulkJobs/${stopped.body.jobId}`)).toMatchObject({ status: 200, body: { status: 'Pending' } });
  });
});
