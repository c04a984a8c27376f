// Transformed delivery over real HTTP on 127.0.0.1: the engine (emulator/transform, checked pixel by
// pixel in transform*.test.ts) reached through delivery URLs, with the answer's headers, the cache of
// derived images, signatures, refusals, default and named transformations. Each test names the
// ImageKit documentation it follows.
import sharp from 'sharp';
import { buildUrl, type UrlOptions } from '../../src/url.js';
import { useEmulator } from '../helpers/emulator.js';
import { testImage } from '../helpers/images.js';
import { BLUE, cornerImage, decode, expectPixel, RED, solidImage } from '../helpers/transform-images.js';

const ik = useEmulator();
let photo: Buffer;

/** A 800x600 JPEG: the corner image (red block top-left, green bottom-right, on blue) scaled up. */
const makePhoto = async () => sharp(await cornerImage()).resize(800, 600).jpeg({ quality: 90 }).toBuffer();

const upload = (bytes: Buffer, filePath: string, extra: Record<string, unknown> = {}) => {
  const at = filePath.lastIndexOf('/');
  return ik.client.upload({ bytes }, { fileName: filePath.slice(at + 1), folder: filePath.slice(0, at) || '/', useUniqueFileName: false, ...extra });
};

const get = (pathAndQuery: string, headers: Record<string, string> = {}, method = 'GET') => fetch(`${ik.emulator.urlEndpoint}${pathAndQuery}`, { headers, method });
const url = (options: Omit<UrlOptions, 'urlEndpoint'>) => buildUrl({ urlEndpoint: ik.emulator.urlEndpoint, privateKey: ik.emulator.privateKey, ...options });

async function imageOf(response: Response) {
  const body = Buffer.from(await response.arrayBuffer());
  const { format, width, height } = await sharp(body).metadata();
  return { body, format, width, height };
}

beforeAll(async () => {
  photo = await makePhoto();
  await upload(photo, '/d/photo.jpg');
});

