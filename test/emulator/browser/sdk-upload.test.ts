// The browser-upload flow end to end, in a real headless Chromium: a page on an origin of its own
// uploads with ImageKit's official browser SDK (@imagekit/javascript, its browser build from
// node_modules) to the emulator, signed by `imagekit auth-params --json`, as README's recipe says.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { BROWSER_TIMEOUT_MS, describeWithBrowser, launchBrowser, openPage, screenshotPath, servePages, type PageServer } from '../../helpers/browser.js';
import { runCli } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { testImage } from '../../helpers/images.js';

const SDK_BUILD = createRequire(import.meta.url).resolve('@imagekit/javascript/dist/imagekit.min.js');

/**
 * The page's script: README's recipe. The SDK always posts to upload.imagekit.io, so the page gives it
 * an XMLHttpRequest of its own that opens the emulator's upload URL instead. `onProgress` makes it a
 * request with a preflight, as every upload with a progress bar is.
 */
const pageScript = (uploadBaseUrl: string, publicKey: string) => `
const UPLOAD_URL = ${JSON.stringify(`${uploadBaseUrl}/api/v1/files/upload`)};
const PUBLIC_KEY = ${JSON.stringify(publicKey)};

function emulatorXhr() {
  const xhr = new XMLHttpRequest();
  const open = xhr.open.bind(xhr);
  xhr.open = (method) => open(method, UPLOAD_URL);
  return xhr;
}

window.uploadWith = async (auth) => {
  const file = document.getElementById('file').files[0];
  let progressEvents = 0;
  try {
    const response = await ImageKit.upload({
      file, fileName: file.name, publicKey: PUBLIC_KEY, ...auth, tags: ['from-page'], responseFields: ['tags'], useUniqueFileName: false,
      xhr: emulatorXhr(), onProgress: () => progressEvents++,
    });
    const picture = document.getElementById('uploaded');
    picture.src = response.url;
    await picture.decode();
    document.getElementById('result').textContent = 'Stored as ' + response.filePath;
    return { ok: true, response, progressEvents };
  } catch (error) {
    document.getElementById('result').textContent = error.name + ': ' + error.message;
    return { ok: false, name: error.name, message: error.message, status: error.$ResponseMetadata?.statusCode };
  }
};
`;

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Upload to the emulator</title><script src="/imagekit.min.js"></script></head>
<body>
<h1>Client-side upload</h1>
<label>File <input type="file" id="file"></label>
<p><output id="result"></output></p>
<img id="uploaded" alt="The uploaded file, delivered by the emulator">
<script src="/page.js"></script>
</body>
</html>`;

type UploadOutcome =
  | { ok: true; response: { filePath: string; url: string; tags: string[] | null }; progressEvents: number }
  | { ok: false; name: string; message: string; status?: number };

describeWithBrowser('the official browser SDK uploading to the emulator', () => {
  const running = useEmulator();
  let pages: PageServer;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let picture: Buffer;

  beforeAll(async () => {
    const { url, publicKey } = running.emulator;
    pages = await servePages({
      '/': { type: 'text/html; charset=utf-8', body: PAGE },
      '/page.js': { type: 'text/javascript', body: pageScript(url, publicKey) },
      '/imagekit.min.js': { type: 'text/javascript', body: readFileSync(SDK_BUILD) },
    });
    dir = mkdtempSync(join(tmpdir(), 'imagekit-browser-'));
    picture = await testImage({ width: 320, height: 240, seed: 7 });
    writeFileSync(join(dir, 'holiday.png'), picture);
    browser = await launchBrowser();
    ({ page } = await openPage(browser));
    await page.goto(pages.url);
    const input = await page.$('input#file');
    await input!.uploadFile(join(dir, 'holiday.png'));
  }, BROWSER_TIMEOUT_MS * 2);

  afterAll(async () => {
    await browser?.close();
    await pages?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** `imagekit auth-params --json`, run as a page's server would, with the emulator's private key. */
  async function authParams(...flags: string[]): Promise<Record<string, unknown>> {
    const result = await runCli(['auth-params', '--json', ...flags], { env: { IMAGEKIT_PRIVATE_KEY: running.emulator.privateKey }, now: Date.now });
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  const uploadFromPage = (auth: Record<string, unknown>) =>
    page.evaluate((params) => (window as unknown as { uploadWith(p: unknown): Promise<UploadOutcome> }).uploadWith(params), auth);

  it('stores the file, and refuses its token a second time', async () => {
    const auth = await authParams();
    const stored = await uploadFromPage(auth);
    expect(stored).toMatchObject({ ok: true, response: { filePath: '/holiday.png', tags: ['from-page'] } });
    if (!stored.ok) return;
    expect(stored.progressEvents).toBeGreaterThan(0);
    const file = running.emulator.store.findByPath('/holiday.png')!;
    expect(readFileSync(running.emulator.store.blobPath(file.current.blob)).equals(picture)).toBe(true);
    expect(running.emulator.requests.at(-1)?.fields).toMatchObject({ token: auth.token, signature: auth.signature, publicKey: running.emulator.publicKey });
    await page.screenshot({ path: screenshotPath('sdk-upload.png') });

    const reused = await uploadFromPage(auth);
    expect(reused).toEqual({ ok: false, name: 'ImageKitInvalidRequestError', message: 'The token has already been used. Please generate a new token.', status: 400 });
  }, BROWSER_TIMEOUT_MS);

  it('refuses an expired expire', async () => {
    const auth = await authParams('--expire', String(Math.floor(Date.now() / 1000) - 60));
    const refused = await uploadFromPage(auth);
    expect(refused).toMatchObject({ ok: false, name: 'ImageKitInvalidRequestError', status: 400 });
    expect(refused.ok || refused.message).toMatch(/invalid expire parameter/);
    expect(running.emulator.store.usedTokens.has(String(auth.token))).toBe(false);
  }, BROWSER_TIMEOUT_MS);

  it('lets the page draw a delivered image on a canvas and read its pixels, but never call the private-key API', async () => {
    const { urlEndpoint, url, privateKey } = running.emulator;
    const drawn = await page.evaluate(async (src) => {
      const image = new Image();
      image.crossOrigin = 'anonymous';
      image.src = src;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      return { width: canvas.width, height: canvas.height, pixel: [...context.getImageData(0, 0, 1, 1).data] };
    }, `${urlEndpoint}/tr:w-80/holiday.png`);
    expect(drawn).toMatchObject({ width: 80, height: 60 });
    expect(drawn.pixel).toHaveLength(4);

    const apiCall = await page.evaluate(
      (api, key) => fetch(`${api}/v1/files`, { headers: { authorization: `Basic ${btoa(`${key}:`)}` } }).then(() => 'read', (error: Error) => error.name),
      url,
      privateKey,
    );
    expect(apiCall).toBe('TypeError');
  }, BROWSER_TIMEOUT_MS);
});
