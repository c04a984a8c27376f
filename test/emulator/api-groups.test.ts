// The account's API groups in the emulator, over real HTTP on 127.0.0.1: saved extensions, named
// transformations, origins, URL endpoints, usage and analytics; upload `checks` and `extensions`;
// custom metadata field descriptions and schema rules; and all of it kept across a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/index.js';
import { ApiError } from '../../src/errors.js';
import { clientFor, useEmulator } from '../helpers/emulator.js';
import { testImage } from '../helpers/images.js';

const ik = useEmulator();

/** Calls the API as any client would, answering the status and the parsed body. */
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${ik.emulator.url}${path}`, {
    method,
    headers: { authorization: `Basic ${Buffer.from(`${ik.emulator.privateKey}:`).toString('base64')}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const REMOVE_BG = { name: 'remove-bg', options: { add_shadow: true } };

describe('saved extensions', () => {
  it('are created, listed, read, updated and deleted, with names unique and configs checked', async () => {
    const created = await api('POST', '/v1/saved-extensions', { name: 'Cut out', description: 'removes backgrounds', config: REMOVE_BG });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{24}$/), name: 'Cut out', description: 'removes backgrounds', config: REMOVE_BG });
    const { id } = created.body;
    expect((await api('GET', '/v1/saved-extensions')).body).toEqual([created.body]);
    expect((await api('GET', `/v1/saved-extensions/${id}`)).body).toEqual(created.body);
    const updated = await api('PATCH', `/v1/saved-extensions/${id}`, { description: 'cut out' });
    expect(updated.body).toMatchObject({ name: 'Cut out', description: 'cut out', config: REMOVE_BG });

    expect((await api('POST', '/v1/saved-extensions', { name: 'Cut out', description: 'again', config: REMOVE_BG })).status).toBe(400);
    expect((await api('POST', '/v1/saved-extensions', { name: 'x', config: REMOVE_BG })).status).toBe(400);
    for (const config of [{ name: 'google-auto-tagging', maxTags: 5 }, { name: 'saved-extension', id }, { name: 'ai-tasks', tasks: [] }, 'remove-bg']) {
      const refused = await api('POST', '/v1/saved-extensions', { name: 'bad', description: 'bad', config });
      expect(refused).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^Invalid extension configuration/) } });
    }
    expect((await api('PATCH', `/v1/saved-extensions/${id}`, { config: { name: 'nope' } })).status).toBe(400);
    expect((await api('GET', '/v1/saved-extensions/not-an-id')).body.message).toBe('Invalid saved extension ID.');
    expect((await api('GET', '/v1/saved-extensions/000000000000000000000000')).body.message).toBe('The requested saved extension does not exist.');
    expect((await api('DELETE', `/v1/saved-extensions/${id}`)).status).toBe(204);
    expect((await api('DELETE', `/v1/saved-extensions/${id}`)).status).toBe(404);
  });
});

describe('named transformations', () => {
  it('keep a name for a transformation string that delivery can ask the store for', async () => {
    const created = await api('POST', '/v1/named-transformations', { name: 'thumb_small', transformation: 'w-150,h-150,c-at_max' });
    expect(created).toMatchObject({ status: 201, body: { name: 'thumb_small', transformation: 'w-150,h-150,c-at_max', enabled: true, createdAt: expect.any(String) } });
    expect(ik.emulator.store.namedTransformation('thumb_small')).toBe('w-150,h-150,c-at_max');
    expect(ik.emulator.store.namedTransformation('Thumb_small')).toBeUndefined();
    const { id } = created.body;
    const disabled = await api('PATCH', `/v1/named-transformations/${id}`, { enabled: false });
    expect(disabled.body).toMatchObject({ enabled: false, transformation: 'w-150,h-150,c-at_max' });
    expect(ik.emulator.store.namedTransformation('thumb_small')).toBeUndefined();
    await api('PATCH', `/v1/named-transformations/${id}`, { enabled: true, transformation: 'w-200' });
    expect(ik.emulator.store.namedTransformation('thumb_small')).toBe('w-200');

    expect((await api('POST', '/v1/named-transformations', { name: 'thumb_small', transformation: 'w-1' })).status).toBe(400);
    expect((await api('POST', '/v1/named-transformations', { name: 'has-dash', transformation: 'w-1' })).status).toBe(400);
    expect((await api('POST', '/v1/named-transformations', { name: 'x' })).status).toBe(400);
    const unknown = await api('POST', '/v1/named-transformations', { name: 'odd', transformation: 'w-10,zz-3' });
    expect(unknown).toMatchObject({ status: 400, body: { message: expect.stringContaining('"zz"') } });
    expect((await api('PATCH', `/v1/named-transformations/${id}`, { enabled: 'yes' })).status).toBe(400);
    expect((await api('DELETE', `/v1/named-transformations/${id}`)).status).toBe(204);
    expect(ik.emulator.store.namedTransformation('thumb_small')).toBeUndefined();
    expect((await api('GET', `/v1/named-transformations/${id}`)).status).toBe(404);
  });
});

