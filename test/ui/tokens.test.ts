// API tokens from the UI: created with scopes, an expiry and an IP allow-list and shown once,
// listed, revoked. A refused field's message sits under that field (the API names it), and a
// refused form creates nothing.
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');
const SHOT_WIDTHS = [1366, 1280, 390] as const;

describe.skipIf(bed.skip)('ui: API tokens', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel();
      await createAccount(
        h,
        { username: 'tokenone', domain: 'token-one.test', email: 'one@token-one.test' },
        'reseller',
      );
      return h;
    },
  );
  const tokens = async () => (await suite.panel.panel.request('GET', '/api/tokens', { as: 'user' })).body.data as any[];

  it('creates a scoped token shown once, shows refused fields next to them, and revokes it', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      await logIn(page, url, TEST_LOGINS.user, TEST_LOGINS.password);
      await visit(page, url, '/tokens');
      await page.getByText('You have no API tokens.').waitFor();
      await page.getByRole('button', { name: 'Create token' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name').fill('deploy script');
      await dialog.getByLabel('Access to accounts').selectOption({ label: 'Read' });
      const ips = dialog.getByLabel('Allowed from');
      await ips.fill('127.0.0.1\n10.0.0');
      await dialog.getByRole('button', { name: 'Create token' }).click();
      const ipError = dialog.locator('.field', { has: page.getByLabel('Allowed from') }).locator('.field-error');
      await expect(ipError.textContent()).resolves.toBe("'10.0.0' is not an IP address or CIDR range.");
      await expect(ips.getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(dialog.locator('.form-error').isHidden()).resolves.toBe(true);
      await capture(page, 'tokens-field-error', SHOT_WIDTHS);
      expect(await tokens()).toEqual([]);

      await ips.fill('127.0.0.1');
      expect(await ipError.count()).toBe(0);
      const expires = dialog.getByLabel('Expires on');
      await expires.fill('2020-01-01');
      await dialog.getByRole('button', { name: 'Create token' }).click();
      await expect(
        dialog
          .locator('.field', { has: page.getByLabel('Expires on') })
          .locator('.field-error')
          .textContent(),
      ).resolves.toBe('Expires on must be a future ISO 8601 date-time, at most 5 years ahead.');
      expect(await tokens()).toEqual([]);

      await expires.fill(`${new Date().getUTCFullYear() + 1}-06-30`);
      await dialog.getByRole('button', { name: 'Create token' }).click();
      const secret = await dialog.getByTestId('new-token').textContent();
      expect(secret).toMatch(/^vpt_/);
      const [made] = await tokens();
      expect(made).toMatchObject({ name: 'deploy script', scopes: ['accounts:read'], allowed_ips: ['127.0.0.1'] });
      expect(made.expires_at).toMatch(/-06-30/);
      const me = await fetch(`${url}/api/auth/me`, { headers: { Authorization: `Bearer ${secret}` } });
      expect(me.status).toBe(200);
      await dialog.getByRole('button', { name: 'I have stored it' }).click();

      const row = page.locator('main tr', { hasText: 'deploy script' });
      await row.locator('.badge', { hasText: 'accounts: read' }).waitFor();
      await expect(row.textContent()).resolves.toContain('127.0.0.1');
      expect(await page.getByTestId('new-token').count()).toBe(0);
      await capture(page, 'tokens-list', SHOT_WIDTHS);

      await row.getByRole('button', { name: 'Revoke' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
      await page.getByText('You have no API tokens.').waitFor();
      expect(await tokens()).toEqual([]);
      expect((await fetch(`${url}/api/auth/me`, { headers: { Authorization: `Bearer ${secret}` } })).status).toBe(401);
    }));
});
