// The dashboard as a person sees it, in a real headless Chromium: the library's thumbnails delivered at
// their size, a file's details, the playground's image at the size typed, the request log with its
// injected faults, jobs and purges; no console errors on the way. Each page is saved as a screenshot
// under test-output/ for a person to look at.
import type { Browser, Page } from 'puppeteer-core';
import sharp from 'sharp';
import { startEmulator, type Emulator } from '../../../emulator/index.js';
import { BROWSER_TIMEOUT_MS, describeWithBrowser, launchBrowser, openPage, screenshotPath } from '../../helpers/browser.js';
import { runCli } from '../../helpers/cli.js';
import { clientFor } from '../../helpers/emulator.js';

/** A colourful picture (sharp renders the SVG): a gradient and a few circles, different for each hue. */
function picture(width: number, height: number, hue: number, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const circles = [0.25, 0.5, 0.75]
    .map((x, i) => `<circle cx="${x * width}" cy="${(0.35 + 0.15 * i) * height}" r="${Math.min(width, height) * (0.12 + 0.05 * i)}" fill="hsl(${(hue + 40 * (i + 1)) % 360},75%,60%)" fill-opacity="0.85"/>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},70%,45%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},70%,80%)"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>${circles}</svg>`;
  const image = sharp(Buffer.from(svg));
  return (format === 'png' ? image.png() : image.jpeg({ quality: 85 })).toBuffer();
}

/** Waits until every thumbnail in the grid has loaded, and gives their natural sizes. */
async function thumbnailSizes(page: Page): Promise<Array<[number, number]>> {
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('img.thumb')].every((image) => image.complete));
  return page.$$eval('img.thumb', (images) => images.map((image) => [image.naturalWidth, image.naturalHeight] as [number, number]));
}