describe('origins', () => {
  const origins = {
    S3: { bucket: 'b', accessKey: 'AKIA_S3_SECRET', secretKey: 'S3_SECRET_KEY_VALUE' },
    S3_COMPATIBLE: { bucket: 'b', endpoint: 'https://s3.example.com', accessKey: 'COMPAT_ACCESS', secretKey: 'COMPAT_SECRET', s3ForcePathStyle: true },
    CLOUDINARY_BACKUP: { bucket: 'b', accessKey: 'CB_ACCESS', secretKey: 'CB_SECRET', prefix: 'raw' },
    WEB_FOLDER: { baseUrl: 'https://images.example.com/assets' },
    WEB_PROXY: {},
    GCS: { bucket: 'g', clientEmail: 'svc@example.iam.gserviceaccount.com', privateKey: 'GCS_PRIVATE_KEY_VALUE' },
    AZURE_BLOB: { accountName: 'acct', container: 'c', sasToken: 'AZURE_SAS_TOKEN_VALUE' },
    AKENEO_PIM: { baseUrl: 'https://pim.example.com', clientId: 'AK_CLIENT', clientSecret: 'AK_CLIENT_SECRET', username: 'AK_USER', password: 'AK_PASSWORD' },
  };

  it('take every type with its own fields, and never answer with their secrets', async () => {
    const made: Record<string, any> = {};
    for (const [type, fields] of Object.entries(origins)) {
      const created = await api('POST', '/v1/accounts/origins', { type, name: `Origin ${type.replace(/_/g, ' ')}`, ...fields });
      expect(created.status).toBe(201);
      made[type] = created.body;
    }
    expect(made.S3).toEqual({ id: expect.any(String), type: 'S3', name: 'Origin S3', bucket: 'b', prefix: '', useIAMRole: false, includeCanonicalHeader: false });
    expect(made.S3_COMPATIBLE).toMatchObject({ endpoint: 'https://s3.example.com', s3ForcePathStyle: true, prefix: '' });
    expect(made.WEB_FOLDER).toMatchObject({ baseUrl: 'https://images.example.com/assets', forwardHostHeaderToOrigin: false });
    expect(made.AKENEO_PIM).toEqual({ id: expect.any(String), type: 'AKENEO_PIM', name: 'Origin AKENEO PIM', baseUrl: 'https://pim.example.com', includeCanonicalHeader: false });
    const everything = JSON.stringify([made, (await api('GET', '/v1/accounts/origins')).body]);
    for (const secret of ['AKIA_S3_SECRET', 'S3_SECRET_KEY_VALUE', 'COMPAT_SECRET', 'CB_SECRET', 'GCS_PRIVATE_KEY_VALUE', 'AZURE_SAS_TOKEN_VALUE', 'AK_CLIENT_SECRET', 'AK_PASSWORD']) {
      expect(everything).not.toContain(secret);
    }
    expect(ik.emulator.store.account.origins.find((o) => o.type === 'S3')).toMatchObject({ secretKey: 'S3_SECRET_KEY_VALUE' });
  });

  it('check required fields, names and IAM roles, replace whole on PUT, and 404 with a list message', async () => {
    expect((await api('POST', '/v1/accounts/origins', { type: 'S3', name: 'No keys', bucket: 'b' })).status).toBe(400);
    expect((await api('POST', '/v1/accounts/origins', { type: 'FTP', name: 'Odd' })).status).toBe(400);
    expect((await api('POST', '/v1/accounts/origins', { type: 'WEB_PROXY', name: 'bad/name' })).status).toBe(400);
    expect((await api('POST', '/v1/accounts/origins', { type: 'WEB_FOLDER', name: 'Not a url', baseUrl: 'ftp://x' })).status).toBe(400);
    const iam = await api('POST', '/v1/accounts/origins', { type: 'S3', name: 'By role', bucket: 'b', accessKey: '', secretKey: '', useIAMRole: true });
    expect(iam).toMatchObject({ status: 201, body: { useIAMRole: true } });
    expect((await api('POST', '/v1/accounts/origins', { type: 'WEB_PROXY', name: 'By role' })).status).toBe(400);
    const replaced = await api('PUT', `/v1/accounts/origins/${iam.body.id}`, { type: 'WEB_PROXY', name: 'By role', includeCanonicalHeader: true, baseUrlForCanonicalHeader: 'https://cdn.example.com' });
    expect(replaced.body).toEqual({ id: iam.body.id, type: 'WEB_PROXY', name: 'By role', includeCanonicalHeader: true, baseUrlForCanonicalHeader: 'https://cdn.example.com' });
    expect(await api('GET', '/v1/accounts/origins/nope')).toMatchObject({ status: 404, body: { message: ['Origin not found.'] } });
    await expect(ik.client.origins.get('nope')).rejects.toMatchObject({ status: 404, message: 'Origin not found.' });
  });
});

