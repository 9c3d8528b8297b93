// Account and domain actions through the UI, each destructive one behind a confirmation:
// suspend, unsuspend, cancel a delete, delete; add and delete an addon domain; reload the web server.
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');

describe.skipIf(bed.skip)('ui: account and domain actions', () => {
  let id = 0;
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel();
      id = await createAccount(h, { username: 'actions', domain: 'actions-ui.test', email: 'owner@actions-ui.test' });
      return h;
    },
  );
  const status = async () => (await suite.panel.panel.request('GET', `/api/accounts/${id}`)).body;

  it('suspends and unsuspends after confirming, and deletes only when confirmed', () =>
    withUiPage(suite.browser, async (page) => {
      const h = suite.panel;
      const row = () => page.locator('tbody tr', { hasText: 'actions' });
      // Row actions sit in the row's Actions menu.
      const action = async (name: string) => {
        await row().getByRole('button', { name: 'Actions for actions' }).click();
        await page.getByRole('menu', { name: 'Actions for actions' }).getByRole('menuitem', { name }).click();
      };
      const dialog = page.locator('dialog[open]');
      await logIn(page, h.panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await page.locator('section.card', { hasText: 'Web server' }).getByRole('button', { name: 'Reload' }).click();
      await page.locator('.toast', { hasText: 'The web server reloaded its configuration.' }).waitFor();
      await visit(page, h.panel.url, '/accounts');
      await action('Suspend');
      await expect(dialog.locator('.confirm-message').textContent()).resolves.toContain('Suspend actions?');
      await dialog.getByRole('button', { name: 'Suspend' }).click();
      await row().locator('.badge', { hasText: 'suspended' }).waitFor();
      expect((await status()).data.status).toBe('suspended');

      await action('Unsuspend');
      await row().locator('.badge', { hasText: 'active' }).waitFor();
      expect((await status()).data.status).toBe('active');

      await visit(page, h.panel.url, `/domains?account=${id}`);
      await page.getByRole('button', { name: 'Add domain' }).click();
      await dialog.getByLabel('Domain name').fill('shop-actions.test');
      await expect(dialog.getByLabel('Document root').inputValue()).resolves.toMatch(/\/actions\/shop-actions\.test$/);
      await dialog.getByRole('button', { name: 'Add domain' }).click();
      const domainRow = page.locator('tbody tr', { hasText: 'shop-actions.test' });
      await domainRow.locator('.badge', { hasText: 'addon' }).waitFor();
      await domainRow.getByRole('button', { name: 'Delete' }).click();
      await dialog.getByRole('button', { name: 'Delete domain' }).click();
      await domainRow.waitFor({ state: 'detached' });
      const left = (await h.panel.request('GET', `/api/domains/account/${id}`)).body.data.map(
        (d: any) => d.domain_name,
      );
      expect(left).toEqual(['actions-ui.test']);

      await visit(page, h.panel.url, '/accounts');
      await action('Delete');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect((await status()).ok).toBe(true);
      await action('Delete');
      await dialog.getByRole('button', { name: 'Delete account' }).click();
      await page.getByText('No hosting accounts yet.').waitFor();
      expect((await h.panel.request('GET', `/api/accounts/${id}`)).status).toBe(404);
    }));
});
