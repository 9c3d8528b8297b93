// A Chromium page on the panel that records what must never happen: script errors, failed
// requests for the UI's own assets, and any alert/confirm dialog (an XSS payload firing).
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Things a page did that a test can assert are absent. */
export interface PageWatch {
  errors: string[];
  dialogs: string[];
}

/** Widths the key pages are captured at: desktop, tablet, phone. */
export const WIDTHS = [1280, 800, 390] as const;

/** A new page (own context, so its own cookie jar) of the given width. */
export async function openPage(
  browser: Browser,
  width = 1280,
): Promise<{ page: Page; watch: PageWatch; close: () => Promise<void> }> {
  const context = await browser.newContext({
    viewport: { width, height: width < 500 ? 844 : 900 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const watch: PageWatch = { errors: [], dialogs: [] };
  page.on('pageerror', (e) => watch.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (
      m.type() === 'error' &&
      !/Failed to load resource: the server responded with a status of (4\d\d|5\d\d)/.test(m.text())
    )
      watch.errors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/ui/') && r.status() >= 400)
      watch.errors.push(`asset ${r.status()}: ${r.url()}`);
  });
  page.on('dialog', (d) => {
    watch.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return { page, watch, close: () => context.close() };
}

/** Log in through the login form and wait for the dashboard. */
export async function logIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('.user-name', { hasText: username }).waitFor({ state: 'attached' });
}

/** Go to a panel page and wait until nothing is loading. */
export async function visit(page: Page, url: string, path: string): Promise<void> {
  await page.goto(url + path);
  await settle(page);
}

/** Wait until the page shows no spinner. */
export async function settle(page: Page): Promise<void> {
  await page.locator('main#main').waitFor();
  await page.waitForFunction(() => !document.querySelector('.loading'), undefined, { timeout: 15_000 });
}

/**
 * Run `fn` on a fresh page (own cookies) and close it; the test fails when the page threw a
 * script error, failed to load one of the UI's own assets, or opened an alert/confirm dialog.
 */
export async function withUiPage(
  browser: Browser,
  fn: (page: Page, watch: PageWatch) => Promise<void>,
  width = 1280,
): Promise<void> {
  const { page, watch, close } = await openPage(browser, width);
  try {
    await fn(page, watch);
    expect(watch.errors).toEqual([]);
    expect(watch.dialogs).toEqual([]);
  } finally {
    await close();
  }
}
