// "Open as this account": an admin opens an account's panel from its row menu, every page then
// says whose panel it is and who opened it, the way back returns to the admin's own session, and
// the audit log reads "panel-admin opened opener's panel".
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');

describe.skipIf(bed.skip)('ui: open as this account', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel();
      await createAccount(h, { username: 'opener', domain: 'opener.test', email: 'owner@opener.test' });
      return h;
    },
  );

  it('opens the account, marks every page, and returns to the admin', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, url, '/accounts');
      await page.locator('tbody tr', { hasText: 'opener' }).getByRole('button', { name: 'Actions for opener' }).click();
      await page.getByRole('menuitem', { name: 'Open as this account' }).click();
      const banner = page.locator('.viewing-as');
      await banner.getByText(`You are viewing as opener — opened by ${TEST_LOGINS.admin}.`).waitFor();
      expect(await page.locator('.user-name').textContent()).toBe('opener');
      await visit(page, url, '/accounts');
      await banner.waitFor();
      expect(await page.getByRole('button', { name: 'Actions for opener' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Change password' }).count()).toBe(0);
      await capture(page, 'open-as-banner', [1366, 1280, 390]);
      // Password, two-factor login and API tokens are not offered: the API would refuse them.
      await visit(page, url, '/profile');
      await page.locator('main .notice', { hasText: 'the password can be changed only by opener itself' }).waitFor();
      expect(await page.getByRole('button', { name: 'Change password' }).count()).toBe(0);
      await visit(page, url, '/tokens');
      await page.locator('main .notice', { hasText: 'API tokens can be changed only by opener itself' }).waitFor();
      expect(await page.getByRole('button', { name: 'Create token' }).count()).toBe(0);
      await visit(page, url, '/security');
      await page
        .locator('main .notice', { hasText: 'two-factor login can be changed only by opener itself' })
        .waitFor();
      await banner.getByRole('button', { name: `Return to ${TEST_LOGINS.admin}` }).click();
      await page.locator('.user-name', { hasText: TEST_LOGINS.admin }).waitFor();
      expect(await banner.count()).toBe(0);
      await page.getByRole('button', { name: 'Actions for opener' }).waitFor();
      let said = 0;
      for (let i = 0; i < 40 && !said; i++) {
        await visit(page, url, '/audit');
        said = await page.locator('.audit-sentence', { hasText: "opened opener's panel" }).count();
      }
      expect(said).toBeGreaterThan(0);
    }));
});
