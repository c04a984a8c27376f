// A real headless browser for the tests of what a page does with the emulator: Debian's chromium,
// driven by puppeteer-core (which downloads no browser of its own). Where chromium is not installed
// (.ci/run installs it) the browser suites are skipped with a notice. Pages come from a small server
// of the test's own on 127.0.0.1, another origin than the emulator's, so CORS is really exercised.
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

const CHROMIUM = '/usr/bin/chromium';
/** How long launching the browser, or any one step in it, may take before the test fails. */
export const BROWSER_TIMEOUT_MS = 30_000;

/** `describe`, or `describe.skip` with a notice when chromium is missing. */
export function describeWithBrowser(name: string, suite: () => void): void {
  if (existsSync(CHROMIUM)) return describe(name, suite);
  // Straight to stderr: jest shows no console output of a file whose tests are all skipped.
  process.stderr.write(`${CHROMIUM} is not installed (apt-get install chromium): the browser tests "${name}" are skipped\n`);
  describe.skip(name, suite);
}

/**
 * Headless Chromium (`headless: true` is `--headless=new`). Every host name but the loopback's fails
 * to resolve, so that nothing a page does can reach past this machine.
 */
export function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'],
    timeout: BROWSER_TIMEOUT_MS,
    protocolTimeout: BROWSER_TIMEOUT_MS,
  });
}

/** A new page whose waits time out within the bound, and whose console errors and uncaught exceptions are collected. */
export async function openPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  page.setDefaultTimeout(BROWSER_TIMEOUT_MS);
  await page.setViewport({ width: 1200, height: 800 });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return { page, errors };
}

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

/** Serves fixed files (path to content type and body) on 127.0.0.1, any free port; 404 for anything else. */
export async function servePages(files: Record<string, { type: string; body: string | Buffer }>): Promise<PageServer> {
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://127.0.0.1').pathname];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.type }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Where a screenshot for a person to look at goes: test-output/ at the top of the repository. */
export function screenshotPath(name: string): string {
  const dir = fileURLToPath(new URL('../../test-output/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
