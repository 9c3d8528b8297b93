// Role-aware UI: a user login sees only its own account and no admin pages or actions; a
// reseller sees only the accounts it owns.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { launchBrowser } from '../bed/helpers/browser.js';
import { useServices } from '../bed/index.js';
import type { HostingPanel } from '../webserver/helpers.js';
import { logIn, openPage, visit, WIDTHS } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';

const bed = useServices('chromium');

async function navLabels(page: Page): Promise<string[]> {
  return page.locator('nav[aria-label="Main"] a.nav-link').allTextContents();
}

describe.skipIf(bed.skip)('ui: roles see their own scope', () => {
  let h: HostingPanel;
  let browser: Browser;

  beforeAll(async () => {
    h = await startUiHostingPanel();
    // account:1 belongs to the reseller; the `user` test login is bound to it.
    expect(await createAccount(h, { username: 'mineone', domain: 'mine-one.test', email: 'one@mine-one.test' }, 'reseller')).toBe(1);
    await createAccount(h, { username: 'othertwo', domain: 'other-two.test', email: 'two@other-two.test' }, 'admin');
    browser = await launchBrowser(bed.chromium);
  });

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('a user login sees only its account, and no server or panel administration', async () => {
    const { page, watch, close } = await openPage(browser);
    try {
      await logIn(page, h.panel.url, TEST_LOGINS.user, TEST_LOGINS.password);
      await expect(page.locator('.user-role').textContent()).resolves.toBe('Account user');
      const labels = await navLabels(page);
      expect(labels).toEqual(expect.arrayContaining(['Dashboard', 'Your account', 'Domains', 'Files', 'Licence']));
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
      await expect(page.locator('main .notice').textContent()).resolves.toContain('Your login does not give access to this page.');
      expect(watch.errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a reseller sees the accounts it owns, with their actions, and not the admin\u2019s', async () => {
    const { page, watch, close } = await openPage(browser);
    try {
      await logIn(page, h.panel.url, TEST_LOGINS.reseller, TEST_LOGINS.password);
      const labels = await navLabels(page);
      expect(labels).toEqual(expect.arrayContaining(['Accounts', 'Plugins', 'Audit log']));
      expect(labels).not.toContain('System');
      await visit(page, h.panel.url, '/accounts');
      const text = await page.locator('main').textContent();
      expect(text).toContain('mineone');
      expect(text).not.toContain('othertwo');
      await page.getByRole('button', { name: 'Create account' }).waitFor();
      await page.getByRole('button', { name: 'Suspend' }).waitFor();
      expect(watch.errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
