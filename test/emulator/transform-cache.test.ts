// The transformation engine's supporting parts: the derived-image cache, the sharp job limiter, ETags,
// the parser's steps and layers, and the APPLIED table that `--explain` will read.
import { TRANSFORMATION_NAMES } from '../../src/transformation.js';
import { APPLIED, ConcurrencyLimiter, DerivedImageCache, etagMatches, parseTransformation, strongEtag, type DerivedImage, type DerivedImageKey } from '../../emulator/transform/index.js';
import { LAYER_CODES } from '../../emulator/transform/params.js';

const image = (bytes: number, fill = 0): DerivedImage => {
  const body = Buffer.alloc(bytes, fill);
  return { body, contentType: 'image/png', etag: strongEtag(body), width: 1, height: 1, skipped: [], varyAccept: false };
};
const key = (fileId: string, transformation = 'w-100', negotiated = 'none', version = 'v1'): DerivedImageKey => ({ fileId, version, transformation: [transformation], negotiated });

describe('DerivedImageCache', () => {
  it('evicts the least recently used entries past its byte cap', () => {
    const cache = new DerivedImageCache(300);
    cache.set(key('a'), image(100));
    cache.set(key('b'), image(100));
    cache.set(key('c'), image(100));
    expect(cache.get(key('a'))).toBeDefined(); // a is now the most recent
    cache.set(key('d'), image(100));
    expect([cache.get(key('a')), cache.get(key('b')), cache.get(key('c')), cache.get(key('d'))].map(Boolean)).toEqual([true, false, true, true]);
    expect(cache.bytes).toBe(300);
  });

  it('keys on the file version, the transformation and the negotiated format', () => {
    const cache = new DerivedImageCache(1000);
    cache.set(key('a', 'w-100', 'webp'), image(10, 1));
    expect(cache.get(key('a', 'w-100', 'avif'))).toBeUndefined();
    expect(cache.get(key('a', 'w-200', 'webp'))).toBeUndefined();
    expect(cache.get(key('a', 'w-100', 'webp', 'v2'))).toBeUndefined();
    expect(cache.get(key('a', 'w-100', 'webp'))?.body[0]).toBe(1);
  });

  it('replaces an entry under the same key without counting it twice', () => {
    const cache = new DerivedImageCache(1000);
    cache.set(key('a'), image(100));
    cache.set(key('a'), image(50));
    expect([cache.size, cache.bytes]).toEqual([1, 50]);
  });

  it('does not keep an image larger than the whole cap', () => {
    const cache = new DerivedImageCache(100);
    cache.set(key('a'), image(50));
    cache.set(key('b'), image(101));
    expect([cache.get(key('b')), cache.size, cache.bytes]).toEqual([undefined, 1, 50]);
  });

  it('dropFile forgets every derivative of one file only', () => {
    const cache = new DerivedImageCache(1000);
    cache.set(key('a', 'w-100'), image(10));
    cache.set(key('a', 'w-200', 'webp', 'v2'), image(10));
    cache.set(key('b', 'w-100'), image(10));
    cache.dropFile('a');
    expect([cache.size, cache.bytes, Boolean(cache.get(key('b', 'w-100')))]).toEqual([1, 10, true]);
  });
});

describe('ConcurrencyLimiter', () => {
  it('runs at most N jobs at once, in arrival order, and passes results and errors through', async () => {
    const limiter = new ConcurrencyLimiter(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const job = (n: number) => async () => {
      started.push(n);
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (n === 3) throw new Error('job 3 failed');
      return n * 10;
    };
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => limiter.run(job(n))));
    expect(peak).toBe(2);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([10, 20, 'job 3 failed', 40, 50]);
    expect([limiter.running, limiter.waiting]).toEqual([0, 0]);
  });

  it('refuses a limit below one', () => {
    expect(() => new ConcurrencyLimiter(0)).toThrow(RangeError);
  });
});

describe('ETags', () => {
  it('are strong, quoted, and follow the bytes', () => {
    const tag = strongEtag(Buffer.from('abc'));
    expect(tag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(strongEtag(Buffer.from('abc'))).toBe(tag);
    expect(strongEtag(Buffer.from('abd'))).not.toBe(tag);
  });

  it('match If-None-Match weakly, in lists, and with *', () => {
    const tag = strongEtag(Buffer.from('abc'));
    expect(etagMatches(tag, tag)).toBe(true);
    expect(etagMatches(`W/${tag}`, tag)).toBe(true);
    expect(etagMatches(`"other", ${tag}`, tag)).toBe(true);
    expect(etagMatches('*', tag)).toBe(true);
    expect(etagMatches('"other"', tag)).toBe(false);
    expect(etagMatches(undefined, tag)).toBe(false);
  });
});

describe('parseTransformation', () => {
  it('splits chained steps and nested layers, each layer with its own chain', () => {
    const steps = parseTransformation(['w-100,l-image,i-a@@b.png,w-10:h-5,l-text,i-Hi,l-end,l-end:rt-90', 'e-sharpen-10']);
    expect(steps).toHaveLength(3);
    expect(steps[0]!.params).toEqual([{ code: 'w', value: '100' }]);
    const layer = steps[0]!.layers[0]!;
    expect(layer.kind).toBe('image');
    expect(layer.steps.map((s) => s.params)).toEqual([[{ code: 'i', value: 'a@@b.png' }, { code: 'w', value: '10' }], [{ code: 'h', value: '5' }]]);
    expect(layer.steps[1]!.layers[0]!.kind).toBe('text');
    expect(steps[1]!.params).toEqual([{ code: 'rt', value: '90' }]);
    expect(steps[2]!.params).toEqual([{ code: 'e-sharpen', value: '10' }]);
  });

  it('accepts a leading tr: and a named transformation stored with it', () => {
    const steps = parseTransformation(['tr:n-thumb'], (name) => (name === 'thumb' ? 'tr:w-100,h-100' : undefined));
    expect(steps[0]!.params).toEqual([{ code: 'w', value: '100' }, { code: 'h', value: '100' }]);
  });

  it('refuses a loop of names', () => {
    expect(() => parseTransformation(['n-a'], (name) => (name === 'a' ? 'n-b' : 'n-a'))).toThrow('too deeply');
  });
});

describe('APPLIED', () => {
  it('lists only codes the core parser knows, each with a note', () => {
    for (const [code, note] of APPLIED) {
      expect({ code, known: TRANSFORMATION_NAMES.has(code) || LAYER_CODES.has(code), note: note.length > 0 }).toEqual({ code, known: true, note: true });
    }
    expect(APPLIED.has('w')).toBe(true);
    expect(APPLIED.has('e-bgremove')).toBe(false);
  });
});
