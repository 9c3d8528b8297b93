// Your own login: who you are, and changing your password — a wrong current password is named
// under its field, a match is checked before sending, and the new password works at once.
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');
const SHOT_WIDTHS = [1366, 1280, 390] as const;

describe.skipIf(bed.skip)('ui: your login', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel();
      await createAccount(h, { username: 'selfone', domain: 'self-one.test', email: 'one@self-one.test' }, 'reseller');
      return h;
    },
  );
  const login = async (password: string) =>
    (
      await fetch(`${suite.panel.panel.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: TEST_LOGINS.user, password }),
      })
    ).status;

  it('shows who is signed in and changes the password', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      await logIn(page, url, TEST_LOGINS.user, TEST_LOGINS.password);
      await visit(page, url, '/profile');
      await expect(page.locator('main .facts').textContent()).resolves.toContain(`Username${TEST_LOGINS.user}`);
      await page.getByLabel('Current password').fill('Not-The-Pass-1');
      await page.getByLabel('New password', { exact: true }).fill('Self-New-Pass-9');
      await page.getByLabel('Repeat new password').fill('Self-New-Pass-9');
      await page.getByRole('button', { name: 'Change password' }).click();
      await expect(
        page
          .locator('.field', { has: page.getByLabel('Current password') })
          .locator('.field-error')
          .textContent(),
      ).resolves.toBe('Current password is incorrect.');
      await capture(page, 'profile-wrong-password', SHOT_WIDTHS);
      expect(await login('Self-New-Pass-9')).toBe(401);

      await page.getByLabel('Current password').fill(TEST_LOGINS.password);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.locator('.toast', { hasText: 'Your password was changed.' }).waitFor();
      expect(await login('Self-New-Pass-9')).toBe(200);
      expect(await login(TEST_LOGINS.password)).toBe(401);
      // This browser keeps its (new) session.
      await visit(page, url, '/profile');
      await expect(page.locator('main h1').textContent()).resolves.toBe('Your login');
    }));
});
