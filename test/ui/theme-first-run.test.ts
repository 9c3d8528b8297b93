// The UI follows the system's dark setting (prefers-color-scheme), and an admin's dashboard on a
// panel without accounts shows the first-run checklist: create an account, point DNS, get a
// certificate — gone once the first account exists.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');
const WIDTHS = [1366, 1280, 390] as const;

/** Relative luminance (0 black – 1 white) of a computed `rgb(…)` colour. */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? [])
    .slice(0, 3)
    .map((c) => Number(c) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const colours = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const s = getComputedStyle(el);
      return { bg: s.backgroundColor, fg: s.color };
    });

describe.skipIf(bed.skip)('ui: dark mode and the first-run checklist', () => {
  const suite = browserSuite(
    () => bed.chromium,
    () => startUiHostingPanel(),
  );
  const firstRun = (page: Page) => page.locator('.first-run-host');

  it('shows the first-run checklist on an empty dashboard, and not once an account exists', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, url, '/');
      const card = page.locator('section.first-run');
      await card.getByRole('heading', { name: 'Get started' }).waitFor();
      await expect(card.locator('.checklist-step h3').allTextContents()).resolves.toEqual([
        'Create a hosting account',
        'Point the domain’s DNS here',
        'Get a certificate',
      ]);
      await expect(card.getByRole('link', { name: 'Create account' }).getAttribute('href')).resolves.toBe('/accounts');
      await expect(card.getByRole('link', { name: 'SSL certificates' }).getAttribute('href')).resolves.toBe('/ssl');
      await capture(page, 'dashboard-first-run', WIDTHS);
      await card.getByRole('link', { name: 'Create account' }).click();
      await page.locator('main h1', { hasText: 'Accounts' }).waitFor();

      await createAccount(suite.panel, {
        username: 'firstone',
        domain: 'first-one.test',
        email: 'owner@first-one.test',
      });
      await visit(page, url, '/');
      await page.locator('.first-run-host[data-first-run="none"]').waitFor({ state: 'attached' });
      await expect(page.locator('section.first-run').count()).resolves.toBe(0);
      await expect(firstRun(page).isVisible()).resolves.toBe(false);
    }));

  it('follows the system dark setting', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, url, '/accounts');
      const light = { body: await colours(page, 'body'), card: await colours(page, '.card') };
      expect(luminance(light.body.bg)).toBeGreaterThan(0.8);

      await page.emulateMedia({ colorScheme: 'dark' });
      const dark = {
        body: await colours(page, 'body'),
        card: await colours(page, '.card'),
        top: await colours(page, '.topbar'),
        heading: await colours(page, 'main h1'),
      };
      expect(luminance(dark.body.bg)).toBeLessThan(0.05);
      expect(luminance(dark.card.bg)).toBeLessThan(0.05);
      expect(luminance(dark.top.bg)).toBeLessThan(0.05);
      expect(luminance(dark.heading.fg)).toBeGreaterThan(0.6); // light text on the dark page
      await expect(page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).resolves.toBe('dark');
      await capture(page, 'dark-accounts', WIDTHS);
      // A dialog and a form field are dark too.
      await page.getByRole('button', { name: 'Create account' }).click();
      const dlg = await colours(page, 'dialog[open]');
      const input = await colours(page, 'dialog[open] input[name=username]');
      expect(luminance(dlg.bg)).toBeLessThan(0.05);
      expect(luminance(input.bg)).toBeLessThan(0.05);
      expect(luminance(input.fg)).toBeGreaterThan(0.6);
      await capture(page, 'dark-dialog', WIDTHS);

      await page.keyboard.press('Escape');

      // The code editor (in its shadow root) takes the dark colours through the page's variables.
      const id = (await suite.panel.panel.request('GET', '/api/accounts')).body.data[0].id;
      await suite.panel.panel.request('POST', '/api/files/write', {
        body: { account_id: id, path: '/public_html/app.js', content: 'const answer = 42; // dark\n' },
      });
      await visit(page, url, `/files?account=${id}&path=/public_html`);
      await page.getByRole('button', { name: 'app.js', exact: true }).click();
      const editor = page.locator('dialog[open] .cm-editor');
      await editor.waitFor();
      const code = await editor.evaluate((el) => getComputedStyle(el).backgroundColor);
      const text = await page
        .locator('dialog[open] .cm-line')
        .first()
        .evaluate((el) => getComputedStyle(el).color);
      expect(luminance(code)).toBeLessThan(0.05);
      expect(luminance(text)).toBeGreaterThan(0.6);
      await capture(page, 'dark-code-editor', WIDTHS);

      await page.emulateMedia({ colorScheme: 'light' });
      expect(await colours(page, 'body')).toEqual(light.body);
      expect(luminance(await editor.evaluate((el) => getComputedStyle(el).backgroundColor))).toBeGreaterThan(0.8);
    }));
});