describe('transformed delivery', () => {
  it('resizes with tr:w-400 in the path (docs.imagekit.io/features/image-transformations/resize-crop-and-other-transformations#width-w)', async () => {
    const response = await get('/tr:w-400/d/photo.jpg');
    expect(response.status).toBe(200);
    const image = await imageOf(response);
    expect([image.format, image.width, image.height]).toEqual(['jpeg', 400, 300]);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(Number(response.headers.get('content-length'))).toBe(image.body.length);
    expect(response.headers.get('etag')).toMatch(/^"[\w-]+"$/);
    const pixels = await decode(image.body);
    expectPixel(pixels, 20, 20, RED);
    expectPixel(pixels, 200, 150, BLUE);
  });

  it('takes the transformation from the query (imagekit.io/docs/transformations: "can be passed as query parameters as well")', async () => {
    // Built as the SDKs build it: the whole string form-encoded (`w-200%2Ch-100`).
    const encoded = await imageOf(await fetch(url({ path: '/d/photo.jpg', transformation: [{ width: 200, height: 100 }], transformationPosition: 'query' })));
    expect([encoded.width, encoded.height]).toEqual([200, 100]);
    const plain = await imageOf(await get('/d/photo.jpg?tr=w-200,h-100'));
    expect([plain.width, plain.height]).toEqual([200, 100]);
  });

  it('chains steps, and the path part before the query part (docs.imagekit.io/features/image-transformations/chained-transformations)', async () => {
    const chained = await imageOf(await get('/tr:w-200:rt-90/d/photo.jpg'));
    expect([chained.width, chained.height]).toEqual([150, 200]);
    const split = await imageOf(await get('/tr:w-200/d/photo.jpg?tr=rt-90'));
    expect([split.width, split.height]).toEqual([150, 200]);
    // Rotated a quarter turn clockwise, the red top-left block is now at the top right.
    expectPixel(await decode(split.body), 140, 10, RED);
  });

  it('picks the format from Accept for f-auto and says Vary: Accept (docs.imagekit.io/features/image-optimization/automatic-image-format-conversion)', async () => {
    const cases: Array<[string | undefined, string]> = [
      ['image/avif,image/webp,image/*,*/*;q=0.8', 'image/avif'],
      ['image/webp,*/*', 'image/webp'],
      [undefined, 'image/jpeg'],
    ];
    for (const [accept, contentType] of cases) {
      const response = await get('/tr:w-100,f-auto/d/photo.jpg', accept ? { accept } : {});
      expect([response.status, response.headers.get('content-type'), response.headers.get('vary')]).toEqual([200, contentType, 'Accept']);
      expect((await imageOf(response)).width).toBe(100);
    }
    // An explicit format does not depend on Accept.
    const png = await get('/tr:w-100,f-png/d/photo.jpg', { accept: 'image/avif' });
    expect([png.headers.get('content-type'), png.headers.get('vary')]).toEqual(['image/png', null]);
  });

  it('sends ImageKit\'s Cache-Control (imagekit.io/docs/cdn-caching-and-purging) and answers If-None-Match with 304 (RFC 9110 §13.1.2)', async () => {
    const cacheControl = 'public, s-maxage=31536000, max-age=31536000, must-revalidate';
    for (const path of ['/tr:w-120/d/photo.jpg', '/d/photo.jpg']) {
      const first = await get(path);
      const etag = first.headers.get('etag')!;
      expect([first.status, first.headers.get('cache-control')]).toEqual([200, cacheControl]);
      const length = first.headers.get('content-length');
      await first.arrayBuffer();
      const again = await get(path, { 'if-none-match': `W/"other", ${etag}` });
      expect([again.status, again.headers.get('etag'), again.headers.get('cache-control'), again.headers.get('content-length')]).toEqual([304, etag, cacheControl, length]);
      expect((await again.arrayBuffer()).byteLength).toBe(0);
      expect((await get(path, { 'if-none-match': '"other"' })).status).toBe(200);
    }
  });

  it('answers HEAD with the headers of the GET and no body (RFC 9110 §9.3.2)', async () => {
    const got = await get('/tr:w-90/d/photo.jpg');
    const body = Buffer.from(await got.arrayBuffer());
    const head = await get('/tr:w-90/d/photo.jpg', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect([head.headers.get('content-type'), head.headers.get('content-length'), head.headers.get('etag')]).toEqual(['image/jpeg', String(body.length), got.headers.get('etag')]);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('names the parameters it does not apply in x-emulator-skipped, and applies the rest (README: Transformations in the emulator)', async () => {
    const response = await get('/tr:w-100,e-bgremove,e-dropshadow/d/photo.jpg');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-emulator-skipped')).toBe('e-bgremove,e-dropshadow');
    expect((await imageOf(response)).width).toBe(100);
    expect((await get('/tr:w-100/d/photo.jpg')).headers.get('x-emulator-skipped')).toBeNull();
  });

  it('refuses an unknown parameter or named transformation with 400 (docs.imagekit.io/features/named-transformations: "non-existent named transformation keys will return an error response with 400")', async () => {
    const unknown = await get('/tr:w-100,zz-9/d/photo.jpg');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ message: 'Invalid transformation parameter "zz".', help: expect.any(String) });
    expect((await get('/tr:n-no_such_name/d/photo.jpg')).status).toBe(400);
    expect((await get('/d/photo.jpg?tr=zz-9')).status).toBe(400);
  });

  it('refuses output over 100 MP with 400 and an ik-error header (docs.imagekit.io/limits-and-troubleshooting/limits)', async () => {
    const response = await get('/tr:w-20000,h-20000,c-force/d/photo.jpg');
    expect(response.status).toBe(400);
    expect(response.headers.get('ik-error')).toMatch(/^ELIMIT - /);
    expect(await response.json()).toEqual({ message: expect.stringContaining('exceeds the limit of 100 MP'), help: expect.any(String) });
  });

  it('serves a file that is not an image as it is, naming the transformation as skipped', async () => {
    const text = Buffer.from('plain notes');
    await upload(text, '/d/notes.txt');
    const response = await get('/tr:w-100,rt-90/d/notes.txt');
    expect([response.status, response.headers.get('content-type'), response.headers.get('x-emulator-skipped')]).toEqual([200, 'text/plain', 'w-100,rt-90']);
    expect(await response.text()).toBe('plain notes');
  });
});

describe('default images (docs.imagekit.io/features/default-images)', () => {
  beforeAll(async () => {
    await upload(await solidImage(200, 100, RED), '/d/fallback/missing-art.png');
  });

  it('serves the default image, with the transformation applied, when the file is missing', async () => {
    const response = await get('/tr:di-d@@fallback@@missing-art.png,w-50/d/no-such-photo.jpg');
    expect(response.status).toBe(200);
    const image = await imageOf(response);
    expect([image.width, image.height]).toEqual([50, 25]);
    expectPixel(await decode(image.body), 25, 12, RED);
    // A leading @@ is the root, as in the docs' example di-@@path@@to@@image.jpg.
    expect((await get('/no-such-photo.jpg?tr=di-@@d@@fallback@@missing-art.png')).status).toBe(200);
  });

  it('is not used when the file exists, and a missing default image is a 404', async () => {
    const existing = await imageOf(await get('/tr:di-d@@fallback@@missing-art.png,w-50/d/photo.jpg'));
    expect([existing.width, existing.height]).toEqual([50, 38]);
    expect((await get('/tr:di-d@@nothing.png,w-50/d/no-such-photo.jpg')).status).toBe(404);
  });
});

describe('named transformations (docs.imagekit.io/features/named-transformations)', () => {
  it('expands n-<name> from the store, and a changed name is never served stale', async () => {
    const square = await ik.client.namedTransformations.create({ name: 'square', transformation: 'w-60,h-60' });
    const first = await imageOf(await get('/tr:n-square/d/photo.jpg'));
    expect([first.width, first.height]).toEqual([60, 60]);
    await ik.client.namedTransformations.update(square.id, { transformation: 'w-30,h-30' });
    const changed = await imageOf(await get('/tr:n-square/d/photo.jpg'));
    expect([changed.width, changed.height]).toEqual([30, 30]);
  });

  it('serves the thumbnailUrl of an upload answer (tr:n-ik_ml_thumbnail)', async () => {
    const uploaded = await upload(photo, '/d/thumbnailed.jpg');
    const response = await fetch((uploaded as unknown as { thumbnailUrl: string }).thumbnailUrl);
    expect(response.status).toBe(200);
    const image = await imageOf(response);
    expect([image.width, image.height]).toEqual([400, 300]);
  });
});

describe('the cache of derived images (imagekit.io/docs/cdn-caching-and-purging: "ImageKit also caches the transformed images")', () => {
  it('serves a repeated request without running the engine again', async () => {
    const first = await get('/tr:w-77/d/photo.jpg');
    const firstBody = Buffer.from(await first.arrayBuffer());
    const second = await get('/tr:w-77/d/photo.jpg');
    expect([first.headers.get('x-emulator-cache'), second.headers.get('x-emulator-cache')]).toEqual(['miss', 'hit']);
    expect(Buffer.from(await second.arrayBuffer()).equals(firstBody)).toBe(true);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    // Another negotiated format is another derived image.
    expect((await get('/tr:w-77/d/photo.jpg', { accept: 'image/webp' })).headers.get('x-emulator-cache')).toBe('miss');
  });

  it('forgets a file when it is overwritten (a new version), purged or deleted', async () => {
    const uploaded = await upload(await testImage({ width: 64, height: 48 }), '/c/changing.png');
    const size = async () => {
      const response = await get('/tr:w-32/c/changing.png');
      return { cache: response.headers.get('x-emulator-cache'), status: response.status, ...(response.status === 200 ? await imageOf(response) : {}) };
    };
    expect(await size()).toMatchObject({ cache: 'miss', width: 32, height: 24 });
    expect(await size()).toMatchObject({ cache: 'hit' });
    await upload(await testImage({ width: 64, height: 64 }), '/c/changing.png');
    expect(await size()).toMatchObject({ cache: 'miss', width: 32, height: 32 });
    expect(await size()).toMatchObject({ cache: 'hit' });
    await ik.client.purgeCache(`${ik.emulator.urlEndpoint}/c/changing.png`);
    expect(await size()).toMatchObject({ cache: 'miss', width: 32, height: 32 });
    await ik.client.purgeCache(`${ik.emulator.urlEndpoint}/c/chang*`);
    expect(await size()).toMatchObject({ cache: 'miss' });
    await ik.client.deleteFile(uploaded.fileId);
    expect(await size()).toMatchObject({ status: 404 });
  });

  it('forgets an image whose layer image changed or went away (layers: docs.imagekit.io/features/image-transformations/overlay-using-layers)', async () => {
    await upload(await solidImage(40, 40, RED), '/c/badge.png');
    const path = '/tr:w-200,l-image,i-c@@badge.png,t-false,lx-0,ly-0,l-end/d/photo.jpg';
    const first = await get(path);
    expectPixel(await decode((await imageOf(first)).body), 5, 5, RED);
    expect((await get(path)).headers.get('x-emulator-cache')).toBe('hit');
    const badge = await upload(await solidImage(40, 40, BLUE), '/c/badge.png');
    const replaced = await get(path);
    expect(replaced.headers.get('x-emulator-cache')).toBe('miss');
    expectPixel(await decode((await imageOf(replaced)).body), 5, 5, BLUE);
    await ik.client.deleteFile(badge.fileId);
    expect((await get(path)).status).toBe(400);
  });

  it('keeps answering while heavy requests queue for the engine', async () => {
    const heavy = [1, 2, 3, 4, 5, 6].map((n) => get(`/tr:w-${700 + n},bl-20,e-sharpen/d/photo.jpg`));
    const listed = await ik.client.listFiles({ path: '/d' });
    expect(listed.length).toBeGreaterThan(0);
    const answers = await Promise.all(heavy);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    await Promise.all(answers.map((r) => r.arrayBuffer()));
  });
});

describe('signed and private files with transformations (imagekit.io/docs/media-delivery-basic-security)', () => {
  beforeAll(async () => {
    await upload(photo, '/p/secret.jpg', { isPrivateFile: true });
  });

  it('transforms a private file only through a valid signed URL', async () => {
    expect((await get('/tr:w-100/p/secret.jpg')).status).toBe(401);
    for (const position of ['path', 'query'] as const) {
      const response = await fetch(url({ path: '/p/secret.jpg', transformation: [{ width: 100 }], transformationPosition: position, signed: true }));
      expect(response.status).toBe(200);
      expect((await imageOf(response)).width).toBe(100);
    }
    const tampered = url({ path: '/p/secret.jpg', transformation: [{ width: 100 }], signed: true }).replace('w-100', 'w-200');
    expect((await fetch(tampered)).status).toBe(401);
  });

  it('refuses an expired ik-t even for a cached derived image', async () => {
    const valid = await fetch(url({ path: '/p/secret.jpg', transformation: [{ width: 64 }], expireSeconds: 600 }));
    expect(valid.status).toBe(200);
    const expired = await fetch(url({ path: '/p/secret.jpg', transformation: [{ width: 64 }], expireAt: 1000 }));
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ message: 'The signed URL has expired.', help: expect.any(String) });
  });

  it('checks the signature of a signed URL to a public file too', async () => {
    const signed = await fetch(url({ path: '/d/photo.jpg', transformation: [{ width: 50 }], signed: true }));
    expect((await imageOf(signed)).width).toBe(50);
    expect((await fetch(url({ path: '/d/photo.jpg', transformation: [{ width: 50 }], signed: true, privateKey: 'private_other' }))).status).toBe(401);
  });
});
