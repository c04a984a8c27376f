import { createHmac } from 'node:crypto';
import { buildUrl, explainUrl, signUrl, NEVER_EXPIRES } from '../../src/url.js';
import { ConfigError, InvalidInputError } from '../../src/errors.js';

const hmac = (key: string, message: string) => createHmac('sha1', key).update(message).digest('hex');
const ENDPOINT = 'https://ik.imagekit.io/your_imagekit_id/endpoint/';

describe('the seed README examples, byte for byte', () => {
  it.each([
    [
      'path with a raw part',
      { path: '/default-image.jpg', urlEndpoint: ENDPOINT, transformation: [{ height: '300', width: '400', raw: 'ar-4-3,q-40' }] },
      'https://ik.imagekit.io/your_imagekit_id/endpoint/tr:h-300,w-400,ar-4-3,q-40/default-image.jpg',
    ],
    [
      'full image URL (src): transformation in the query, form-encoded',
      { src: 'https://ik.imagekit.io/your_imagekit_id/endpoint/default-image.jpg', transformation: [{ height: '300', width: '400', raw: 'ar-4-3,q-40' }] },
      'https://ik.imagekit.io/your_imagekit_id/endpoint/default-image.jpg?tr=h-300%2Cw-400%2Car-4-3%2Cq-40',
    ],
    [
      'chained transformations as a query parameter',
      { path: '/default-image.jpg', urlEndpoint: ENDPOINT, transformation: [{ height: '300', width: '400' }, { rotation: 90 }], transformationPosition: 'query' as const },
      'https://ik.imagekit.io/your_imagekit_id/endpoint/default-image.jpg?tr=h-300%2Cw-400%3Art-90',
    ],
    [
      'sharpening with "-", contrast and progressive JPG',
      {
        src: 'https://ik.imagekit.io/your_imagekit_id/endpoint/default-image.jpg',
        transformation: [{ format: 'jpg', progressive: 'true', effect_sharpen: '-', effect_contrast: '1' }],
      },
      'https://ik.imagekit.io/your_imagekit_id/endpoint/default-image.jpg?tr=f-jpg%2Cpr-true%2Ce-sharpen%2Ce-contrast-1',
    ],
    [
      'older README: path',
      { path: '/default-image.jpg', urlEndpoint: ENDPOINT, transformation: [{ height: '300', width: '400' }] },
      'https://ik.imagekit.io/your_imagekit_id/endpoint/tr:h-300,w-400/default-image.jpg',
    ],
    [
      'older README: src',
      { src: 'https://ik.imagekit.io/your_imagekit_id/endpoint/default-image.jpg', transformation: [{ height: '300', width: '400' }] },
      'https://ik.imagekit.io/your_imagekit_id/endpoint/default-image.jpg?tr=h-300%2Cw-400',
    ],
    [
      'quick start: plain path',
      { path: '/default-image.jpg', urlEndpoint: 'https://ik.imagekit.io/fl0osl7rq9' },
      'https://ik.imagekit.io/fl0osl7rq9/default-image.jpg',
    ],
    [
      'quick start: query position',
      { path: '/default-image.jpg', urlEndpoint: 'https://ik.imagekit.io/fl0osl7rq9', transformation: [{ height: '200', width: '200' }], transformationPosition: 'query' as const },
      'https://ik.imagekit.io/fl0osl7rq9/default-image.jpg?tr=h-200%2Cw-200',
    ],
    [
      'quick start: resize, then rotate (a raw code as the name)',
      { path: '/default-image.jpg', urlEndpoint: 'https://ik.imagekit.io/fl0osl7rq9', transformation: [{ height: '300', width: '200' }, { rt: '90' }] },
      'https://ik.imagekit.io/fl0osl7rq9/tr:h-300,w-200:rt-90/default-image.jpg',
    ],
    [
      'quick start: rotate, then resize',
      { path: '/default-image.jpg', urlEndpoint: 'https://ik.imagekit.io/fl0osl7rq9', transformation: [{ rt: '90' }, { height: '300', width: '200' }] },
      'https://ik.imagekit.io/fl0osl7rq9/tr:rt-90:h-300,w-200/default-image.jpg',
    ],
  ])('%s', (_, options, expected) => {
    expect(buildUrl(options)).toBe(expected);
  });

  // These samples in the seeds contradict the SDK's own code (they drop the endpoint's "endpoint/",
  // add a ".jpg" the path does not have, reorder parameters or show "raw-"); the seeds' README says the
  // rules in url-rules.md decide, and these are the URLs the Python SDK's code produces.
  it.each([
    ['text overlay', 'l-text,i-Imagekit,fs-50,l-end', '/default-image', 'https://ik.imagekit.io/your_imagekit_id/endpoint/tr:h-300,w-400,l-text,i-Imagekit,fs-50,l-end/default-image'],
    ['image overlay', 'l-image,i-default-image.jpg,w-100,b-10_CDDC39,l-end', '/default-image', 'https://ik.imagekit.io/your_imagekit_id/endpoint/tr:h-300,w-400,l-image,i-default-image.jpg,w-100,b-10_CDDC39,l-end/default-image'],
    ['solid colour overlay', 'l-image,i-ik_canvas,bg-FF0000,w-300,h-100,l-end', '/img/sample-video', 'https://ik.imagekit.io/your_imagekit_id/endpoint/tr:h-300,w-400,l-image,i-ik_canvas,bg-FF0000,w-300,h-100,l-end/img/sample-video'],
  ])('%s, as the SDK builds it', (_, raw, path, expected) => {
    expect(buildUrl({ path, urlEndpoint: ENDPOINT, transformation: [{ height: '300', width: '400', raw }] })).toBe(expected);
  });

  it('arithmetic expressions, as the SDK builds them', () => {
    expect(
      buildUrl({ path: '/default-image.jpg', urlEndpoint: ENDPOINT, transformation: [{ height: 'ih_div_2', width: 'iw_div_4', border: 'cw_mul_0.05_yellow' }] }),
    ).toBe('https://ik.imagekit.io/your_imagekit_id/endpoint/tr:h-ih_div_2,w-iw_div_4,b-cw_mul_0.05_yellow/default-image.jpg');
  });

  it('quick start: raw is inserted as is, not as "raw-..."', () => {
    expect(
      buildUrl({ path: '/default-image.jpg', urlEndpoint: 'https://ik.imagekit.io/fl0osl7rq9', transformation: [{ height: '200', width: '200', raw: 'ar-4-3,q-40' }] }),
    ).toBe('https://ik.imagekit.io/fl0osl7rq9/tr:h-200,w-200,ar-4-3,q-40/default-image.jpg');
  });

  it('signed URL that expires in 300 seconds, with query parameters', () => {
    const expiry = 1658899345;
    const url = buildUrl({
      path: '/default-image.jpg',
      urlEndpoint: 'https://ik.imagekit.io/your_imagekit_id',
      queryParameters: { p1: '123', p2: '345' },
      transformation: [{ height: '300', width: '400' }],
      signed: true,
      expireSeconds: 300,
      privateKey: 'private_key_test',
      now: () => (expiry - 300) * 1000 + 999,
    });
    const signature = hmac('private_key_test', `tr:h-300,w-400/default-image.jpg?p1=123&p2=345${expiry}`);
    expect(url).toBe(`https://ik.imagekit.io/your_imagekit_id/tr:h-300,w-400/default-image.jpg?p1=123&p2=345&ik-t=${expiry}&ik-s=${signature}`);
  });
});