describeWithBrowser('the dashboard in a browser', () => {
  let emulator: Emulator;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    emulator = await startEmulator({ dashboard: true });
    const client = clientFor(emulator);
    await client.createCustomMetadataField({ name: 'price', label: 'Price', schema: { type: 'Number' } });
    const products: Array<[string, number, number, number, 'png' | 'jpeg']> = [
      ['sneaker.png', 640, 480, 200, 'png'],
      ['boot.jpg', 480, 640, 20, 'jpeg'],
      ['scarf.png', 800, 400, 320, 'png'],
      ['hat.jpg', 500, 500, 120, 'jpeg'],
      ['bag.png', 600, 450, 260, 'png'],
    ];
    for (const [fileName, width, height, hue, format] of products) {
      await client.upload({ bytes: await picture(width, height, hue, format) }, { fileName, folder: '/products', useUniqueFileName: false, tags: ['summer', fileName.split('.')[0]!], customMetadata: { price: 40 + hue / 10 } });
    }
    await client.upload({ bytes: await picture(640, 480, 210) }, { fileName: 'sneaker.png', folder: '/products', useUniqueFileName: false, tags: ['summer', 'sneaker', 'new'], customMetadata: { price: 59 } });
    await client.upload({ bytes: await picture(400, 400, 0) }, { fileName: 'prototype.png', folder: '/products', useUniqueFileName: false, isPrivateFile: true });
    await client.upload({ bytes: Buffer.from('Spring catalogue notes') }, { fileName: 'notes.txt', folder: '/products', useUniqueFileName: false });
    await client.upload({ bytes: await picture(1200, 500, 180) }, { fileName: 'hero.png', useUniqueFileName: false });
    await client.createFolder('campaigns', '/');
    await client.copyFolder('/products', '/campaigns');
    emulator.configure({ jobDurationMs: 3_600_000 });
    await client.renameFolder('/campaigns/products', 'spring', true);
    emulator.configure({ failRate: 1 });
    for (let i = 0; i < 2; i++) await fetch(`${emulator.url}/v1/files`).catch(() => undefined);
    emulator.configure({ failRate: 0 });

    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser));
  }, BROWSER_TIMEOUT_MS * 2);

  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });

  // Nothing the page logged as an error, nor threw, at any step.
  afterEach(() => expect(errors).toEqual([]));

  it('shows the library: folders, and thumbnails delivered at 160 x 160 by the emulator', async () => {
    await page.goto(emulator.dashboardUrl!);
    await page.waitForSelector('.grid');
    expect(await page.$$eval('.grid .name', (names) => names.map((name) => name.textContent))).toEqual(['campaigns', 'products', 'hero.png']);
    expect(await thumbnailSizes(page)).toEqual([[160, 160]]);

    await page.click('a[href="#/files?folder=%2Fproducts"]');
    await page.waitForFunction(() => document.querySelector('.crumbs [aria-current]')?.textContent === 'products');
    expect(await page.$$eval('.grid .name', (names) => names.map((name) => name.textContent))).toEqual(['bag.png', 'boot.jpg', 'hat.jpg', 'notes.txt', 'prototype.png', 'scarf.png', 'sneaker.png']);
    // Every image, the private one too (its thumbnail URL signed by the dashboard's server); not the text file.
    expect(await thumbnailSizes(page)).toEqual(Array(6).fill([160, 160]));
    await page.mouse.move(1190, 790); // off the tiles, so that none shows as hovered
    await page.screenshot({ path: screenshotPath('dashboard-library.png') });
  }, BROWSER_TIMEOUT_MS);

  it("opens a file's details: its URL, tags, custom metadata and versions", async () => {
    await page.click('a[href^="#/file?id="]:has(img[src*="sneaker.png"])');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'sneaker.png');
    await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('img.preview')?.naturalWidth ?? 0) > 0);
    const text = await page.$eval('main', (main) => main.innerText);
    expect(text).toContain(`${emulator.urlEndpoint}/products/sneaker.png`);
    expect(await page.$$eval('.tags li', (tags) => tags.map((tag) => tag.textContent))).toEqual(['summer', 'sneaker', 'new']);
    expect(text).toMatch(/price\s+59/);
    expect(text).toMatch(/Version 2 \(current\)[\s\S]*Version 1/);
    expect(await page.$eval('img.preview', (image) => [image.naturalWidth, image.naturalHeight])).toEqual([480, 360]);
    await page.screenshot({ path: screenshotPath('dashboard-file.png'), fullPage: true });
  }, BROWSER_TIMEOUT_MS);

  it('shows the playground: the image at the size typed, its format, its URL and the command that prints that URL', async () => {
    await page.click('main a[href^="#/playground"]');
    await page.waitForSelector('#playground-image');
    await page.click('#playground-tr', { count: 3 });
    await page.keyboard.press('Backspace');
    await page.type('#playground-tr', 'w-300,h-200,f-webp');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#playground-size')?.textContent === '300 × 200 px');
    expect(await page.$eval('#playground-image', (image) => [(image as HTMLImageElement).naturalWidth, (image as HTMLImageElement).naturalHeight])).toEqual([300, 200]);
    expect(await page.$eval('#playground-format', (format) => format.textContent)).toBe('image/webp');
    const url = await page.$eval('#playground-url', (link) => link.textContent);
    expect(url).toBe(`${emulator.urlEndpoint}/tr:w-300,h-200,f-webp/products/sneaker.png`);
    const command = await page.$eval('#playground-command', (pre) => pre.textContent);
    expect(command).toBe(`IMAGEKIT_URL_ENDPOINT='${emulator.urlEndpoint}' imagekit url '/products/sneaker.png' --tr 'w-300,h-200,f-webp'`);
    expect((await runCli(['url', '/products/sneaker.png', '--tr', 'w-300,h-200,f-webp'], { env: { IMAGEKIT_URL_ENDPOINT: emulator.urlEndpoint } })).stdout.trim()).toBe(url);
    await page.screenshot({ path: screenshotPath('dashboard-playground.png'), fullPage: true });
  }, BROWSER_TIMEOUT_MS);

  it('shows the request log with the faults injected', async () => {
    await page.click('a[href="#/requests"]');
    await page.waitForSelector('table');
    expect(await page.$$eval('tr.fault .fault-label', (labels) => labels.map((label) => label.textContent))).toEqual(['injected error', 'injected error']);
    expect(await page.$eval('[aria-current="page"]', (link) => link.textContent)).toBe('Requests');
    await page.screenshot({ path: screenshotPath('dashboard-requests.png') });
  }, BROWSER_TIMEOUT_MS);

  it('shows jobs and purges with their status', async () => {
    await page.click('a[href="#/jobs"]');
    await page.waitForSelector('table');
    const rows = await page.$$eval('tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.map((cells) => cells.slice(1, 3))).toEqual([
      ['RENAME_FOLDER', 'Pending'],
      ['COPY_FOLDER', 'Completed'],
      [`${emulator.urlEndpoint}/campaigns/products*`, 'Pending'],
    ]);
    await page.screenshot({ path: screenshotPath('dashboard-jobs.png') });
  }, BROWSER_TIMEOUT_MS);
});