describe('URL endpoints', () => {
  it('have a default one, take origins in order, and refuse what the API refuses', async () => {
    const listed = (await api('GET', '/v1/accounts/url-endpoints')).body;
    expect(listed[0]).toEqual({ id: 'default', description: 'Default URL endpoint', urlPrefix: '', origins: [] });
    const first = (await api('POST', '/v1/accounts/origins', { type: 'WEB_PROXY', name: 'First proxy' })).body;
    const second = (await api('POST', '/v1/accounts/origins', { type: 'WEB_PROXY', name: 'Second proxy' })).body;
    const created = await api('POST', '/v1/accounts/url-endpoints', { description: 'Legacy', urlPrefix: 'legacy-1', origins: [second.id, first.id], urlRewriter: { type: 'CLOUDINARY' } });
    expect(created).toMatchObject({ status: 201, body: { urlPrefix: 'legacy-1', origins: [second.id, first.id], urlRewriter: { type: 'CLOUDINARY', preserveAssetDeliveryTypes: false } } });
    const { id } = created.body;
    expect((await api('POST', '/v1/accounts/url-endpoints', { description: 'Again', urlPrefix: 'legacy-1' })).status).toBe(400);
    expect((await api('POST', '/v1/accounts/url-endpoints', { description: 'Bad', urlPrefix: 'no_underscores' })).status).toBe(400);
    expect((await api('POST', '/v1/accounts/url-endpoints', { urlPrefix: 'x' })).status).toBe(400);
    expect((await api('POST', '/v1/accounts/url-endpoints', { description: 'Ghost', urlPrefix: 'ghost', origins: ['nope'] })).status).toBe(400);
    expect((await api('POST', '/v1/accounts/url-endpoints', { description: 'Rewriter', urlPrefix: 'rw', urlRewriter: { type: 'OTHER' } })).status).toBe(400);
    const replaced = await api('PUT', `/v1/accounts/url-endpoints/${id}`, { description: 'Legacy site', urlPrefix: 'legacy-1', origins: [first.id] });
    expect(replaced.body).toEqual({ id, description: 'Legacy site', urlPrefix: 'legacy-1', origins: [first.id] });
    expect((await api('DELETE', `/v1/accounts/origins/${first.id}`)).status).toBe(400);
    expect((await api('PUT', '/v1/accounts/url-endpoints/default', { description: 'Main', urlPrefix: 'main' })).status).toBe(400);
    expect((await api('PUT', '/v1/accounts/url-endpoints/default', { description: 'Main', origins: [second.id] })).body).toMatchObject({ id: 'default', origins: [second.id] });
    expect(await api('DELETE', '/v1/accounts/url-endpoints/default')).toMatchObject({ status: 400, body: { message: 'Default URL-endpoint cannot be deleted.' } });
    expect((await api('DELETE', `/v1/accounts/url-endpoints/${id}`)).status).toBe(204);
    expect((await api('DELETE', `/v1/accounts/origins/${first.id}`)).status).toBe(204);
    expect((await api('GET', `/v1/accounts/url-endpoints/${id}`)).status).toBe(404);
  });
});

