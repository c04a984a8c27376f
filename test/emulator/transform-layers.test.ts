// The transformation engine's layers, named transformations, refusals, skipped parameters and pixel
// limit. Sources:
//   LAYERS = docs.imagekit.io/features/image-transformations/overlay-using-layers (archived in
//            imagekitio/docs-keep-a-changelog; current: imagekit.io/docs/add-overlays-on-images)
//   NAMED  = docs.imagekit.io/features/named-transformations
//   LIMITS = docs.imagekit.io/limits-and-troubleshooting/limits and .../404-not-found-error-troubleshooting
import sharp from 'sharp';
import { buildTransformationString } from '../../src/transformation.js';
import { IMAGEKIT_MAX_PIXELS, transformImage, TransformError, type TransformOptions } from '../../emulator/transform/index.js';
import { BLUE, boxOf, decode, expectPixel, RED, solidImage, WHITE, YELLOW } from '../helpers/transform-images.js';

let base: Buffer;
let files: Map<string, Buffer>;
let loaded: string[];
let options: TransformOptions;
beforeAll(async () => {
  base = await solidImage(400, 300, BLUE);
  // A 40x40 yellow logo inside a 10 px white margin, which the default layer trim removes.
  const logo = await sharp(await solidImage(40, 40, YELLOW)).extend({ top: 10, bottom: 10, left: 10, right: 10, background: '#ffffff' }).png().toBuffer();
  files = new Map([
    ['/logo.png', logo],
    ['/brand/logo.png', logo],
    ['/big.png', await solidImage(200, 100, RED)],
  ]);
});
beforeEach(() => {
  loaded = [];
  options = {
    loadImage: async (path) => {
      loaded.push(path);
      return files.get(path);
    },
    namedTransformations: (name) => ({ thumb: 'w-100,h-100', rotated: 'w-200:rt-90', nested: 'n-thumb,f-png' })[name],
  };
});

async function apply(tr: string) {
  const result = await transformImage(base, [tr], options);
  return Object.assign(await decode(result.body), { skipped: result.skipped });
}

