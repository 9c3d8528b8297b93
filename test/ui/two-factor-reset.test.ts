// The admin resets a reseller's two-factor login from the resellers page (a lost phone): after the
// confirmation the reseller logs in with its password alone; a second reset says nothing changed.
import { describe, expect, it } from 'vitest';
import { startTestPanel, TEST_LOGINS } from '../../sdk/testing/index.js';
import { enrol, newReseller } from '../auth/totp-helpers.js';
import { useServices } from '../bed/index.js';
import { openAs, withUiPage } from './support/browser.js';
import { uiConfig } from './support/client.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');

describe.skipIf(bed.skip)('ui: reset a two-factor login', () => {
  const suite = browserSuite(
    () => bed.chromium,
    () => startTestPanel({ plugins: ['system', 'ui'], config: { plugins: uiConfig() } as never }),
  );
  /** The status of a password login of `lostphone`: 200, or 401 asking for a code. */
  const passwordLogin = async () =>
    (
      await suite.panel.request('POST', '/api/auth/login', {
        as: 'anon',
        body: { username: 'lostphone', password: TEST_LOGINS.password },
      })
    ).status;

  it('resets it after a confirmation, so the password alone logs in again', async () => {
    const { token } = await newReseller(suite.panel, 'lostphone');
    await enrol(suite.panel, token);
    expect(await passwordLogin()).toBe(401);
    await withUiPage(suite.browser, async (page) => {
      await openAs(page, suite.panel.url, 'admin', '/resellers');
      const reset = async () => {
        await page.getByRole('button', { name: 'Actions for lostphone' }).click();
        await page.getByRole('menuitem', { name: 'Reset two-factor' }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByText('logs in with its password alone').waitFor();
        await dialog.getByRole('button', { name: 'Reset two-factor' }).click();
      };
      await reset();
      await page.locator('.toast', { hasText: 'The two-factor login of lostphone was reset.' }).waitFor();
      expect(await passwordLogin()).toBe(200);
      await reset();
      await page.locator('.toast', { hasText: 'lostphone had no two-factor login; nothing changed.' }).waitFor();
    });
  });

  it('is not offered on a page a reseller can open', () =>
    withUiPage(suite.browser, async (page) => {
      await openAs(page, suite.panel.url, 'reseller', '/resellers');
      await page.getByText('Your login does not give access to this page.').waitFor();
      expect(await page.getByRole('button', { name: 'Reset two-factor' }).count()).toBe(0);
    }));
});