describe('signing, against the SDKs\' test vectors', () => {
  it('Python SDK: never-expiring signed URL', () => {
    expect(
      buildUrl({ path: '/test-signed-url.png', urlEndpoint: 'https://ik.imagekit.io/your_imagekit_id', transformation: [{ width: 100 }], signed: true, privateKey: 'private_key_test' }),
    ).toBe('https://ik.imagekit.io/your_imagekit_id/tr:w-100/test-signed-url.png?ik-s=41b3075c40bc84147eb71b8b49ae7fbf349d0f00');
  });

  it('Python SDK: expiry timestamp 100', () => {
    expect(
      buildUrl({ path: 'test-signed-url.png', urlEndpoint: 'https://ik.imagekit.io/your_imagekit_id/', transformation: [{ width: 100 }], expireAt: 100, privateKey: 'private_key_test' }),
    ).toBe('https://ik.imagekit.io/your_imagekit_id/tr:w-100/test-signed-url.png?ik-t=100&ik-s=5e5037a31a7121cbe2964e220b4338cc6e1ba66d');
  });

  it('Node SDK: the endpoint is removed with its slash before signing', () => {
    expect(buildUrl({ path: 'sdk-testing-files/future-search.png', urlEndpoint: 'https://ik.imagekit.io/demo/', signed: true, privateKey: 'dummy-key' })).toBe(
      'https://ik.imagekit.io/demo/sdk-testing-files/future-search.png?ik-s=32dbbbfc5f945c0403c71b54c38e76896ef2d6b0',
    );
  });

  it('Node SDK: path position with a query parameter', () => {
    const url = buildUrl({
      path: '/sdk-testing-files/future-search.png',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      queryParameters: { version: '2.0' },
      transformation: [{ width: 300, height: 200 }],
      signed: true,
      privateKey: 'dummy-key',
    });
    expect(url).toMatch(/^https:\/\/ik\.imagekit\.io\/demo\/tr:w-300,h-200\/sdk-testing-files\/future-search\.png\?version=2\.0&ik-s=dd1ee8f8[0-9a-f]{32}$/);
  });

  it('gives the same signature whether the endpoint ends with a slash or not', () => {
    const options = { path: '/a.jpg', signed: true, privateKey: 'k' };
    expect(buildUrl({ ...options, urlEndpoint: 'https://ik.imagekit.io/x' })).toBe(buildUrl({ ...options, urlEndpoint: 'https://ik.imagekit.io/x///' }));
  });

  it('signs a src URL that lies under the endpoint, and refuses one that does not', () => {
    const url = buildUrl({ src: 'https://ik.imagekit.io/x/a.jpg', urlEndpoint: 'https://ik.imagekit.io/x', signed: true, privateKey: 'k', transformation: [{ width: 10 }] });
    expect(url).toBe(`https://ik.imagekit.io/x/a.jpg?tr=w-10&ik-s=${hmac('k', `a.jpg?tr=w-10${NEVER_EXPIRES}`)}`);
    expect(() => buildUrl({ src: 'https://other.example/a.jpg', urlEndpoint: 'https://ik.imagekit.io/x', signed: true, privateKey: 'k' })).toThrow(InvalidInputError);
  });

  it('needs the private key, and says how to set it', () => {
    expect(() => buildUrl({ path: '/a.jpg', urlEndpoint: 'https://ik.imagekit.io/x', signed: true })).toThrow(ConfigError);
    expect(() => signUrl('https://ik.imagekit.io/x/a.jpg', 'https://ik.imagekit.io/x', '')).toThrow(/IMAGEKIT_PRIVATE_KEY/);
  });

  it('expireSeconds counts from the injected clock', () => {
    const url = buildUrl({ path: '/a.jpg', urlEndpoint: 'https://ik.imagekit.io/x', expireSeconds: 60, privateKey: 'k', now: () => 1_000_000_500 });
    expect(url).toContain('?ik-t=1000060&ik-s=');
  });
});

