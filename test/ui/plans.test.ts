// Plans from the UI: an admin creates a plan, sees it in the account create dialog's picker (read
// from the API), changes it, and deletes it after a confirm; a reseller sees the admin's plans
// without actions and manages only their own.
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { startUiHostingPanel } from './support/hosting.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');

describe.skipIf(bed.skip)('ui: plans', () => {
  const suite = browserSuite(
    () => bed.chromium,
    () => startUiHostingPanel(),
  );
  const plans = async () => (await suite.panel.panel.request('GET', '/api/plans', { as: 'admin' })).body.data as any[];

  it('creates, lists in the account picker, changes and deletes a plan (admin)', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, url, '/plans');
      await page.locator('main tr', { hasText: 'business' }).waitFor();
      await page.getByRole('button', { name: 'Create plan' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name').fill('silver');
      await dialog.getByLabel('Disk (MB)').fill('750');
      await dialog.getByLabel('Bandwidth (MB a month)').fill('7000');
      await dialog.getByLabel('Most domains').fill('4');
      await dialog.getByLabel('fpm').check();
      await dialog.getByRole('button', { name: 'Create plan' }).click();
      const row = page.locator('main tr', { hasText: 'silver' });
      await row.waitFor();
      expect((await plans()).find((p) => p.name === 'silver')).toMatchObject({
        disk_quota_mb: 750,
        bandwidth_quota_mb: 7000,
        max_domains: 4,
        max_databases: null,
        php_modes: ['fpm'],
      });

      await visit(page, url, '/accounts');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('dialog').getByLabel('Plan').waitFor();
      const options = await page.getByRole('dialog').getByLabel('Plan').locator('option').allTextContents();
      expect(options).toContain('silver (750 MB disk)');
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

      await visit(page, url, '/plans');
      await row.getByRole('button', { name: 'Actions for silver' }).click();
      await page.getByRole('menuitem', { name: 'Change' }).click();
      await dialog.getByLabel('Disk (MB)').fill('900');
      await dialog.getByLabel('Most domains').fill('');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await row.locator('td[data-label="Disk (MB)"]', { hasText: '900' }).waitFor();
      expect((await plans()).find((p) => p.name === 'silver')).toMatchObject({ disk_quota_mb: 900, max_domains: null });

      await row.getByRole('button', { name: 'Actions for silver' }).click();
      await page.getByRole('menuitem', { name: 'Delete' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete plan' }).click();
      await row.waitFor({ state: 'detached' });
      expect((await plans()).some((p) => p.name === 'silver')).toBe(false);
    }));

  it("shows a reseller the admin's plans without actions", () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      await logIn(page, url, TEST_LOGINS.reseller, TEST_LOGINS.password);
      await visit(page, url, '/plans');
      const free = page.locator('main tr', { hasText: 'free' });
      await free.waitFor();
      expect(await free.getByRole('button', { name: 'Actions for free' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Create plan' }).count()).toBe(1);
    }));
});
