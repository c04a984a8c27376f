// The emulator's transformations, asked for over real HTTP as a browser would (each image uploaded to
// an emulator on 127.0.0.1, then delivered with `tr:` in its URL): resize and crop, rotation and flips,
// effects, output formats, on images made with sharp. Each expectation comes from ImageKit's documentation:
//   RESIZE = docs.imagekit.io/features/image-transformations/resize-crop-and-other-transformations
//            (archived in imagekitio/docs-keep-a-changelog; current: imagekit.io/docs/image-resize-and-crop)
//   EFFECTS = docs.imagekit.io/features/image-transformations/image-enhancement-and-color-manipulation
//            (current: imagekit.io/docs/effects-and-enhancements)
//   FORMAT = docs.imagekit.io/features/image-optimization/automatic-image-format-conversion
import sharp from 'sharp';
import { createHash } from 'node:crypto';
import { useEmulator } from '../helpers/emulator.js';
import { BLACK, BLUE, cornerImage, decode, expectPixel, GREEN, isColour, RED, solidImage, WHITE, YELLOW, type Decoded } from '../helpers/transform-images.js';

const ik = useEmulator();
let corner: Buffer;
beforeAll(async () => {
  corner = await cornerImage();
});

/** Where each input image was uploaded, by the hash of its bytes: each is uploaded once. */
const uploaded = new Map<string, Promise<string>>();

/** Delivers `input` with the transformation `tr` over HTTP; a refusal rejects with its status. */
async function transformImage(input: Buffer, [tr, queryTr]: string[], { accept }: { accept?: string } = {}) {
  const hash = createHash('sha256').update(input).digest('hex').slice(0, 16);
  if (!uploaded.has(hash)) {
    uploaded.set(hash, ik.client.upload({ bytes: input }, { fileName: `${hash}.img`, folder: '/transform', useUniqueFileName: false }).then((f) => f.filePath));
  }
  const path = await uploaded.get(hash)!;
  const query = queryTr === undefined ? '' : `?tr=${encodeURIComponent(queryTr)}`;
  const response = await fetch(`${ik.emulator.urlEndpoint}/tr:${tr}${path}${query}`, { headers: accept ? { accept } : {} });
  const body = Buffer.from(await response.arrayBuffer());
  if (!response.ok) throw Object.assign(new Error(`${response.status} ${body}`), { status: response.status });
  const skipped = response.headers.get('x-emulator-skipped');
  return {
    body,
    contentType: response.headers.get('content-type')!,
    skipped: skipped ? skipped.split(',') : [],
    varyAccept: /\baccept\b/i.test(response.headers.get('vary') ?? ''),
  };
}

async function apply(tr: string, input: Buffer = corner, extra: { accept?: string } = {}): Promise<Decoded & { contentType: string; skipped: string[] }> {
  const result = await transformImage(input, [tr], extra);
  return Object.assign(await decode(result.body), { contentType: result.contentType, skipped: result.skipped });
}

describe('resize (RESIZE#width-w, #height-h, #aspect-ratio-ar)', () => {
  it('w-200 scales the height to keep the aspect ratio; the format stays PNG without alpha', async () => {
    const out = await apply('w-200');
    expect([out.width, out.height, out.format, out.channels, out.contentType]).toEqual([200, 150, 'png', 3, 'image/png']);
    expectPixel(out, 10, 10, RED);
    expectPixel(out, 190, 140, GREEN);
    expectPixel(out, 100, 75, BLUE);
  });

  it('h-150 scales the width', async () => {
    const out = await apply('h-150');
    expect([out.width, out.height]).toEqual([200, 150]);
  });

  it('values between 0 and 1 are a fraction of the original: w-0.5 and h-0.25', async () => {
    expect([(await apply('w-0.5')).width, (await apply('w-0.5')).height]).toEqual([200, 150]);
    const quarter = await apply('h-0.25');
    expect([quarter.width, quarter.height]).toEqual([100, 75]);
  });

  it('ar-<w>-<h> with one dimension sets the other; with both w and h the ratio is ignored', async () => {
    const square = await apply('ar-1-1,w-200');
    expect([square.width, square.height]).toEqual([200, 200]);
    const wide = await apply('ar-4-3,h-100');
    expect([wide.width, wide.height]).toEqual([133, 100]);
    const both = await apply('ar-1-1,w-200,h-100');
    expect([both.width, both.height]).toEqual([200, 100]);
  });

  it('dpr multiplies the requested size, and is not considered past 5000 px (RESIZE#dpr-dpr)', async () => {
    const double = await apply('w-100,dpr-2');
    expect([double.width, double.height]).toEqual([200, 150]);
    const ignored = await apply('w-2000,dpr-5');
    expect([ignored.width, ignored.height]).toEqual([2000, 1500]);
  });

  it('dimensions above 65535 are ignored (docs.imagekit.io/limits-and-troubleshooting/limits)', async () => {
    const out = await apply('w-70000');
    expect([out.width, out.height]).toEqual([400, 300]);
  });
});

