// The audit log reads as sentences — "panel-admin suspended account 1" — with the request behind
// a "Details" disclosure; a refused request reads "tried to …" and is marked refused or failed.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');
const SHOT_WIDTHS = [1366, 1280, 390] as const;

/** The log is written in batches: look again until the entry is there. */
async function sentence(page: Page, url: string, text: string) {
  const row = page.locator('main tr', { has: page.locator('.audit-sentence', { hasText: text }) }).first();
  for (let i = 0; i < 40 && !(await row.count()); i++) {
    await new Promise((r) => setTimeout(r, 250));
    await visit(page, url, '/audit');
  }
  return row;
}

describe.skipIf(bed.skip)('ui: the audit log in words', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel();
      expect(
        await createAccount(h, { username: 'auditone', domain: 'audit-one.test', email: 'one@audit-one.test' }),
      ).toBe(1);
      expect((await h.panel.request('POST', '/api/accounts/1/suspend', { as: 'admin' })).status).toBe(200);
      expect((await h.panel.request('DELETE', '/api/resellers/999', { as: 'admin' })).status).toBe(404);
      return h;
    },
  );

  it('says who did what, with the request behind a disclosure', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, url, '/audit');
      const suspended = await sentence(page, url, 'suspended account 1');
      await expect(suspended.locator('.audit-sentence').textContent()).resolves.toBe(
        `${TEST_LOGINS.admin} suspended account 1`,
      );
      await expect(suspended.locator('.badge').textContent()).resolves.toBe('done');
      const created = await sentence(page, url, 'created account 1');
      await expect(created.locator('.audit-sentence').textContent()).resolves.toBe(
        `${TEST_LOGINS.admin} created account 1`,
      );

      const refused = await sentence(page, url, 'reseller 999');
      await expect(refused.locator('.audit-sentence').textContent()).resolves.toBe(
        `${TEST_LOGINS.admin} tried to delete reseller 999`,
      );
      await expect(refused.locator('.badge').textContent()).resolves.toBe('failed');

      const login = await sentence(page, url, `${TEST_LOGINS.admin} logged in`);
      await expect(login.locator('.badge').textContent()).resolves.toBe('done');

      const request = suspended.locator('.audit-details dd').first();
      await expect(request.isVisible()).resolves.toBe(false);
      await suspended.getByText('Details').click();
      await expect(request.textContent()).resolves.toBe('POST /api/accounts/1/suspend');
      await capture(page, 'audit-sentences', SHOT_WIDTHS);
    }));
});
