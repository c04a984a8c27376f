// Bad input is a 400 with ImageKit's error shape, never a 500: a JSON body that is not an object, on
// every route that reads one, and a file named `.` or `..`, which no URL could deliver.
import { bulkRoutes } from '../../../emulator/routes/bulk.js';
import type { EmulatorRoute } from '../../../emulator/routes/context.js';
import { customMetadataFieldRoutes } from '../../../emulator/routes/custom-metadata-fields.js';
import { fileRoutes } from '../../../emulator/routes/files.js';
import { folderRoutes } from '../../../emulator/routes/folders.js';
import { jobRoutes } from '../../../emulator/routes/jobs.js';
import { purgeRoutes } from '../../../emulator/routes/purge.js';
import { versionRoutes } from '../../../emulator/routes/versions.js';
import { startEmulator, type Emulator } from '../../../emulator/index.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const auth = () => ({ authorization: `Basic ${Buffer.from(`${emulator.privateKey}:`).toString('base64')}` });

/** Every API route that reads a body, its `:name` segments filled in. */
const routesWithBodies = [bulkRoutes, customMetadataFieldRoutes, fileRoutes, folderRoutes, jobRoutes, purgeRoutes, versionRoutes]
  .flat()
  .filter((route: EmulatorRoute): route is EmulatorRoute & { method: string } => typeof route.method === 'string' && route.method !== '*' && route.method !== 'GET')
  .map((route) => [route.method, route.path.replace(/:\w+/g, '000000000000000000000000')] as const);

describe('a JSON body that is not an object', () => {
  it.each(routesWithBodies.flatMap(([method, path]) => ['null', '42', '"text"', '[]'].map((body) => [method, path, body] as const)))(
    '%s %s with %s answers 400',
    async (method, path, body) => {
      const response = await fetch(`${emulator.url}${path}`, { method, headers: { ...auth(), 'content-type': 'application/json' }, body });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ message: 'Your request body must be a JSON object.', help: expect.any(String) });
    },
  );
});

describe('a file named . or ..', () => {
  async function upload(fileName: string) {
    const form = new FormData();
    form.append('fileName', fileName);
    form.append('useUniqueFileName', 'false');
    form.append('file', new Blob([Buffer.from('x')]), 'x.txt');
    return fetch(`${emulator.url}/api/v1/files/upload`, { method: 'POST', headers: auth(), body: form });
  }

  it.each(['.', '..'])('is refused on upload: %s', async (name) => {
    const response = await upload(name);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: 'Your request contains invalid fileName parameter.', help: expect.any(String) });
  });

  it.each(['.', '..'])('is refused as a new name: %s', async (name) => {
    expect((await upload('named.txt')).status).toBe(200);
    const response = await fetch(`${emulator.url}/v1/files/rename`, {
      method: 'PUT',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ filePath: '/named.txt', newFileName: name }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).message).toBe('Your request contains invalid newFileName parameter.');
  });
});
