// Hostile class 16: values from the API carrying markup are shown as text, never run. Real
// sources: a file name, a folder name, an email, a failed login's username in the audit log, a
// plugin's failure reason, a contributed navigation label.
import { describe, expect, it } from 'vitest';
import { definePlugin, uiNavigation } from '../../sdk/index.js';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, settle, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');

const FILE = '<img src=x onerror=alert(1)>';
const FOLDER = '"><svg onload=alert(2)>';
const EMAIL = 'x&lt&gt&amp@example.com';
const LOGIN = '<img src=x onerror=alert(3)>';
const FAILURE = '<img src=x onerror=alert(4)>';
const LABEL = '<b onmouseover=alert(5)>Nav</b>';

const inline = [
  definePlugin({
    manifest: { id: 'xss-broken', version: '1.0.0', sdk: '^1.0.0' },
    start() {
      throw new Error(FAILURE);
    },
  }),
  definePlugin({
    manifest: { id: 'xss-nav', version: '1.0.0', sdk: '^1.0.0', provides: ['ui-navigation'] },
    start(ctx) {
      ctx.extensions.provide(uiNavigation, 'label', { label: LABEL, path: '/hostile-label', section: 'panel' });
    },
  }),
];

describe.skipIf(bed.skip)('ui: hostile values render as text (class 16)', () => {
  let accountId = 0;
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel({ inline });
      accountId = await createAccount(h, { username: 'xssowner', domain: 'xss-owner.test', email: EMAIL });
      expect(
        (
          await h.panel.request('POST', '/api/files/mkdir', {
            body: { account_id: accountId, path: `/public_html/${FOLDER}` },
          })
        ).status,
      ).toBe(200);
      for (const p of [`/public_html/${FILE}`, `/public_html/${FOLDER}/inside.txt`]) {
        const res = await h.panel.request('POST', '/api/files/write', {
          body: { account_id: accountId, path: p, content: FILE },
        });
        expect(res.status).toBe(200);
      }
      const login = await h.panel.request('POST', '/api/auth/login', {
        as: 'anon',
        body: { username: LOGIN, password: 'whatever-123' },
      });
      expect(login.status).toBe(401);
      return h;
    },
  );

  it('shows every hostile value literally and runs none of them', () =>
    withUiPage(suite.browser, async (page) => {
      const h = suite.panel;
      const noMarkup = async () => {
        expect(await page.locator('#app img, #app svg[onload], #app b[onmouseover], #app [onerror]').count()).toBe(0);
      };
      await logIn(page, h.panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await expect(page.locator('nav[aria-label="Main"] a', { hasText: LABEL }).textContent()).resolves.toBe(LABEL);

      await visit(page, h.panel.url, '/accounts');
      await expect(page.locator('td', { hasText: EMAIL }).first().textContent()).resolves.toContain(EMAIL);
      await noMarkup();

      await visit(page, h.panel.url, `/files?account=${accountId}&path=/public_html`);
      await expect(page.getByRole('button', { name: FILE }).textContent()).resolves.toBe(FILE);
      await expect(page.getByRole('button', { name: FOLDER }).textContent()).resolves.toBe(FOLDER);
      await page.getByRole('button', { name: FILE }).click();
      await expect(page.locator('dialog[open] h2').textContent()).resolves.toBe(`Edit /public_html/${FILE}`);
      await page.locator('dialog[open] .cm-line').first().waitFor(); // the code editor, one element per line
      await expect(page.locator('dialog[open] .cm-line').allTextContents()).resolves.toEqual([FILE]);
      await page.locator('dialog[open]').getByRole('button', { name: 'Close', exact: true }).first().click();
      await page.getByRole('button', { name: FOLDER }).click();
      await page.getByRole('button', { name: 'inside.txt' }).waitFor();
      await expect(page.locator('.crumbs [aria-current]').textContent()).resolves.toBe(FOLDER);
      await noMarkup();

      await visit(page, h.panel.url, '/audit');
      await expect(
        page
          .locator('.audit-details dd', { hasText: `login:${LOGIN}` })
          .first()
          .textContent(),
      ).resolves.toBe(`login:${LOGIN}`);
      await expect(page.locator('.audit-sentence', { hasText: LOGIN }).first().textContent()).resolves.toBe(
        `Someone tried to log in as ${LOGIN}`,
      );
      await noMarkup();

      await visit(page, h.panel.url, '/plugins');
      await expect(page.locator('td', { hasText: FAILURE }).first().textContent()).resolves.toBe(
        `failed to start: ${FAILURE}`,
      );
      await noMarkup();
      await settle(page);
    }));
});