describe('usage and analytics', () => {
  it('count what was stored and delivered, by day, and check the dates', async () => {
    const usageEmulator = await startEmulator({ now: () => Date.parse('2025-03-10T12:00:00Z') });
    try {
      const local = clientFor(usageEmulator);
      const png = await testImage();
      await local.upload({ bytes: png }, { fileName: 'a.png', useUniqueFileName: false });
      await local.upload({ bytes: Buffer.from('hello') }, { fileName: 'b.txt', useUniqueFileName: false });
      for (const path of ['a.png', 'a.png', 'b.txt']) expect((await fetch(`${usageEmulator.urlEndpoint}/${path}`)).status).toBe(200);
      expect(await local.getUsage('2025-03-10', '2025-03-11')).toEqual({
        bandwidthBytes: 2 * png.length + 5,
        mediaLibraryStorageBytes: png.length + 5,
        videoProcessingUnitsCount: 0,
        extensionUnitsCount: 0,
        originalCacheStorageBytes: 0,
      });
      expect((await local.getUsage('2025-03-09', '2025-03-10')).bandwidthBytes).toBe(0);
      const analytics = await local.getUsageAnalytics('2025-03-10', '2025-03-10');
      expect(analytics).toMatchObject({ requestCount: 3, bandwidthBytes: 2 * png.length + 5, statusCodes: [{ name: '200', requestCount: 3 }] });
      expect((analytics.topImages as any).byRequests).toEqual([{ name: `${usageEmulator.urlEndpoint}/a.png`, requestCount: 2, bandwidthBytes: 2 * png.length }]);
      expect((analytics.format as any).byBandwidth.map((e: { name: string }) => e.name)).toEqual(['image/png', 'text/plain']);
      const resized = await fetch(`${usageEmulator.urlEndpoint}/tr:w-10/a.png`);
      const resizedBytes = (await resized.arrayBuffer()).byteLength;
      expect((await local.getUsageAnalytics('2025-03-10', '2025-03-10')).bandwidthBytes).toBe(2 * png.length + 5 + resizedBytes);
      for (const [start, end] of [['2025-3-1', '2025-03-02'], ['2025-03-05', '2025-03-01'], ['2025-01-01', '2025-04-01'], ['2025-02-30', '2025-03-01']]) {
        await expect(local.getUsage(start!, end!)).rejects.toBeInstanceOf(ApiError);
      }
    } finally {
      await usageEmulator.close();
    }
  });
});

describe('upload checks and extensions', () => {
  const uploadTo = (folder: string, extra: Record<string, unknown>) => ik.client.upload({ bytes: Buffer.from('0123456789') }, { fileName: 'c.txt', folder, ...extra });

  it('evaluates `checks` and refuses an upload that fails them, storing nothing', async () => {
    const before = ik.emulator.store.files.size;
    await expect(uploadTo('/marketing/2025', { checks: '"request.folder" : "marketing/"' })).resolves.toMatchObject({ filePath: expect.stringMatching(/^\/marketing\/2025\//) });
    await expect(uploadTo('/marketing', { checks: '"request.folder" = "/marketing" AND "file.size" <= "1kb"' })).resolves.toBeDefined();
    await expect(uploadTo('/sales', { checks: '"request.folder" : "marketing/" OR ("file.size" < 5 AND "file.mime" = "text/plain")' })).rejects.toMatchObject({
      status: 400,
      message: "Your request failed 'checks' validation.",
    });
    await expect(uploadTo('/a', { checks: '"file.mime" IN ["image/png"]' })).rejects.toMatchObject({ status: 400 });
    await expect(uploadTo('/a', { checks: '"request.tags" IN ["x"]', tags: ['x'] })).resolves.toBeDefined();
    await expect(uploadTo('/a', { checks: '"file.size" <' })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/invalid syntax for the checks parameter/) });
    await expect(uploadTo('/a', { checks: '"file.colour" = "red"' })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/unknown field/) });
    expect(ik.emulator.store.files.size).toBe(before + 3);
  });

  it('checks `extensions`, resolving saved extension ids', async () => {
    const saved = await ik.client.savedExtensions.create({ name: 'Tagger', description: 'tags', config: { name: 'google-auto-tagging', minConfidence: 80, maxTags: 5 } });
    const uploaded = await uploadTo('/ext', { extensions: [{ name: 'saved-extension', id: saved.id }, { name: 'remove-bg' }] });
    expect(uploaded.extensionStatus).toEqual({ 'google-auto-tagging': 'pending', 'remove-bg': 'pending' });
    await expect(uploadTo('/ext', { extensions: [{ name: 'saved-extension', id: '000000000000000000000000' }] })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/saved extension/) });
    await expect(uploadTo('/ext', { extensions: [{ name: 'aws-auto-tagging' }] })).rejects.toMatchObject({ status: 400 });
    await expect(ik.client.updateFileDetails(uploaded.fileId, { tags: ['kept?'], extensions: [{ name: 'unknown' }] })).rejects.toMatchObject({ status: 400 });
    expect((await ik.client.getFileDetails(uploaded.fileId)).tags).toBeNull();
    const updated = await ik.client.updateFileDetails(uploaded.fileId, { extensions: [{ name: 'saved-extension', id: saved.id }] });
    expect(updated.extensionStatus).toEqual({ 'google-auto-tagging': 'pending' });
  });
});

