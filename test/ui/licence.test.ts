// The licence page stays reachable, for every role, when the licence has expired.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { signLicence } from '../../core/licence/sign.js';
import { startTestPanel, TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, WIDTHS, withUiPage } from './support/browser.js';
import { uiConfig } from './support/client.js';
import { capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');
const DAY = 86_400;

describe.skipIf(bed.skip)('ui: licence page with an expired licence', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const panel = await startTestPanel({
        plugins: ['system', 'ui'],
        tier: 'none',
        config: { plugins: uiConfig() } as never,
      });
      const now = Math.floor(Date.now() / 1000);
      const expired = await signLicence({
        tier: 'pro',
        customer: 'Expired Hosting Ltd',
        nbf: now - 400 * DAY,
        exp: now - 30 * DAY,
        grace_days: 7,
      } as never);
      writeFileSync(path.join(panel.dataDir, 'license.key'), `${expired}\n`, { mode: 0o600 });
      let state = '';
      for (let i = 0; i < 100 && state !== 'expired'; i++) {
        state = (await panel.request('GET', '/api/license')).body.data.state;
        if (state !== 'expired') await new Promise((r) => setTimeout(r, 100));
      }
      expect(state).toBe('expired');
      return panel;
    },
  );

  it('shows the expiry in words to the admin, with the form to install a new licence', () =>
    withUiPage(suite.browser, async (page) => {
      await logIn(page, suite.panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await page.locator('.tile', { hasText: 'Licence' }).getByText('expired').waitFor();
      await page.getByRole('link', { name: 'Details' }).click();
      await page.waitForURL('**/licence');
      await page.locator('main .notice-error', { hasText: 'licence expired on' }).waitFor();
      await expect(page.locator('main .badge', { hasText: 'expired' }).count()).resolves.toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Install licence' }).waitFor();
      await capture(page, 'licence-expired', WIDTHS);
    }));

  it('is reachable for a reseller without the install form, and not for an account user (issue 23)', async () => {
    await withUiPage(suite.browser, async (page) => {
      await logIn(page, suite.panel.url, TEST_LOGINS.reseller, TEST_LOGINS.password);
      await visit(page, suite.panel.url, '/licence');
      await page.locator('main .badge', { hasText: 'expired' }).first().waitFor();
      expect(await page.getByRole('button', { name: 'Install licence' }).count()).toBe(0);
    });
    await withUiPage(suite.browser, async (page) => {
      await logIn(page, suite.panel.url, TEST_LOGINS.user, TEST_LOGINS.password);
      await visit(page, suite.panel.url, '/licence');
      await expect(page.locator('main .notice').textContent()).resolves.toContain(
        'Your login does not give access to this page.',
      );
    });
  });
});