describe('slashes and encoding', () => {
  it.each([
    ['https://ik.imagekit.io/x', 'a.jpg'],
    ['https://ik.imagekit.io/x/', '/a.jpg'],
    ['https://ik.imagekit.io/x//', '///a.jpg'],
  ])('endpoint %s with path %s has exactly one slash between them', (urlEndpoint, path) => {
    expect(buildUrl({ urlEndpoint, path })).toBe('https://ik.imagekit.io/x/a.jpg');
    expect(buildUrl({ urlEndpoint, path, transformation: [{ width: 1 }] })).toBe('https://ik.imagekit.io/x/tr:w-1/a.jpg');
  });

  it('collapses doubled slashes inside the path and keeps the endpoint path', () => {
    expect(buildUrl({ urlEndpoint: 'https://ik.imagekit.io/id/new-endpoint/', path: '/folder//sub///a.jpg' })).toBe(
      'https://ik.imagekit.io/id/new-endpoint/folder/sub/a.jpg',
    );
  });

  it('percent-encodes non-ASCII paths and signs them in that form', () => {
    const url = buildUrl({ urlEndpoint: 'https://ik.imagekit.io/x', path: '/test_é_path_alt.jpg', signed: true, privateKey: 'private_key_test' });
    expect(url).toBe(`https://ik.imagekit.io/x/test_%C3%A9_path_alt.jpg?ik-s=${hmac('private_key_test', `test_%C3%A9_path_alt.jpg${NEVER_EXPIRES}`)}`);
    expect(buildUrl({ urlEndpoint: 'https://ik.imagekit.io/x', path: '/हिन्दी/a b.png' })).toBe(
      'https://ik.imagekit.io/x/%E0%A4%B9%E0%A4%BF%E0%A4%A8%E0%A5%8D%E0%A4%A6%E0%A5%80/a%20b.png',
    );
  });

  it('keeps existing percent escapes instead of encoding them twice', () => {
    expect(buildUrl({ urlEndpoint: 'https://ik.imagekit.io/x', path: '/a%20b.jpg' })).toBe('https://ik.imagekit.io/x/a%20b.jpg');
  });

  it('reads a query written in the path, and merges query parameters into it', () => {
    expect(buildUrl({ urlEndpoint: 'https://ik.imagekit.io/x', path: '/a.jpg?v=1&b=2', queryParameters: { v: '3', c: 'x y' } })).toBe(
      'https://ik.imagekit.io/x/a.jpg?v=3&b=2&c=x+y',
    );
  });

  it('keeps the query of a src URL and adds tr after it', () => {
    expect(buildUrl({ src: 'https://cdn.example.com/a.jpg?z=1&y=2', transformation: [{ width: 5 }] })).toBe('https://cdn.example.com/a.jpg?z=1&y=2&tr=w-5');
  });
});