describe('custom metadata fields', () => {
  it('keep a description, update it alone, and refuse schemas the API refuses', async () => {
    const created = await api('POST', '/v1/customMetadataFields', { name: 'sku', label: 'SKU', description: 'stock keeping unit', schema: { type: 'Text', maxLength: 20 } });
    expect(created.body).toMatchObject({ name: 'sku', description: 'stock keeping unit' });
    const { id } = created.body;
    expect((await api('PATCH', `/v1/customMetadataFields/${id}`, { description: 'the SKU' })).body).toMatchObject({ label: 'SKU', description: 'the SKU' });
    const cleared = await api('PATCH', `/v1/customMetadataFields/${id}`, { description: '' });
    expect(cleared.body).not.toHaveProperty('description');
    expect((await api('PATCH', `/v1/customMetadataFields/${id}`, {})).status).toBe(400);
    expect((await api('PATCH', `/v1/customMetadataFields/${id}`, { description: 'x'.repeat(501) })).status).toBe(400);

    const refusals: Array<[string, Record<string, unknown>, RegExp]> = [
      ['n1', { type: 'Number', defaultValue: 'five' }, /defaultValue must be a number/],
      ['n2', { type: 'Number', minValue: 10, maxValue: 1 }, /minValue must not be greater than maxValue/],
      ['d1', { type: 'Date', minValue: '2025-02-01', maxValue: '2025-01-01' }, /minValue must not be greater/],
      ['t1', { type: 'Text', minLength: 5, maxLength: 2 }, /minLength must not be greater/],
      ['t2', { type: 'Text', minValue: 1 }, /minValue applies to Number and Date/],
      ['b1', { type: 'Boolean', defaultValue: 'yes' }, /defaultValue must be true or false/],
      ['s1', { type: 'SingleSelect', selectOptions: ['a', 'b'], defaultValue: 'c' }, /defaultValue must be one of/],
      ['n3', { type: 'Number', minValue: 0, maxValue: 5, defaultValue: 9 }, /defaultValue must be at most 5/],
    ];
    for (const [name, schema, message] of refusals) {
      const refused = await api('POST', '/v1/customMetadataFields', { name, label: name, schema });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(message);
    }
    expect((await api('PATCH', `/v1/customMetadataFields/${id}`, { schema: { minLength: 30 } })).status).toBe(400);
  });
});

describe('persistence', () => {
  it('keeps every collection and the usage counters across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'imagekit-groups-'));
    try {
      const first = await startEmulator({ dataDir, privateKey: 'private_groups' });
      const firstClient = clientFor(first);
      await firstClient.namedTransformations.create({ name: 'kept', transformation: 'w-10' });
      await firstClient.savedExtensions.create({ name: 'Kept', description: 'kept', config: { name: 'ai-auto-description' } });
      const origin = await firstClient.origins.create({ type: 'WEB_PROXY', name: 'Kept proxy' });
      await firstClient.urlEndpoints.create({ description: 'Kept', urlPrefix: 'kept', origins: [origin.id] });
      await firstClient.upload({ bytes: Buffer.from('abc') }, { fileName: 'kept.txt', useUniqueFileName: false });
      await fetch(`${first.urlEndpoint}/kept.txt`);
      await first.close();
      const second = await startEmulator({ dataDir, privateKey: 'private_groups' });
      const secondClient = clientFor(second);
      expect(second.store.namedTransformation('kept')).toBe('w-10');
      expect((await secondClient.savedExtensions.list()).map((e) => e.name)).toEqual(['Kept']);
      expect((await secondClient.urlEndpoints.list()).map((e) => e.urlPrefix)).toEqual(['', 'kept']);
      const today = new Date().toISOString().slice(0, 10);
      expect((await secondClient.getUsageAnalytics(today, today)).bandwidthBytes).toBe(3);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
