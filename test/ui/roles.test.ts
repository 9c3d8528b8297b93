// Role-aware UI: a user login sees only its own account and no admin pages or actions; a
// reseller sees only the accounts it owns.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { definePlugin } from '../../sdk/index.js';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, WIDTHS, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { browserSuite } from './support/suite.js';
import { capture } from './support/shots.js';

const bed = useServices('chromium');

async function navLabels(page: Page): Promise<string[]> {
  return page.locator('nav[aria-label="Main"] a.nav-link').allTextContents();
}

describe.skipIf(bed.skip)('ui: roles see their own scope', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel({
        inline: [definePlugin({ manifest: { id: 'gated', version: '1.0.0', sdk: '^1.0.0', tier: 'pro' }, start() {} })],
      });
      // account:1 belongs to the reseller; the `user` test login is bound to it.
      expect(
        await createAccount(
          h,
          { username: 'mineone', domain: 'mine-one.test', email: 'one@mine-one.test' },
          'reseller',
        ),
      ).toBe(1);
      await createAccount(h, { username: 'othertwo', domain: 'other-two.test', email: 'two@other-two.test' }, 'admin');
      return h;
    },
  );

  it('a user login sees only its account, and no server or panel administration', () =>
    withUiPage(suite.browser, async (page) => {
      const h = suite.panel;
      await logIn(page, h.panel.url, TEST_LOGINS.user, TEST_LOGINS.password);
      await expect(page.locator('.user-role').textContent()).resolves.toBe('Account user');
      const labels = await navLabels(page);
      expect(labels).toEqual(expect.arrayContaining(['Dashboard', 'Your account', 'Domains', 'Files']));
      // The server's licence is the admin's and resellers' business, not an account's.
      expect(labels).not.toContain('Licence');
      expect(labels).not.toEqual(expect.arrayContaining(['System']));
      expect(labels.filter((l) => ['System', 'Plugins', 'Audit log'].includes(l))).toEqual([]);
      await visit(page, h.panel.url, '/');
      await expect(page.locator('main').textContent()).resolves.toContain('mine-one.test');
      await capture(page, 'role-user-dashboard', WIDTHS);

      await visit(page, h.panel.url, '/accounts');
      await expect(page.locator('main h1').textContent()).resolves.toBe('Your account');
      const text = await page.locator('main').textContent();
      expect(text).toContain('mineone');
      expect(text).not.toContain('othertwo');
      expect(await page.getByRole('button', { name: /Create account|Suspend|Delete/ }).count()).toBe(0);

      await visit(page, h.panel.url, '/domains');
      const domains = await page.locator('main table').textContent();
      expect(domains).toContain('mine-one.test');
      expect(domains).not.toContain('other-two.test');

      await visit(page, h.panel.url, '/files');
      await expect(page.locator('.picker .chip').textContent()).resolves.toBe('mineone');

      await visit(page, h.panel.url, '/system');
      await expect(page.locator('main .notice').textContent()).resolves.toContain(
        'Your login does not give access to this page.',
      );
    }));

  it('a reseller sees the accounts it owns, with their actions, and not the admin\u2019s', () =>
    withUiPage(suite.browser, async (page) => {
      const h = suite.panel;
      await logIn(page, h.panel.url, TEST_LOGINS.reseller, TEST_LOGINS.password);
      const labels = await navLabels(page);
      expect(labels).toEqual(expect.arrayContaining(['Accounts', 'Plugins', 'Audit log']));
      expect(labels).not.toContain('System');
      await visit(page, h.panel.url, '/accounts');
      const text = await page.locator('main').textContent();
      expect(text).toContain('mineone');
      expect(text).not.toContain('othertwo');
      await page.getByRole('button', { name: 'Create account' }).waitFor();
      await page.getByRole('button', { name: 'Actions for mineone' }).click();
      await page.getByRole('menuitem', { name: 'Suspend' }).waitFor();
    }));

  it('lets the admin allow a tier-gated plugin to a reseller, and the reseller switch it on', async () => {
    const h = suite.panel;
    await withUiPage(suite.browser, async (page) => {
      await logIn(page, h.panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, h.panel.url, '/plugins');
      const grants = page.locator('section.card', { hasText: 'Reseller access to tier-gated plugins' });
      await expect(grants.getByLabel('Reseller').locator('option').allTextContents()).resolves.toEqual([
        TEST_LOGINS.reseller,
      ]);
      await grants.locator('tr', { hasText: 'gated' }).getByRole('button', { name: 'Allow' }).click();
      await grants
        .locator('tr', { hasText: 'gated' })
        .locator('.badge', { hasText: /^allowed$/ })
        .waitFor();
    });
    await withUiPage(suite.browser, async (page) => {
      await logIn(page, h.panel.url, TEST_LOGINS.reseller, TEST_LOGINS.password);
      await visit(page, h.panel.url, '/plugins');
      const mine = page.locator('section.card', { hasText: 'Plugins for your accounts' });
      expect(await page.getByRole('button', { name: 'Disable' }).count()).toBe(0);
      await mine.locator('tr', { hasText: 'gated' }).getByRole('button', { name: 'Enable' }).click();
      await mine
        .locator('tr', { hasText: 'gated' })
        .locator('.badge', { hasText: /^enabled$/ })
        .waitFor();
      const grant = (await h.panel.request('GET', '/api/plugins/grants', { as: 'reseller' })).body.data.find(
        (g: any) => g.plugin_id === 'gated',
      );
      expect(grant).toMatchObject({ allowed: true, enabled: true });
    });
  });
});
