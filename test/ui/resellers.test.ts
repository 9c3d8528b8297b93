// Resellers from the UI (admin): created with caps, changed, its plugin access one click away,
// deleted; a refused cap shows its words under the cap's field.
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');
const SHOT_WIDTHS = [1366, 1280, 390] as const;

describe.skipIf(bed.skip)('ui: resellers', () => {
  const suite = browserSuite(
    () => bed.chromium,
    () => startUiHostingPanel(),
  );
  const resellers = async () =>
    (await suite.panel.panel.request('GET', '/api/resellers', { as: 'admin' })).body.data as any[];

  it('creates a reseller with caps, changes them, links to its plugin access and deletes it', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, url, '/resellers');
      await page.getByRole('button', { name: 'Create reseller' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Username').fill('hostco');
      await dialog.getByLabel('Contact email').fill('ops@hostco.test');
      await dialog.getByLabel('Most accounts').fill('25');
      await dialog.getByLabel('Password').fill('Hostco-Pass-123');
      await dialog.getByRole('button', { name: 'Create reseller' }).click();
      const row = page.locator('main tr', { hasText: 'hostco' });
      await row.waitFor();
      expect((await resellers()).find((r) => r.username === 'hostco')).toMatchObject({
        email: 'ops@hostco.test',
        max_accounts: 25,
        max_domains: null,
      });
      await expect(row.locator('td[data-label="Account cap"]').textContent()).resolves.toBe('25');
      await expect(row.locator('td[data-label="Domain cap"]').textContent()).resolves.toBe('unlimited');
      await capture(page, 'resellers-list', SHOT_WIDTHS);

      await row.getByRole('button', { name: 'Actions for hostco' }).click();
      await page.getByRole('menuitem', { name: 'Change' }).click();
      await dialog.getByLabel('Most domains').fill('2000000');
      await dialog.getByRole('button', { name: 'Save' }).click();
      const capError = dialog.locator('.field', { has: page.getByLabel('Most domains') }).locator('.field-error');
      await expect(capError.textContent()).resolves.toBe(
        'Most domains must be a whole number from 0 to 1000000, or null for no cap.',
      );
      await capture(page, 'resellers-cap-error', SHOT_WIDTHS);
      await dialog.getByLabel('Most domains').fill('40');
      await dialog.getByRole('checkbox').check();
      await dialog.getByRole('button', { name: 'Save' }).click();
      await row.locator('.badge', { hasText: 'disabled' }).waitFor();
      expect((await resellers()).find((r) => r.username === 'hostco')).toMatchObject({
        max_domains: 40,
        disabled: true,
      });

      await row.getByRole('button', { name: 'Actions for hostco' }).click();
      await page.getByRole('menuitem', { name: 'Plugin access' }).click();
      await page.locator('main h1', { hasText: 'Plugins' }).waitFor();
      const id = (await resellers()).find((r) => r.username === 'hostco').id;
      await page.waitForFunction(
        (want) => (document.querySelector('select[aria-label="Reseller"]') as HTMLSelectElement | null)?.value === want,
        String(id),
      );

      await visit(page, url, '/resellers');
      await row.getByRole('button', { name: 'Actions for hostco' }).click();
      await page.getByRole('menuitem', { name: 'Delete' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete reseller' }).click();
      await row.waitFor({ state: 'detached' });
      expect((await resellers()).some((r) => r.username === 'hostco')).toBe(false);
    }));

  it('offers only the caps of active plugins: without domains, a reseller is created with an account cap alone', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      const admin = { as: 'admin' as const };
      expect((await suite.panel.panel.request('POST', '/api/plugins/domains/disable', admin)).status).toBe(200);
      try {
        await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
        await visit(page, url, '/resellers');
        await page.getByRole('button', { name: 'Create reseller' }).click();
        const dialog = page.getByRole('dialog');
        expect(await dialog.getByLabel('Most domains').count()).toBe(0);
        await dialog.getByLabel('Username').fill('nodomco');
        await dialog.getByLabel('Most accounts').fill('7');
        await dialog.getByLabel('Password').fill('Nodomco-Pass-123');
        await dialog.getByRole('button', { name: 'Create reseller' }).click();
        await page.locator('main tr', { hasText: 'nodomco' }).waitFor();
        expect((await resellers()).find((r) => r.username === 'nodomco')).toMatchObject({ max_accounts: 7 });
        expect(await page.locator('main th', { hasText: 'Domain cap' }).count()).toBe(0);
      } finally {
        await suite.panel.panel.request('POST', '/api/plugins/domains/enable', admin);
      }
    }));
});