describe('crop strategies (RESIZE#crop-crop-modes-and-focus)', () => {
  it('c-maintain_ratio is the default: exact size, centre crop', async () => {
    const implicit = await transformImage(corner, ['w-200,h-200']);
    const explicit = await transformImage(corner, ['w-200,h-200,c-maintain_ratio']);
    expect(implicit.body.equals(explicit.body)).toBe(true);
    const out = await decode(implicit.body);
    expect([out.width, out.height]).toEqual([200, 200]);
    // Scaled to 267x200, 33 px cut on each side: the red block (0-67 scaled) shows up to x=33.
    expectPixel(out, 5, 5, RED);
    expectPixel(out, 60, 5, BLUE);
  });

  it('fo-left and fo-right move the maintain-ratio crop (RESIZE#focus-fo)', async () => {
    expectPixel(await apply('w-200,h-200,fo-left'), 60, 5, RED);
    expectPixel(await apply('w-200,h-200,fo-right'), 140, 195, GREEN);
    expectPixel(await apply('w-200,h-200'), 140, 195, BLUE);
  });

  it('c-force squeezes the whole image into the exact size', async () => {
    const out = await apply('w-100,h-100,c-force');
    expect([out.width, out.height]).toEqual([100, 100]);
    expectPixel(out, 20, 15, RED);
    expectPixel(out, 30, 30, BLUE);
    expectPixel(out, 85, 85, GREEN);
  });

  it('c-at_max fits inside without enlarging; c-at_max_enlarge enlarges (doc example: 640x865 at w-300,h-200 gives 148x200)', async () => {
    const inside = await apply('w-200,h-200,c-at_max');
    expect([inside.width, inside.height]).toEqual([200, 150]);
    const notEnlarged = await apply('w-800,h-800,c-at_max');
    expect([notEnlarged.width, notEnlarged.height]).toEqual([400, 300]);
    const enlarged = await apply('w-800,h-800,c-at_max_enlarge');
    expect([enlarged.width, enlarged.height]).toEqual([800, 600]);
    const plant = await apply('w-300,h-200,c-at_max', await solidImage(640, 865, BLUE));
    expect([plant.width, plant.height]).toEqual([148, 200]);
  });

  it('c-at_least covers the size, one side exact (doc example: 640x865 gives 300x405)', async () => {
    const out = await apply('w-200,h-200,c-at_least');
    expect([out.width, out.height]).toEqual([267, 200]);
    const plant = await apply('w-300,h-200,c-at_least', await solidImage(640, 865, BLUE));
    expect([plant.width, plant.height]).toEqual([300, 405]);
  });

  it('cm-pad_resize pads to the exact size with bg, equally on both sides', async () => {
    const out = await apply('w-200,h-200,cm-pad_resize,bg-FFFF00');
    expect([out.width, out.height]).toEqual([200, 200]);
    expectPixel(out, 100, 10, YELLOW);
    expectPixel(out, 100, 190, YELLOW);
    expectPixel(out, 5, 30, RED);
  });

  it('cm-pad_resize with fo-top puts all padding at the bottom, fo-left all on the right', async () => {
    const top = await apply('w-200,h-200,cm-pad_resize,bg-FFFF00,fo-top');
    expectPixel(top, 5, 5, RED);
    expectPixel(top, 100, 190, YELLOW);
    const left = await apply('w-300,h-100,cm-pad_resize,bg-FFFF00,fo-left');
    expect([left.width, left.height]).toEqual([300, 100]);
    expectPixel(left, 5, 5, RED);
    expectPixel(left, 290, 50, YELLOW);
  });

  it('the padding is black without bg ("Default Value - Black", RESIZE#background-color-bg)', async () => {
    expectPixel(await apply('w-200,h-200,cm-pad_resize'), 100, 5, BLACK);
  });

  it('cm-extract takes an unscaled region at the focus: center by default, or fo-top_left, fo-bottom_right', async () => {
    const centre = await apply('w-100,h-75,cm-extract');
    expect([centre.width, centre.height]).toEqual([100, 75]);
    expectPixel(centre, 50, 37, BLUE);
    const topLeft = await apply('w-100,h-75,cm-extract,fo-top_left');
    for (const [x, y] of [[0, 0], [99, 0], [0, 74], [99, 74]] as const) expectPixel(topLeft, x, y, RED);
    const bottomRight = await apply('w-100,h-75,cm-extract,fo-bottom_right');
    expectPixel(bottomRight, 0, 0, GREEN);
    expectPixel(bottomRight, 99, 74, GREEN);
  });

  it('cm-extract with x, y starts at that top-left point; with xc, yc centres on it', async () => {
    const xy = await apply('w-100,h-75,cm-extract,x-300,y-225');
    expectPixel(xy, 0, 0, GREEN);
    expectPixel(xy, 99, 74, GREEN);
    const centred = await apply('w-100,h-74,cm-extract,xc-50,yc-37');
    expectPixel(centred, 0, 0, RED);
    expectPixel(centred, 99, 73, RED);
  });

  it('xc/yc whose crop goes beyond the image fail ("the crop will fail")', async () => {
    await expect(transformImage(corner, ['w-100,h-100,cm-extract,xc-10,yc-10'])).rejects.toMatchObject({ status: 400 });
  });

  it('cm-pad_extract pads a region larger than the image with bg', async () => {
    const out = await apply('w-500,h-400,cm-pad_extract,bg-FFFF00');
    expect([out.width, out.height]).toEqual([500, 400]);
    expectPixel(out, 10, 10, YELLOW);
    expectPixel(out, 55, 55, RED);
    expectPixel(out, 445, 345, GREEN);
    expectPixel(out, 490, 390, YELLOW);
  });

  describe('fo-auto and fo-face (RESIZE#auto-smart-cropping-fo-auto, #face-cropping-fo-face; sharp attention is the stand-in)', () => {
    let scene: Buffer;
    beforeAll(async () => {
      // A flat grey strip with one saturated, detailed patch off centre: the "most important part".
      const patch = Buffer.alloc(80 * 80 * 3);
      for (let i = 0; i < patch.length; i += 3) patch.set((i / 3) % 2 ? [230, 150, 120] : [200, 40, 40], i);
      scene = await sharp({ create: { width: 400, height: 100, channels: 3, background: { r: 128, g: 128, b: 128 } } })
        .composite([{ input: patch, raw: { width: 80, height: 80, channels: 3 }, left: 300, top: 10 }])
        .removeAlpha()
        .png()
        .toBuffer();
    });

    it('the default centre crop misses the patch; fo-auto and fo-face keep it', async () => {
      const centre = await apply('w-100,h-100', scene);
      expectPixel(centre, 50, 50, [128, 128, 128], 4);
      for (const focus of ['auto', 'face']) {
        const smart = await apply(`w-100,h-100,fo-${focus}`, scene);
        expect([smart.width, smart.height]).toEqual([100, 100]);
        expect(smart.at(50, 50)[0]).toBeGreaterThan(180);
      }
    });

    it('z-2 zooms into the chosen window and keeps the requested size (RESIZE#zoom---z)', async () => {
      const grey = (image: Decoded) => {
        let count = 0;
        for (let y = 0; y < image.height; y++) for (let x = 0; x < image.width; x++) if (isColour(image.at(x, y), [128, 128, 128], 4)) count++;
        return count;
      };
      const zoomed = await apply('w-100,h-100,fo-face,z-2', scene);
      expect([zoomed.width, zoomed.height]).toEqual([100, 100]);
      expect(zoomed.at(50, 50)[0]).toBeGreaterThan(180);
      // A 50x50 window scaled up: less of the grey around the patch than in the 100x100 window.
      expect(grey(zoomed)).toBeLessThan(grey(await apply('w-100,h-100,fo-face', scene)));
    });
  });
});