describe('bad input', () => {
  it('needs a path or a src', () => expect(() => buildUrl({ urlEndpoint: 'https://ik.imagekit.io/x' })).toThrow(InvalidInputError));
  it('needs an endpoint for a path', () => expect(() => buildUrl({ path: '/a.jpg' })).toThrow(/IMAGEKIT_URL_ENDPOINT/));
  it('refuses an endpoint that is not http(s)', () => expect(() => buildUrl({ path: '/a.jpg', urlEndpoint: 'ftp://x/' })).toThrow(ConfigError));
  it('refuses a relative src', () => expect(() => buildUrl({ src: 'a.jpg' })).toThrow(InvalidInputError));
  it('refuses a transformation step that is not an object', () =>
    expect(() => buildUrl({ path: '/a.jpg', urlEndpoint: 'https://x.io', transformation: ['w-100'] })).toThrow(InvalidInputError));
  it('refuses an unknown position', () =>
    expect(() => buildUrl({ path: '/a.jpg', urlEndpoint: 'https://x.io', transformationPosition: 'side' as never })).toThrow(InvalidInputError));
});

describe('explainUrl', () => {
  it('reads a path transformation, layers included', () => {
    const explained = explainUrl('https://ik.imagekit.io/x/tr:h-300,l-text,i-Hi,fs-50,l-end:rt-90,e-sharpen/a.jpg?ik-t=100&ik-s=abc');
    expect(explained.position).toBe('path');
    expect(explained.signed).toBe(true);
    expect(explained.expiresAt).toBe(100);
    expect(explained.parameters.map((p) => [p.step, p.code, p.name, p.value, p.layer])).toEqual([
      [1, 'h', 'height', '300', 0],
      [1, 'l', 'layer', 'text', 0],
      [1, 'i', 'input', 'Hi', 1],
      [1, 'fs', 'font_size', '50', 1],
      [1, 'l', 'layer_end', 'end', 0],
      [2, 'rt', 'rotation', '90', 0],
      [2, 'e-sharpen', 'effect_sharpen', null, 0],
    ]);
  });

  it('reads a form-encoded query transformation', () => {
    const explained = explainUrl('https://ik.imagekit.io/x/a.jpg?tr=h-300%2Cw-400%3Art-90');
    expect(explained.position).toBe('query');
    expect(explained.transformation).toBe('h-300,w-400:rt-90');
    expect(explained.signed).toBe(false);
  });
});
