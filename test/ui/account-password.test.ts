// "Change password" on the accounts page: the admin sets an account's password through a dialog
// (a mismatch is refused before anything is sent); the account's own login changes its password
// giving the current one, and is sent back to the login page, where only the new password works.
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');

describe.skipIf(bed.skip)('ui: change an account password', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel();
      await createAccount(h, {
        username: 'pwui',
        domain: 'pwui.test',
        email: 'owner@pwui.test',
        password: 'Start-Pass-1',
      });
      return h;
    },
  );
  const apiLogin = (password: string) =>
    suite.panel.panel
      .request('POST', '/api/auth/login', { body: { username: 'pwui', password }, as: 'anon' })
      .then((r) => r.status);

  it('lets the admin set it through a dialog, refusing two different passwords', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      const dialog = page.locator('dialog[open]');
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, url, '/accounts');
      await page.locator('tbody tr', { hasText: 'pwui' }).getByRole('button', { name: 'Actions for pwui' }).click();
      await page.getByRole('menuitem', { name: 'Change password' }).click();
      await dialog.getByText('every API token of its login is deleted.').waitFor();
      expect(await dialog.getByLabel('Current password').count()).toBe(0);
      await dialog.getByLabel('New password', { exact: true }).fill('Admin-Set-Pass-1');
      await dialog.getByLabel('Repeat new password').fill('Something-Else-1');
      await dialog.getByRole('button', { name: 'Change password' }).click();
      await dialog.locator('.form-error', { hasText: 'The two passwords do not match.' }).waitFor();
      expect(await apiLogin('Start-Pass-1')).toBe(200);
      await dialog.getByLabel('Repeat new password').fill('Admin-Set-Pass-1');
      await dialog.getByRole('button', { name: 'Change password' }).click();
      await page.locator('.toast', { hasText: 'The password of pwui was changed.' }).waitFor();
      await dialog.waitFor({ state: 'detached' });
      expect(await apiLogin('Admin-Set-Pass-1')).toBe(200);
      expect(await apiLogin('Start-Pass-1')).toBe(401);
    }));

  it("lets the account's own login change it and sends it back to log in", () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      const dialog = page.locator('dialog[open]');
      await logIn(page, url, 'pwui', 'Admin-Set-Pass-1');
      await visit(page, url, '/accounts');
      const row = page.locator('tbody tr', { hasText: 'pwui' });
      expect(await row.getByRole('button', { name: 'Suspend' }).count()).toBe(0);
      await row.getByRole('button', { name: 'Change password' }).click();
      await dialog.getByText('every API token of yours is deleted.').waitFor();
      await dialog.getByLabel('Current password').fill('Not-The-Pass-1');
      await dialog.getByLabel('New password', { exact: true }).fill('Own-New-Pass-1');
      await dialog.getByLabel('Repeat new password').fill('Own-New-Pass-1');
      await dialog.getByRole('button', { name: 'Change password' }).click();
      await dialog.locator('.field-error', { hasText: 'Current password is incorrect.' }).waitFor();
      expect(await apiLogin('Own-New-Pass-1')).toBe(401);
      await dialog.getByLabel('Current password').fill('Admin-Set-Pass-1');
      await dialog.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('button', { name: 'Log in' }).waitFor();
      expect(await apiLogin('Own-New-Pass-1')).toBe(200);
      expect(await apiLogin('Admin-Set-Pass-1')).toBe(401);
      await logIn(page, url, 'pwui', 'Own-New-Pass-1');
    }));
});