describe('rotate and flip (RESIZE#rotate-rt; imagekit.io/docs/effects-and-enhancements#flip---fl)', () => {
  it('rt-90 turns clockwise, rt-N90 counter-clockwise, rt-180 half way', async () => {
    const cw = await apply('rt-90');
    expect([cw.width, cw.height]).toEqual([300, 400]);
    expectPixel(cw, 295, 5, RED);
    const ccw = await apply('rt-N90');
    expectPixel(ccw, 5, 395, RED);
    expectPixel(await apply('rt-180'), 395, 295, RED);
  });

  it('a free angle enlarges the canvas; the uncovered corners are transparent, or bg', async () => {
    const clear = await apply('rt-45,f-png');
    expect(clear.width).toBeGreaterThan(400);
    expect(clear.at(0, 0)[3]).toBe(0);
    expectPixel(await apply('rt-45,bg-FFFF00'), 0, 0, YELLOW);
  });

  it('rt-auto applies the EXIF orientation; without it the tag is dropped unapplied (image-optimization/metadata-color-profile-and-orientation)', async () => {
    const tagged = await sharp(await cornerImage('jpeg')).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const oriented = await apply('rt-auto', tagged);
    expect([oriented.width, oriented.height, oriented.format]).toEqual([300, 400, 'jpeg']);
    expectPixel(oriented, 290, 10, RED);
    const raw = await apply('w-400', tagged);
    expect([raw.width, raw.height]).toEqual([400, 300]);
    expect((await sharp((await transformImage(tagged, ['w-400'])).body).metadata()).orientation).toBeUndefined();
  });

  it('fl-h mirrors left-right, fl-v top-bottom, fl-h_v both', async () => {
    expectPixel(await apply('fl-h'), 395, 5, RED);
    expectPixel(await apply('fl-v'), 5, 295, RED);
    expectPixel(await apply('fl-h_v'), 395, 295, RED);
  });
});

