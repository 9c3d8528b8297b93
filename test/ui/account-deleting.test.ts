// An account whose delete failed past its point of no return (status 'deleting') in the UI: its
// own badge, no suspend/unsuspend, and "Finish deleting" behind the delete confirmation repeats
// the DELETE. The failure is injected with the accounts plugin's test-mode `fail_delete_at`.
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');

describe.skipIf(bed.skip)('ui: an account left deleting by a failed delete', () => {
  let halfGone = 0;
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel({ plugins: { accounts: { fail_delete_at: 'home' } } });
      await createAccount(h, { username: 'keepme', domain: 'keepme-ui.test', email: 'owner@keepme-ui.test' });
      halfGone = await createAccount(h, {
        username: 'halfgone',
        domain: 'halfgone-ui.test',
        email: 'owner@halfgone-ui.test',
      });
      const failed = await h.panel.request('DELETE', `/api/accounts/${halfGone}`);
      if (failed.status !== 500) throw new Error(`the injected delete failure did not happen: ${failed.status}`);
      return h;
    },
  );
  const account = async () => suite.panel.panel.request('GET', `/api/accounts/${halfGone}`);

  it('shows the deleting badge, offers no suspend, and finishes the delete once confirmed', () =>
    withUiPage(suite.browser, async (page) => {
      const h = suite.panel;
      expect((await account()).body.data.status).toBe('deleting');
      const row = (name: string) => page.locator('tbody tr', { hasText: name });
      const dialog = page.locator('dialog[open]');
      await logIn(page, h.panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, h.panel.url, '/accounts');

      await expect(row('halfgone').locator('.badge').textContent()).resolves.toBe('deleting — failed, retry');
      await expect(row('halfgone').getByRole('button').allTextContents()).resolves.toEqual(['Finish deleting']);
      await expect(row('keepme').locator('.badge').textContent()).resolves.toBe('active');
      await expect(row('keepme').getByRole('menuitem', { includeHidden: true }).allTextContents()).resolves.toEqual([
        'Edit',
        'Open as this account',
        'Change password',
        'Suspend',
        'Delete',
      ]);

      await row('halfgone').getByRole('button', { name: 'Finish deleting' }).click();
      await expect(dialog.locator('.confirm-message').textContent()).resolves.toContain(
        'An earlier delete of halfgone stopped part-way.',
      );
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect((await account()).body.data.status).toBe('deleting');

      await row('halfgone').getByRole('button', { name: 'Finish deleting' }).click();
      await dialog.getByRole('button', { name: 'Finish deleting' }).click();
      await page.locator('.toast', { hasText: 'halfgone was deleted.' }).waitFor();
      await row('halfgone').waitFor({ state: 'detached' });
      expect((await account()).status).toBe(404);
      await row('keepme').locator('.badge', { hasText: 'active' }).waitFor();
    }));
});
