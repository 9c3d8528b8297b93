// The accounts and domains tables load 100 rows a page from the API (limit/offset) and search
// through it (q), instead of fetching and drawing the whole list.
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { insertAccounts, insertDomains } from '../lists/rows.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { startUiHostingPanel } from './support/hosting.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');

describe.skipIf(bed.skip)('ui: paged accounts and domains tables', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel();
      const knex = h.panel.kernel.knex;
      await insertAccounts(knex, 250, { resellerId: 2, everyNth: 2 });
      await insertDomains(
        knex,
        (await knex('accounts_accounts').select('id', 'username').orderBy('id')).slice(0, 60),
        4,
      );
      return h;
    },
  );

  it('pages the accounts table and searches it through the API', () =>
    withUiPage(suite.browser, async (page) => {
      const h = suite.panel;
      const asked: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes('/api/accounts')) asked.push(new URL(r.url()).search);
      });
      await logIn(page, h.panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, h.panel.url, '/accounts');
      const rows = page.locator('tbody tr');
      await page.getByText('1–100 of 250').waitFor();
      expect(await rows.count()).toBe(100);
      await expect(page.getByText('250 accounts').count()).resolves.toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByText('101–200 of 250').waitFor();
      await expect(rows.first().textContent()).resolves.toContain('bulk00100');
      await page.getByLabel('Search accounts').fill('BULK0012');
      await page.getByText('10 matches').waitFor();
      expect(await rows.count()).toBe(10);
      await page.getByLabel('Search accounts').fill('no-such-name');
      await page.getByText('No account matches this search.').waitFor();
      expect(asked).toContain('?limit=100&offset=100');
      expect(asked.some((q) => q === '')).toBe(false);
    }));

  it('pages and searches the domains table, per account too', () =>
    withUiPage(suite.browser, async (page) => {
      const h = suite.panel;
      await logIn(page, h.panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, h.panel.url, '/domains');
      await page.getByText('1–100 of 240').waitFor();
      expect(await page.locator('tbody tr').count()).toBe(100);
      await page.getByLabel('Search domains').fill('d3.bulk0000');
      await page.getByText('10 domains').waitFor();
      await visit(page, h.panel.url, '/domains?account=2');
      await page.getByText('4 domains').waitFor();
      expect(await page.locator('tbody tr').count()).toBe(4);
    }));
});