describe('borders, radius, background (RESIZE#border-b, #radius-r, #background-color-bg)', () => {
  it('b-5_FF0000 draws a 5 px red border and keeps the size', async () => {
    const out = await apply('b-5_FF0000');
    expect([out.width, out.height]).toEqual([400, 300]);
    expectPixel(out, 0, 150, RED);
    expectPixel(out, 4, 150, RED);
    expectPixel(out, 6, 150, BLUE);
    expectPixel(out, 200, 298, RED);
  });

  it('r-20 makes the corners transparent; r-max a full ellipse; four values round one corner each', async () => {
    const rounded = await apply('r-20');
    expect(rounded.channels).toBe(4);
    expect(rounded.at(1, 1)[3]).toBe(0);
    expect(rounded.at(30, 30)[3]).toBe(255);
    const oval = await apply('r-max');
    expect(oval.at(30, 30)[3]).toBe(0);
    expect(oval.at(5, 150)[3]).toBe(255);
    expect(oval.at(200, 2)[3]).toBe(255);
    const one = await apply('r-0_0_30_0');
    expect(one.at(1, 1)[3]).toBe(255);
    expect(one.at(398, 298)[3]).toBe(0);
  });

  it('transparent corners become white in a JPEG, and bg colours them', async () => {
    const jpeg = await apply('r-20,f-jpg');
    expect([jpeg.format, jpeg.channels]).toEqual(['jpeg', 3]);
    expectPixel(jpeg, 1, 1, WHITE);
    const coloured = await apply('r-20,bg-FFFF00');
    expect(coloured.at(1, 1)[3]).toBe(255);
    expectPixel(coloured, 1, 1, YELLOW);
  });

  it('bg fills the transparent areas of a PNG, with hex, hex plus decimal opacity, or a colour name', async () => {
    const transparent = await sharp({ create: { width: 20, height: 20, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const red = await apply('bg-FF0000', transparent);
    expectPixel(red, 10, 10, RED);
    expect(red.at(10, 10)[3]).toBe(255);
    expectPixel(await apply('bg-red', transparent), 10, 10, RED);
    // "the last two characters must be a number between 00 and 99 ... the opacity level": 50 is half.
    expect((await apply('bg-FF000050', transparent)).at(10, 10)[3]).toBeGreaterThan(120);
    expect((await apply('bg-FF000050', transparent)).at(10, 10)[3]).toBeLessThan(135);
    await expect(transformImage(transparent, ['bg-nocolour'])).rejects.toMatchObject({ status: 400 });
  });
});

describe('trim and effects (RESIZE#trim-edges-t, #blur-bl, #grayscale-e-grayscale; EFFECTS)', () => {
  it('t-true trims a solid border; t-<1-99> takes a threshold', async () => {
    const framed = await sharp(await solidImage(100, 100, BLUE)).extend({ top: 20, bottom: 20, left: 20, right: 20, background: '#ffffff' }).png().toBuffer();
    const trimmed = await apply('t-true', framed);
    expect([trimmed.width, trimmed.height]).toEqual([100, 100]);
    expectPixel(trimmed, 0, 0, BLUE);
    expect([(await apply('t-10', framed)).width]).toEqual([100]);
  });

  it('bl-10 blurs: the sharp red/blue edge becomes a blend', async () => {
    const edge = (await apply('bl-10')).at(99, 30);
    expect(edge[0]).toBeGreaterThan(60);
    expect(edge[0]).toBeLessThan(220);
    expect(edge[2]).toBeGreaterThan(40);
  });

  it('e-grayscale gives equal channels', async () => {
    const out = await apply('e-grayscale');
    const [r, g, b] = out.at(10, 10);
    expect(r).toBe(g);
    expect(g).toBe(b);
    expect(r).toBeGreaterThan(30);
    expect(r).toBeLessThan(80);
  });

  it('e-contrast stretches a dull image to the full range', async () => {
    const dull = Buffer.alloc(64 * 64 * 3);
    for (let i = 0; i < dull.length; i++) dull[i] = 100 + (Math.floor(i / 3) % 64) * (50 / 63);
    const input = await sharp(dull, { raw: { width: 64, height: 64, channels: 3 } }).png().toBuffer();
    const stats = await sharp((await transformImage(input, ['e-contrast'])).body).stats();
    expect(stats.channels[0]!.min).toBeLessThan(20);
    expect(stats.channels[0]!.max).toBeGreaterThan(235);
  });

  it('e-sharpen, e-sharpen-<n> and e-usm-<radius>-<sigma>-<amount>-<threshold> raise sharpness', async () => {
    const soft = await sharp(corner).blur(2).png().toBuffer();
    const before = (await sharp(soft).stats()).sharpness;
    for (const tr of ['e-sharpen', 'e-sharpen-30', 'e-usm-2-2-0.8-0.024']) {
      const after = (await sharp((await transformImage(soft, [tr])).body).stats()).sharpness;
      expect({ tr, sharper: after > before * 1.05 }).toEqual({ tr, sharper: true });
    }
  });
});

describe('formats and quality (FORMAT; RESIZE#quality-q, #format-f, #progressive-image-pr, #lossless-webp-and-png-lo, #original-image-orig)', () => {
  it('f-jpg, f-png, f-webp, f-avif set the format and content type', async () => {
    for (const [tr, format, contentType] of [['f-jpg', 'jpeg', 'image/jpeg'], ['f-png', 'png', 'image/png'], ['f-webp', 'webp', 'image/webp'], ['f-avif', 'heif', 'image/avif']]) {
      const out = await apply(`w-100,${tr}`);
      expect([tr, out.format, out.contentType]).toEqual([tr, format, contentType]);
      expectPixel(out, 5, 5, RED, 40);
    }
  });

  it('f-auto takes AVIF when accepted, else WebP, else the input format; it asks for Vary: Accept', async () => {
    const jpeg = await cornerImage('jpeg');
    const cases: Array<[string | undefined, string]> = [
      ['image/avif,image/webp,*/*', 'image/avif'],
      ['image/avif;q=0, image/webp', 'image/webp'],
      ['image/webp,*/*', 'image/webp'],
      ['*/*', 'image/jpeg'],
      [undefined, 'image/jpeg'],
    ];
    for (const [accept, contentType] of cases) {
      const result = await transformImage(jpeg, ['w-100,f-auto'], { accept });
      expect([accept, result.contentType, result.varyAccept]).toEqual([accept, contentType, true]);
    }
    expect((await transformImage(corner, ['w-100,f-auto'])).contentType).toBe('image/png');
  });

  it('without f- the format is auto ("Default Value - auto"); a format asked for does not vary', async () => {
    const auto = await transformImage(corner, ['w-100'], { accept: 'image/webp' });
    expect([auto.contentType, auto.varyAccept]).toEqual(['image/webp', true]);
    expect((await transformImage(corner, ['w-100,f-jpg'], { accept: 'image/webp' })).varyAccept).toBe(false);
  });

  it('f-auto keeps transparency: a JPEG with rounded corners comes back as PNG when no modern format is accepted', async () => {
    const out = await transformImage(await cornerImage('jpeg'), ['r-20']);
    expect(out.contentType).toBe('image/png');
    expect((await decode(out.body)).at(1, 1)[3]).toBe(0);
  });

  it('f-gif needs a GIF input; otherwise it is skipped', async () => {
    const result = await transformImage(corner, ['w-100,f-gif']);
    expect([result.contentType, result.skipped]).toEqual(['image/png', ['f-gif']]);
  });

  it('q- sets the quality, 80 by default', async () => {
    const size = async (tr: string) => (await transformImage(corner, [`e-sharpen,bl-1,${tr}`])).body;
    const [low, high, implicit, eighty] = await Promise.all([size('f-jpg,q-10'), size('f-jpg,q-90'), size('f-jpg'), size('f-jpg,q-80')]);
    expect(low.length).toBeLessThan(high.length);
    expect(implicit.equals(eighty)).toBe(true);
  });

  it('pr-true makes a progressive JPEG', async () => {
    expect((await sharp((await transformImage(corner, ['f-jpg,pr-true'])).body).metadata()).isProgressive).toBe(true);
    expect((await sharp((await transformImage(corner, ['f-jpg'])).body).metadata()).isProgressive).toBe(false);
  });

  it('lo-true makes WebP lossless: every pixel survives', async () => {
    const noise = Buffer.alloc(32 * 32 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
    const input = await sharp(noise, { raw: { width: 32, height: 32, channels: 3 } }).png().toBuffer();
    const pixels = async (tr: string) => (await sharp((await transformImage(input, [tr])).body).raw().toBuffer());
    expect((await pixels('f-webp,lo-true')).equals(noise)).toBe(true);
    expect((await pixels('f-webp')).equals(noise)).toBe(false);
  });

  it('orig-true returns the original bytes and ignores the other parameters', async () => {
    const result = await transformImage(corner, ['w-100,rt-90,orig-true']);
    expect(result.body.equals(corner)).toBe(true);
    expect(result.contentType).toBe('image/png');
  });
});

describe('chained transformations (docs.imagekit.io/features/image-transformations/chained-transformations)', () => {
  it('each step works on the result of the one before', async () => {
    const out = await apply('w-200,h-200,cm-extract,fo-top_left:w-100');
    expect([out.width, out.height]).toEqual([100, 100]);
    expectPixel(out, 10, 10, RED);
    expectPixel(out, 80, 80, BLUE);
  });

  it('the path and the query transformations chain, path first', async () => {
    const result = await transformImage(corner, ['w-200', 'rt-90']);
    const out = await decode(result.body);
    expect([out.width, out.height]).toEqual([150, 200]);
    expectPixel(out, 145, 5, RED);
  });
});