describe('image layers (LAYERS#add-images-over-image)', () => {
  it('are centred by default ("The default value is center") and trimmed by default; t-false keeps the margin', async () => {
    const trimmed = await apply('l-image,i-logo.png,l-end');
    expect(boxOf(trimmed, YELLOW, 30)).toEqual({ left: 180, top: 130, right: 219, bottom: 169 });
    expect(boxOf(trimmed, WHITE, 30)).toBeUndefined();
    const kept = await apply('l-image,i-logo.png,t-false,l-end');
    expect(boxOf(kept, WHITE, 30)).toEqual({ left: 170, top: 120, right: 229, bottom: 179 });
  });

  it('lx and ly place the top-left corner; N counts from the far edge', async () => {
    expect(boxOf(await apply('l-image,i-logo.png,lx-10,ly-20,l-end'), YELLOW, 30)).toEqual({ left: 10, top: 20, right: 49, bottom: 59 });
    expect(boxOf(await apply('l-image,i-logo.png,lx-N10,ly-N20,l-end'), YELLOW, 30)).toEqual({ left: 350, top: 240, right: 389, bottom: 279 });
  });

  it('values past the edge are "adjusted to fit within the image"', async () => {
    expect(boxOf(await apply('l-image,i-logo.png,lx-1000,ly-1000,l-end'), YELLOW, 30)).toEqual({ left: 360, top: 260, right: 399, bottom: 299 });
  });

  it('lfo places the layer by anchor; lxc and lyc centre it on a point', async () => {
    expect(boxOf(await apply('l-image,i-logo.png,lfo-bottom_right,l-end'), YELLOW, 30)).toEqual({ left: 360, top: 260, right: 399, bottom: 299 });
    expect(boxOf(await apply('l-image,i-logo.png,lxc-100,lyc-50,l-end'), YELLOW, 30)).toEqual({ left: 80, top: 30, right: 119, bottom: 69 });
  });

  it('take their own transformations, chained inside the layer, and a path with @@ for /', async () => {
    const out = await apply('l-image,i-brand@@logo.png,w-20:rt-90,lx-0,ly-0,l-end');
    expect(loaded).toEqual(['/brand/logo.png']);
    expect(boxOf(out, YELLOW, 30)).toEqual({ left: 0, top: 0, right: 19, bottom: 19 });
  });

  it('read a base64 path from ie- ("In case both i and ie are present, i is ignored")', async () => {
    const encoded = encodeURIComponent(Buffer.from('brand/logo.png').toString('base64'));
    await apply(`l-image,i-missing.png,ie-${encoded},l-end`);
    expect(loaded).toEqual(['/brand/logo.png']);
  });

  it('nest: a layer inside a layer is placed relative to its parent (LAYERS#nesting-of-layers)', async () => {
    const out = await apply('l-image,i-big.png,lfo-top_left,l-image,i-logo.png,lfo-bottom_right,l-end,l-end');
    expect(boxOf(out, RED, 30)).toEqual({ left: 0, top: 0, right: 199, bottom: 99 });
    expect(boxOf(out, YELLOW, 30)).toEqual({ left: 160, top: 60, right: 199, bottom: 99 });
  });

  it('ik_canvas draws a solid block of bg, w and h (LAYERS#add-solid-color-blocks-over-image)', async () => {
    expect(boxOf(await apply('l-image,i-ik_canvas,bg-FF0000,w-50,h-30,lx-0,ly-0,l-end'), RED, 30)).toEqual({ left: 0, top: 0, right: 49, bottom: 29 });
  });

  it('a missing layer image is refused', async () => {
    await expect(apply('l-image,i-nothing.png,l-end')).rejects.toMatchObject({ status: 400 });
  });

  it('is what the SDK builds with raw (url-rules §3): l-image,i-a@@b.png,w-10:h-5,l-end', async () => {
    const tr = buildTransformationString([{ width: 300 }, { raw: 'l-image,i-brand@@logo.png,w-10:h-5,l-end' }]);
    const out = await transformImage(base, [tr], options);
    expect([out.width, out.height]).toEqual([300, 225]);
    expect(boxOf(await decode(out.body), YELLOW, 30)).toEqual({ left: 148, top: 110, right: 152, bottom: 114 });
  });
});

describe('text layers (LAYERS#add-text-over-image)', () => {
  it('render i- text (percent-encoded) in co colour, centred by default', async () => {
    const out = await apply('l-text,i-Hello%20World,fs-40,co-FF0000,l-end');
    const box = boxOf(out, RED)!;
    expect(box).toBeDefined();
    expect(Math.abs((box.left + box.right) / 2 - 200)).toBeLessThan(8);
    expect(Math.abs((box.top + box.bottom) / 2 - 150)).toBeLessThan(12);
    expect(box.bottom - box.top).toBeGreaterThan(20);
    expect(box.bottom - box.top).toBeLessThan(60);
  });

  it('default to a font size of 45 ("a font size of 45"): larger than fs-20', async () => {
    const height = async (tr: string) => {
      const box = boxOf(await apply(tr), [0, 0, 0])!;
      return box.bottom - box.top;
    };
    expect(await height('l-text,i-Hello,l-end')).toBeGreaterThan((await height('l-text,i-Hello,fs-20,l-end')) * 1.6);
  });

  it('take bg and pa for a padded box, and lx, ly for position', async () => {
    const out = await apply('l-text,i-Hi,fs-30,bg-FFFF00,pa-10,lx-20,ly-30,l-end');
    const box = boxOf(out, YELLOW, 30)!;
    expect([box.left, box.top]).toEqual([20, 30]);
    expect(box.right - box.left).toBeGreaterThan(30);
    expectPixel(out, 22, 32, YELLOW, 30);
  });

  it('read UTF-8 text from ie- base64', async () => {
    const encoded = encodeURIComponent(Buffer.from('© 2025').toString('base64'));
    expect(boxOf(await apply(`l-text,ie-${encoded},co-FF0000,l-end`), RED)).toBeDefined();
  });
});

