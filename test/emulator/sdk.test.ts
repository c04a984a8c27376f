// The official ImageKit Node SDK, pointed at the emulator, calls every endpoint and gets what its
// types describe: a client this project did not write agrees with the emulator.
import ImageKit, { toFile } from '@imagekit/nodejs';
import sharp from 'sharp';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { nearCopy, testImage } from '../helpers/images.js';

let emulator: Emulator;
let client: ImageKit;

beforeAll(async () => {
  emulator = await startEmulator({ privateKey: 'private_sdk_test_key' });
  client = new ImageKit({ privateKey: emulator.privateKey, baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

/** Uploads through the SDK; the emulator always answers a fileId, which the SDK's type leaves optional. */
const upload = async (fileName: string, extra: Record<string, unknown> = {}, bytes?: Buffer) => {
  const result = await client.files.upload({ file: await toFile(bytes ?? (await testImage()), fileName), fileName, ...extra } as never);
  return { ...result, fileId: result.fileId! };
};

describe('the official Node SDK against the emulator', () => {
  it('uploads, with every option reaching the API as a multipart field', async () => {
    const result = await upload('photo one.png', {
      folder: '/sdk/products',
      tags: ['a', 'b'],
      useUniqueFileName: false,
      isPrivateFile: false,
      customCoordinates: '1,2,3,4',
      responseFields: ['tags', 'customCoordinates', 'isPrivateFile'],
      description: 'a gradient',
    });
    expect(result).toMatchObject({
      name: 'photo_one.png',
      filePath: '/sdk/products/photo_one.png',
      url: `${emulator.urlEndpoint}/sdk/products/photo_one.png`,
      fileType: 'image',
      width: 64,
      height: 48,
      tags: ['a', 'b'],
      customCoordinates: '1,2,3,4',
      isPrivateFile: false,
      versionInfo: { id: result.fileId, name: 'Version 1' },
    });
    const recorded = emulator.requests.at(-1)!;
    expect(recorded.path).toBe('/api/v1/files/upload');
    expect(recorded.fields).toMatchObject({ fileName: 'photo one.png', folder: '/sdk/products', tags: 'a,b', useUniqueFileName: 'false', responseFields: 'tags,customCoordinates,isPrivateFile' });
  });

  it('adds a unique suffix by default', async () => {
    const result = await upload('same.png');
    expect(result.name).toMatch(/^same_[A-Za-z0-9_-]{9}\.png$/);
  });

  it('lists and searches', async () => {
    const all = await client.assets.list({ path: '/sdk/products' });
    expect(all.map((f) => (f as { name: string }).name)).toEqual(['photo_one.png']);
    const found = await client.assets.list({ searchQuery: 'name = "photo_one.png" AND size < "1mb" AND tags IN ["a"]' });
    expect(found).toHaveLength(1);
    const folders = await client.assets.list({ type: 'folder', path: '/sdk' });
    expect(folders).toEqual([expect.objectContaining({ type: 'folder', name: 'products', folderPath: '/sdk/products' })]);
    await expect(client.assets.list({ searchQuery: 'name = ' })).rejects.toBeInstanceOf(ImageKit.BadRequestError);
  });

  it('gets and updates file details, and publishes', async () => {
    const [file] = (await client.assets.list({ path: '/sdk/products' })) as Array<{ fileId: string }>;
    const details = await client.files.get(file!.fileId);
    expect(details).toMatchObject({ type: 'file', filePath: '/sdk/products/photo_one.png', mime: 'image/png' });
    const updated = await client.files.update(file!.fileId, { tags: ['x'], customCoordinates: null } as never);
    expect(updated).toMatchObject({ tags: ['x'], customCoordinates: null });
    const published = await client.files.update(file!.fileId, { publish: { isPublished: false } } as never);
    expect(published).toMatchObject({ isPublished: false });
    await client.files.update(file!.fileId, { publish: { isPublished: true } } as never);
  });

  it('keeps versions on overwrite, and gets, restores and deletes them', async () => {
    const first = await upload('versioned.png', { useUniqueFileName: false });
    const second = await upload('versioned.png', { useUniqueFileName: false }, await testImage({ seed: 2 }));
    expect(second.fileId).toBe(first.fileId);
    expect(second.versionInfo).toMatchObject({ name: 'Version 2' });
    const versions = await client.files.versions.list(first.fileId);
    expect(versions).toHaveLength(2);
    const old = await client.files.versions.get(first.versionInfo!.id!, { fileId: first.fileId });
    expect(old).toMatchObject({ type: 'file-version' });
    const restored = await client.files.versions.restore(first.versionInfo!.id!, { fileId: first.fileId });
    expect(restored.versionInfo?.id).toBe(first.versionInfo!.id);
    await client.files.versions.delete(second.versionInfo!.id!, { fileId: first.fileId });
    expect(await client.files.versions.list(first.fileId)).toHaveLength(1);
    await expect(client.files.versions.delete(first.versionInfo!.id!, { fileId: first.fileId })).rejects.toBeInstanceOf(ImageKit.BadRequestError);
  });

  it('copies, moves and renames files', async () => {
    const file = await upload('moving.png', { useUniqueFileName: false, folder: '/sdk/a' });
    await client.files.copy({ sourceFilePath: file.filePath!, destinationPath: '/sdk/b' });
    await client.files.move({ sourceFilePath: file.filePath!, destinationPath: '/sdk/c' });
    const renamed = await client.files.rename({ filePath: '/sdk/c/moving.png', newFileName: 'moved.png', purgeCache: true });
    expect(renamed.purgeRequestId).toMatch(/^[0-9a-f]{24}$/);
    expect((await client.assets.list({ path: '/sdk/b' })).length).toBe(1);
    expect((await client.assets.list({ path: '/sdk/a' })).length).toBe(0);
    await expect(client.files.rename({ filePath: '/sdk/b/moving.png', newFileName: 'moving.png' })).rejects.toBeInstanceOf(ImageKit.BadRequestError);
    await upload('taken.png', { useUniqueFileName: false, folder: '/sdk/b' });
    await expect(client.files.rename({ filePath: '/sdk/b/moving.png', newFileName: 'taken.png' })).rejects.toBeInstanceOf(ImageKit.ConflictError);
    await expect(client.files.copy({ sourceFilePath: '/nope.png', destinationPath: '/x' })).rejects.toBeInstanceOf(ImageKit.NotFoundError);
  });

  it('adds and removes tags in bulk, with partial success for unknown ids', async () => {
    const file = await upload('tagged.png');
    const added = await client.files.bulk.addTags({ fileIds: [file.fileId!], tags: ['t1', 't2'] });
    expect(added.successfullyUpdatedFileIds).toEqual([file.fileId]);
    const partial = await client.files.bulk.removeTags({ fileIds: [file.fileId!, '000000000000000000000000'], tags: ['t1'] });
    expect(partial).toMatchObject({ successfullyUpdatedFileIds: [file.fileId], errors: [{ fileId: '000000000000000000000000' }] });
    expect((await client.files.get(file.fileId!)).tags).toEqual(['t2']);
    const ai = await client.files.bulk.removeAITags({ fileIds: [file.fileId!], AITags: ['car'] });
    expect(ai.successfullyUpdatedFileIds).toEqual([file.fileId]);
    await expect(client.files.bulk.addTags({ fileIds: ['000000000000000000000000'], tags: ['x'] })).rejects.toBeInstanceOf(ImageKit.NotFoundError);
  });

  it('computes metadata with a pHash that tells near-identical images from different ones', async () => {
    const original = await testImage({ width: 200, height: 150, seed: 7 });
    const a = await upload('a.png', {}, original);
    const b = await upload('b.jpg', {}, await nearCopy(original));
    const c = await upload('c.png', {}, await testImage({ width: 200, height: 150, seed: 99 }));
    const [ma, mb, mc] = await Promise.all([a, b, c].map((f) => client.files.metadata.get(f.fileId!)));
    expect(ma).toMatchObject({ width: 200, height: 150, format: 'png', hasTransparency: false });
    expect(ma!.pHash).toMatch(/^[0-9a-f]{16}$/);
    const fromUrl = await client.files.metadata.getFromURL({ url: a.url! });
    expect(fromUrl.pHash).toBe(ma!.pHash);
    const { phashDistance } = await import('../../src/phash.js');
    expect(phashDistance(ma!.pHash!, mb!.pHash!)).toBeLessThan(10);
    expect(phashDistance(ma!.pHash!, mc!.pHash!)).toBeGreaterThan(20);
  });

  it('deletes files one by one and in bulk', async () => {
    const one = await upload('gone1.png');
    const two = await upload('gone2.png');
    await client.files.delete(one.fileId!);
    await expect(client.files.get(one.fileId!)).rejects.toBeInstanceOf(ImageKit.NotFoundError);
    const result = await client.files.bulk.delete({ fileIds: [two.fileId!] });
    expect(result.successfullyDeletedFileIds).toEqual([two.fileId]);
  });

  it('creates, copies, moves, renames and deletes folders through jobs', async () => {
    await client.folders.create({ folderName: 'tree', parentFolderPath: '/jobs/src' });
    await upload('leaf.png', { folder: '/jobs/src/tree', useUniqueFileName: false });
    const copy = await client.folders.copy({ sourceFolderPath: '/jobs/src/tree', destinationPath: '/jobs/dst', includeVersions: true });
    expect(await client.folders.job.get(copy.jobId)).toMatchObject({ jobId: copy.jobId, type: 'COPY_FOLDER', status: 'Completed' });
    expect((await client.assets.list({ path: '/jobs/dst/tree' })).length).toBe(1);
    const move = await client.folders.move({ sourceFolderPath: '/jobs/dst/tree', destinationPath: '/jobs/moved' });
    expect((await client.folders.job.get(move.jobId)).type).toBe('MOVE_FOLDER');
    const rename = await client.folders.rename({ folderPath: '/jobs/moved/tree', newFolderName: 'renamed' });
    expect((await client.folders.job.get(rename.jobId)).type).toBe('RENAME_FOLDER');
    expect((await client.assets.list({ path: '/jobs/moved/renamed' })).length).toBe(1);
    await client.folders.delete({ folderPath: '/jobs/moved/renamed' });
    expect((await client.assets.list({ path: '/jobs/moved/renamed' })).length).toBe(0);
    await expect(client.folders.delete({ folderPath: '/jobs/nowhere' })).rejects.toBeInstanceOf(ImageKit.NotFoundError);
  });

  it('purges cache and reports the status', async () => {
    const { requestId } = await client.cache.invalidation.create({ url: `${emulator.urlEndpoint}/sdk/products/photo_one.png` });
    expect(await client.cache.invalidation.get(requestId!)).toEqual({ status: 'Completed' });
    await expect(client.cache.invalidation.create({ url: 'not a url' })).rejects.toBeInstanceOf(ImageKit.BadRequestError);
  });

  it('manages custom metadata fields and validates values against them', async () => {
    const field = await client.customMetadataFields.create({ name: 'price', label: 'Price', schema: { type: 'Number', minValue: 1, maxValue: 100 } });
    expect(field).toMatchObject({ name: 'price', label: 'Price', schema: { type: 'Number', minValue: 1, maxValue: 100 } });
    expect((await client.customMetadataFields.list()).map((f) => f.name)).toContain('price');
    const updated = await client.customMetadataFields.update(field.id, { label: 'Price (EUR)' });
    expect(updated.label).toBe('Price (EUR)');
    const file = await upload('priced.png', { customMetadata: { price: 10 }, responseFields: ['customMetadata'] });
    expect(file.customMetadata).toEqual({ price: 10 });
    await expect(upload('bad.png', { customMetadata: { price: 1000 } })).rejects.toBeInstanceOf(ImageKit.BadRequestError);
    await client.customMetadataFields.delete(field.id);
    expect((await client.customMetadataFields.list()).map((f) => f.name)).not.toContain('price');
    expect((await client.customMetadataFields.list({ includeDeleted: true })).map((f) => f.name)).toContain('price');
  });

  it('manages saved extensions, and uploads that refer to them', async () => {
    const saved = await client.savedExtensions.create({ name: 'Backgrounds', description: 'removes them', config: { name: 'remove-bg', options: { add_shadow: true } } });
    expect(saved).toMatchObject({ name: 'Backgrounds', description: 'removes them', config: { name: 'remove-bg' }, createdAt: expect.any(String), updatedAt: expect.any(String) });
    expect((await client.savedExtensions.list()).map((e) => e.id)).toEqual([saved.id]);
    expect(await client.savedExtensions.get(saved.id!)).toEqual(saved);
    expect(await client.savedExtensions.update(saved.id!, { name: 'Cut outs' })).toMatchObject({ name: 'Cut outs', description: 'removes them' });
    const file = await upload('ext.png', { extensions: [{ name: 'saved-extension', id: saved.id }] });
    expect(file.extensionStatus).toEqual({ 'remove-bg': 'pending' });
    await expect(upload('ext.png', { extensions: [{ name: 'saved-extension', id: '000000000000000000000000' }] })).rejects.toBeInstanceOf(ImageKit.BadRequestError);
    await expect(client.savedExtensions.create({ name: 'x', description: 'x', config: { name: 'nope' } as never })).rejects.toBeInstanceOf(ImageKit.BadRequestError);
    await client.savedExtensions.delete(saved.id!);
    await expect(client.savedExtensions.get(saved.id!)).rejects.toBeInstanceOf(ImageKit.NotFoundError);
  });

  it('manages named transformations', async () => {
    const named = await client.namedTransformations.create({ name: 'small_thumbnail', transformation: 'w-150,h-150,fo-center,cm-pad_resize', enabled: true });
    expect(named).toEqual({ id: expect.any(String), name: 'small_thumbnail', transformation: 'w-150,h-150,fo-center,cm-pad_resize', enabled: true, createdAt: expect.any(String) });
    expect(await client.namedTransformations.list()).toEqual([named]);
    expect(await client.namedTransformations.get(named.id)).toEqual(named);
    expect(await client.namedTransformations.update(named.id, { transformation: 'w-200,h-200' })).toMatchObject({ transformation: 'w-200,h-200', enabled: true });
    await expect(client.namedTransformations.create({ name: 'small_thumbnail', transformation: 'w-1' })).rejects.toBeInstanceOf(ImageKit.BadRequestError);
    await client.namedTransformations.delete(named.id);
    await expect(client.namedTransformations.get(named.id)).rejects.toBeInstanceOf(ImageKit.NotFoundError);
  });

  it('manages origins and URL endpoints', async () => {
    const origin = await client.accounts.origins.create({ type: 'S3', name: 'US S3 Storage', bucket: 'product-images', accessKey: 'AKIAIOSFODNN7EXAMPLE', secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
    expect(origin).toEqual({ id: expect.any(String), type: 'S3', name: 'US S3 Storage', bucket: 'product-images', prefix: '', useIAMRole: false, includeCanonicalHeader: false });
    expect(await client.accounts.origins.list()).toEqual([origin]);
    expect(await client.accounts.origins.get(origin.id)).toEqual(origin);
    const replaced = await client.accounts.origins.update(origin.id, { type: 'WEB_FOLDER', name: 'Web folder', baseUrl: 'https://images.example.com' });
    expect(replaced).toMatchObject({ id: origin.id, type: 'WEB_FOLDER', baseUrl: 'https://images.example.com', forwardHostHeaderToOrigin: false });
    const endpoint = await client.accounts.urlEndpoints.create({ description: 'My custom URL endpoint', urlPrefix: 'product-images', origins: [origin.id], urlRewriter: { type: 'IMGIX' } });
    expect(endpoint).toEqual({ id: expect.any(String), description: 'My custom URL endpoint', urlPrefix: 'product-images', origins: [origin.id], urlRewriter: { type: 'IMGIX' } });
    expect((await client.accounts.urlEndpoints.list()).map((e) => e.id)).toEqual(['default', endpoint.id]);
    expect(await client.accounts.urlEndpoints.get(endpoint.id)).toEqual(endpoint);
    expect(await client.accounts.urlEndpoints.update(endpoint.id, { description: 'Renamed', urlPrefix: 'product-images' })).toMatchObject({ description: 'Renamed', origins: [] });
    await expect(client.accounts.urlEndpoints.delete('default')).rejects.toBeInstanceOf(ImageKit.BadRequestError);
    await client.accounts.urlEndpoints.delete(endpoint.id);
    await client.accounts.origins.delete(origin.id);
    await expect(client.accounts.origins.get(origin.id)).rejects.toBeInstanceOf(ImageKit.NotFoundError);
    await expect(client.accounts.urlEndpoints.get(endpoint.id)).rejects.toBeInstanceOf(ImageKit.NotFoundError);
  });

  it('reports usage and usage analytics', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await fetch(`${emulator.urlEndpoint}/sdk/products/photo_one.png`);
    const usage = await client.accounts.usage.get({ startDate: today, endDate: tomorrow });
    expect(usage).toMatchObject({ bandwidthBytes: expect.any(Number), mediaLibraryStorageBytes: expect.any(Number), videoProcessingUnitsCount: 0, extensionUnitsCount: 0, originalCacheStorageBytes: 0 });
    expect(usage.bandwidthBytes).toBeGreaterThan(0);
    const analytics = await client.accounts.usageAnalytics.get({ startDate: today, endDate: today });
    expect(analytics).toMatchObject({ startDate: today, endDate: today, requestCount: expect.any(Number), cache: { hitCount: 0 }, topImages: { byRequests: expect.any(Array) } });
    await expect(client.accounts.usage.get({ startDate: tomorrow, endDate: today })).rejects.toBeInstanceOf(ImageKit.BadRequestError);
  });

  it('checks uploads against their `checks`, and keeps field descriptions', async () => {
    await expect(upload('checked.png', { folder: '/marketing/x', checks: '"request.folder" : "marketing/"' })).resolves.toMatchObject({ filePath: expect.stringMatching(/^\/marketing\/x\//) });
    await expect(upload('checked.png', { folder: '/sales', checks: '"request.folder" : "marketing/"' })).rejects.toBeInstanceOf(ImageKit.BadRequestError);
    const field = await client.customMetadataFields.create({ name: 'brand', label: 'Brand', description: 'who makes it', schema: { type: 'Text' } });
    expect(field.description).toBe('who makes it');
    expect((await client.customMetadataFields.update(field.id, { description: 'the maker' })).description).toBe('the maker');
    await expect(client.customMetadataFields.create({ name: 'qty', label: 'Qty', schema: { type: 'Number', minValue: 5, maxValue: 1 } })).rejects.toBeInstanceOf(ImageKit.BadRequestError);
  });

  it("builds with helper.buildSrc transformed URLs that the emulator serves transformed (imagekit.io/docs/transformations)", async () => {
    await upload('wide.png', { folder: '/sdk/src', useUniqueFileName: false }, await testImage({ width: 200, height: 100 }));
    await upload('mark.png', { folder: '/sdk/src', useUniqueFileName: false, isPrivateFile: true }, await testImage({ width: 20, height: 20, seed: 3 }));
    const size = async (src: string) => {
      const response = await fetch(src);
      expect(response.status).toBe(200);
      const { width, height } = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
      return [width, height];
    };
    const urlEndpoint = emulator.urlEndpoint;
    // The SDK puts the transformation in the query by default, chained steps and all.
    expect(await size(client.helper.buildSrc({ src: '/sdk/src/wide.png', urlEndpoint, transformation: [{ width: 100 }, { rotation: 90 }] }))).toEqual([50, 100]);
    const overlay = { type: 'image' as const, input: 'sdk/src/wide.png', transformation: [{ width: 10 }] };
    expect(await size(client.helper.buildSrc({ src: '/sdk/src/wide.png', urlEndpoint, transformationPosition: 'path', transformation: [{ width: 60, overlay }] }))).toEqual([60, 30]);
    expect(await size(client.helper.buildSrc({ src: '/sdk/src/mark.png', urlEndpoint, expiresIn: 300, transformation: [{ width: 10 }] }))).toEqual([10, 10]);
  });

  it('refuses a wrong key with 403 and no key with 401', async () => {
    const wrong = new ImageKit({ privateKey: 'private_wrong', baseURL: emulator.url, maxRetries: 0 });
    await expect(wrong.assets.list()).rejects.toBeInstanceOf(ImageKit.PermissionDeniedError);
    const response = await fetch(`${emulator.url}/v1/files`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Your request does not contain private API key.', help: expect.any(String) });
  });
});
