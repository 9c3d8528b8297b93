// Two-factor login in the UI: an admin enrols on the Security page (QR code, secret, first code,
// recovery codes shown once), then logs in with the password and a code from the app.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startTestPanel, TEST_LOGINS } from '../../sdk/testing/index.js';
import { clearOfStepEdge, totpAt } from '../auth/totp-helpers.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { uiConfig } from './support/client.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');

describe.skipIf(bed.skip)('ui: two-factor login', () => {
  const suite = browserSuite(
    () => bed.chromium,
    () => startTestPanel({ plugins: ['system', 'ui'], config: { plugins: uiConfig() } as never }),
  );
  /** The login form filled and sent, without waiting for the dashboard. */
  const submitLogin = async (page: Page, username: string) => {
    await page.goto(`${suite.panel.url}/login`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(TEST_LOGINS.password);
    await page.getByRole('button', { name: 'Log in' }).click();
  };
  let secret = '';
  let step = 0;

  it('enrols on the Security page: QR code, secret, a first code, recovery codes once', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.url;
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, url, '/security');
      await page.getByLabel('Your password').fill(TEST_LOGINS.password);
      await page.getByRole('button', { name: 'Set up two-factor login' }).click();
      secret = (await page.getByTestId('totp-secret').textContent())!.trim();
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      await page.waitForFunction(
        () => (document.querySelector('[data-testid=totp-qr]') as HTMLImageElement | null)?.naturalWidth! > 0,
      );
      await page.getByLabel('First code from the app').fill('000000');
      await page.getByRole('button', { name: 'Turn on' }).click();
      await page
        .locator('.field-error', { hasText: 'First code from the app is incorrect (or already used)' })
        .waitFor();
      step = await clearOfStepEdge();
      await page.getByLabel('First code from the app').fill(totpAt(secret, step));
      await page.getByRole('button', { name: 'Turn on' }).click();
      await page.getByTestId('recovery-codes').waitFor();
      expect(await page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
      await page.getByRole('button', { name: 'I have stored them' }).click();
      await page.locator('main .badge', { hasText: 'on' }).first().waitFor();
      // An admin can now require it of admins and resellers.
      await page.getByLabel('Require for resellers').check();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.locator('.toast', { hasText: 'Saved.' }).waitFor();
      expect((await suite.panel.request('GET', '/api/auth/2fa/policy')).body.data).toEqual({
        require_for: ['reseller'],
      });
    }));

  it('logs in with the password, then a code; a wrong code is refused in words', () =>
    withUiPage(suite.browser, async (page) => {
      await submitLogin(page, TEST_LOGINS.admin);
      await page.getByRole('heading', { name: 'Two-factor login' }).waitFor();
      await page.getByLabel('Code').fill('000000');
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.locator('.form-error', { hasText: 'Invalid username, password or code' }).waitFor();
      await page.getByLabel('Code').fill(totpAt(secret, step + 1));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.locator('.user-name', { hasText: TEST_LOGINS.admin }).waitFor({ state: 'attached' });
    }));

  it('sends a reseller that must enrol to the Security page', () =>
    withUiPage(suite.browser, async (page) => {
      await submitLogin(page, TEST_LOGINS.reseller);
      await page.waitForURL('**/security?enrol=1');
      await page.locator('main .notice-error', { hasText: 'Your role requires two-factor login' }).waitFor();
    }));
});
