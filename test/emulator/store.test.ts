// The emulator's store alone, without HTTP: lookups answer undefined, refusals are store errors
// (which the routes turn into ImageKit's answers), and a refused copy changes nothing.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { placeFile, VersionLimitExceeded } from '../../emulator/store/copy-move.js';
import { InvalidCustomMetadata, validateCustomMetadata, withDefaults } from '../../emulator/store/custom-metadata.js';
import { listAssets, type ListQuery } from '../../emulator/store/list.js';
import { MediaStore, newFileState, newId, type FileRecord } from '../../emulator/store/media-store.js';
import { parseSearchQuery } from '../../emulator/store/search.js';

const NOW = new Date('2025-01-02T03:04:05Z');
let dataDir: string;
let store: MediaStore;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'imagekit-store-'));
  store = new MediaStore(dataDir);
});
afterEach(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Stores a text file of that content at a path, as an upload would. */
function addText(folder: string, name: string, text: string): FileRecord {
  const blob = newId();
  store.writeBlob(blob, Buffer.from(text));
  const file = store.addFile(newFileState({ name, folder, blob, size: text.length, mime: 'text/plain', fileType: 'non-image', format: 'txt' }, NOW));
  store.ensureFolder(folder, NOW);
  return file;
}

const query = (changes: Partial<ListQuery> = {}): ListQuery => ({ type: 'file', sort: 'ASC_NAME', fileType: 'all', limit: 1000, skip: 0, path: null, tags: null, ...changes });

describe('the media store', () => {
  it('answers undefined for what it does not hold', () => {
    expect(store.files.get('000000000000000000000000')).toBeUndefined();
    expect(store.findByPath('/nowhere.txt')).toBeUndefined();
  });

  it('deletes a file with the bytes of every version, once the deletion is durable', async () => {
    const file = addText('/a', 'x.txt', 'one');
    const second = newFileState({ name: 'x.txt', folder: '/a', blob: newId(), size: 3, mime: 'text/plain', fileType: 'non-image', format: 'txt' }, NOW);
    store.writeBlob(second.blob, Buffer.from('two'));
    store.addVersion(file, second);
    expect(file.current.versionName).toBe('Version 2');
    const blobs = [file.versions[0]!.blob, file.current.blob].map((blob) => store.blobPath(blob));
    store.deleteFile(file);
    expect(store.files.size).toBe(0);
    await store.durable();
    expect(blobs.filter((path) => existsSync(path))).toEqual([]);
  });

  it('refuses a copy past 100 versions with a store error, changing nothing', () => {
    const source = addText('/a', 'x.txt', 'source');
    const target = addText('/b', 'x.txt', 'target');
    target.versions = Array.from({ length: 99 }, () => ({ ...target.current }));
    expect(() => placeFile(store, source, '/b', { move: false, includeVersions: false }, NOW)).toThrow(VersionLimitExceeded);
    expect(target.versions).toHaveLength(99);
    expect(store.files.size).toBe(2);
  });

  it('checks custom metadata against the fields, naming each problem', () => {
    store.fields.add({ id: newId(), name: 'price', label: 'Price', schema: { type: 'Number', maxValue: 10 } });
    store.fields.add({ id: newId(), name: 'color', label: 'Color', schema: { type: 'SingleSelect', selectOptions: ['red'], isValueRequired: true, defaultValue: 'red' } });
    expect(validateCustomMetadata(store, { price: 5 })).toEqual({ price: 5 });
    expect(withDefaults(store, { price: 5 })).toEqual({ price: 5, color: 'red' });
    const refusal = (() => {
      try {
        validateCustomMetadata(store, { price: 50, size: 1 });
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(InvalidCustomMetadata);
    expect((refusal as InvalidCustomMetadata).errors).toEqual([
      { field: 'price', message: 'must be at most 10' },
      { field: 'size', message: 'no custom metadata field named "size" exists' },
    ]);
  });

  it('lists and searches without a request', () => {
    addText('/a', 'one.txt', '1');
    addText('/a', 'three.txt', '333');
    addText('/b', 'two.txt', '22');
    const view = { urlEndpoint: 'http://emulator.test/acme', now: () => NOW.getTime() };
    const names = (changes: Partial<ListQuery>) => listAssets(store, query(changes), view).map((item) => (item as { name: string }).name);
    expect(names({ path: '/a' })).toEqual(['one.txt', 'three.txt']);
    expect(names({ search: parseSearchQuery('size >= 2') })).toEqual(['three.txt', 'two.txt']);
    expect(names({ type: 'folder', sort: 'DESC_NAME' })).toEqual(['b', 'a']);
    expect(listAssets(store, query({ path: '/b' }), view)).toMatchObject([{ url: 'http://emulator.test/acme/b/two.txt', filePath: '/b/two.txt' }]);
  });
});