describe('named transformations (NAMED)', () => {
  it('n-<name> expands to the saved transformation, also chained and nested', async () => {
    const thumb = await apply('n-thumb');
    expect([thumb.width, thumb.height]).toEqual([100, 100]);
    const rotated = await apply('n-rotated');
    expect([rotated.width, rotated.height]).toEqual([150, 200]);
    const nested = await transformImage(base, ['n-nested'], { ...options, accept: 'image/webp' });
    expect([nested.width, nested.contentType]).toEqual([100, 'image/png']);
  });

  it('an unknown name is a 400 ("URLs containing non-existent named transformation keys will return an error response with 400")', async () => {
    await expect(apply('n-missing')).rejects.toMatchObject({ status: 400, message: 'Named transformation "missing" does not exist.' });
    await expect(transformImage(base, ['n-thumb'], { loadImage: options.loadImage })).rejects.toBeInstanceOf(TransformError);
  });
});

describe('refused and skipped parameters', () => {
  it('an unknown parameter is a 400, as the emulator already answers', async () => {
    await expect(apply('w-100,foo-1')).rejects.toMatchObject({ status: 400, message: 'Invalid transformation parameter "foo".' });
    await expect(apply('e-nothing')).rejects.toMatchObject({ status: 400 });
  });

  it('an l-end without a layer, or a layer without l-end, is a 400', async () => {
    await expect(apply('w-100,l-end')).rejects.toMatchObject({ status: 400 });
    await expect(apply('l-image,i-logo.png')).rejects.toMatchObject({ status: 400 });
  });

  it('known parameters the engine does not apply come back in skipped, and the rest still applies', async () => {
    const out = await apply('w-100,e-bgremove,vc-h264,e-shadow,bg-blurred,fo-custom,md-true,l-video,i-v.mp4,l-end');
    expect([out.width, out.height]).toEqual([100, 75]);
    expect(out.skipped).toEqual(['e-bgremove', 'vc-h264', 'e-shadow', 'md-true', 'bg-blurred', 'fo-custom', 'l-video']);
  });

  it('expressions and client hints are skipped, not guessed', async () => {
    const out = await apply('w-iw_div_2,h-100');
    expect([out.width, out.height, out.skipped]).toEqual([133, 100, ['w-iw_div_2']]);
  });
});

describe('pixel limit (LIMITS: "Image resolution (input or transformed) 100 MP"; ELIMIT answers 400)', () => {
  it('an output over the limit is refused before it is made, with an ik-error value', async () => {
    expect(IMAGEKIT_MAX_PIXELS).toBe(100_000_000);
    const started = Date.now();
    const refused = await transformImage(base, ['w-12000,h-9000,c-force'], options).catch((error: unknown) => error);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(refused).toBeInstanceOf(TransformError);
    expect(refused).toMatchObject({ status: 400 });
    expect((refused as TransformError).ikError).toMatch(/^ELIMIT - /);
  });

  it('the limit is an option, and applies to inputs and every step', async () => {
    const small = { ...options, maxPixels: 200_000 };
    await expect(transformImage(base, ['w-1000'], small)).rejects.toMatchObject({ status: 400, ikError: expect.stringMatching(/^ELIMIT/) });
    await expect(transformImage(base, ['w-100:w-1000'], small)).rejects.toMatchObject({ status: 400 });
    await expect(transformImage(await solidImage(500, 500, BLUE), ['w-100'], small)).rejects.toMatchObject({ status: 400 });
    expect((await transformImage(base, ['w-500'], small)).width).toBe(500);
  });
});
