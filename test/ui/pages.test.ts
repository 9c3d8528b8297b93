// Every built-in page as the admin, in real Chromium: it renders (or says in words why its
// feature is not available), runs no failing script, and is captured at three widths.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, TEST_LOGINS, type TestPanel } from '../../sdk/testing/index.js';
import { launchBrowser } from '../bed/helpers/browser.js';
import { useServices } from '../bed/index.js';
import { logIn, openPage, visit, WIDTHS } from './support/browser.js';
import { uiConfig } from './support/client.js';
import { capture } from './support/shots.js';

const bed = useServices('chromium');

const PAGES = ['/', '/accounts', '/domains', '/ssl', '/php', '/files', '/databases', '/backups', '/system', '/plugins', '/licence', '/audit'];

describe.skipIf(bed.skip)('ui: every page as admin', () => {
  let panel: TestPanel;
  let browser: Browser;

  beforeAll(async () => {
    panel = await startTestPanel({ plugins: 'all', config: { plugins: uiConfig() } as never });
    browser = await launchBrowser(bed.chromium);
  });

  afterAll(async () => {
    await browser?.close();
    await panel?.stop();
  });

  it('renders each page without script errors and with a heading', async () => {
    const { page, watch, close } = await openPage(browser);
    try {
      await logIn(page, panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
      for (const path of PAGES) {
        await visit(page, panel.url, path);
        await expect(page.locator('main h1').first().textContent()).resolves.toBeTruthy();
        expect(await page.locator('main').textContent()).not.toMatch(/\{"ok"|"error":/);
        await capture(page, `page${path === '/' ? '-dashboard' : path.replace(/\//g, '-')}`, WIDTHS);
      }
      expect(watch.errors).toEqual([]);
      expect(watch.dialogs).toEqual([]);
    } finally {
      await close();
    }
  });
});
