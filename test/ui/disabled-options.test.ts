// Options that cannot work are not offered: "Create account" at the licence limit or at a
// reseller's cap is disabled with what to do, and a database engine the panel cannot reach is
// shown disabled with the reason.
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium', 'mariadb');
const SHOT_WIDTHS = [1366, 1280, 390] as const;

describe.skipIf(bed.skip)('ui: options that cannot work are not offered', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      // No licence: the community limit of 2 accounts applies. PostgreSQL points at a closed port.
      const h = await startUiHostingPanel({
        tier: 'none',
        config: { max_accounts_free: 2 },
        extra: ['databases', 'mysql', 'postgresql'],
        plugins: {
          mysql: { socket: bed.mariadb.socket, user: bed.mariadb.rootUser },
          postgresql: { host: '127.0.0.1', port: 1, user: 'postgres' },
        },
      });
      await createAccount(h, { username: 'limone', domain: 'lim-one.test', email: 'one@lim-one.test' }, 'reseller');
      return h;
    },
  );

  it('disables "Create account" at a reseller\u2019s cap, saying what to do', () =>
    withUiPage(suite.browser, async (page) => {
      const h = suite.panel;
      const reseller = (await h.panel.request('GET', '/api/resellers', { as: 'admin' })).body.data.find(
        (r: any) => r.username === TEST_LOGINS.reseller,
      );
      expect(
        (await h.panel.request('PATCH', `/api/resellers/${reseller.id}`, { as: 'admin', body: { max_accounts: 1 } }))
          .status,
      ).toBe(200);
      await logIn(page, h.panel.url, TEST_LOGINS.reseller, TEST_LOGINS.password);
      await visit(page, h.panel.url, '/accounts');
      const create = page.getByRole('button', { name: 'Create account' });
      await page.waitForFunction(
        () => (document.querySelector('main .page-header .btn-primary') as HTMLButtonElement | null)?.disabled === true,
      );
      await expect(page.locator('#accounts-blocked').textContent()).resolves.toContain(
        "You have reached your cap of 1 account. Ask the server's administrator",
      );
      await expect(create.getAttribute('aria-describedby')).resolves.toBe('accounts-blocked');
      await capture(page, 'accounts-reseller-cap', SHOT_WIDTHS);
    }));

  it('disables "Create account" at the licence limit for the admin', () =>
    withUiPage(suite.browser, async (page) => {
      const h = suite.panel;
      await createAccount(h, { username: 'limtwo', domain: 'lim-two.test', email: 'two@lim-two.test' });
      await logIn(page, h.panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, h.panel.url, '/accounts');
      await page.waitForFunction(
        () => (document.querySelector('main .page-header .btn-primary') as HTMLButtonElement | null)?.disabled === true,
      );
      await expect(page.locator('#accounts-blocked').textContent()).resolves.toContain(
        'The licence allows 2 accounts and all are in use. Install a licence with more accounts on the Licence page',
      );
    }));

  it('shows an unreachable database engine disabled, with the reason', () =>
    withUiPage(suite.browser, async (page) => {
      const h = suite.panel;
      await logIn(page, h.panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, h.panel.url, '/databases?account=1');
      await page.getByRole('button', { name: 'New database' }).click();
      const engine = page.getByRole('dialog').getByLabel('Engine');
      const pg = engine.locator('option', { hasText: 'not available' });
      await expect(pg.getAttribute('disabled')).resolves.toBe('');
      await expect(pg.getAttribute('value')).resolves.toBe('postgresql');
      await expect(engine.inputValue()).resolves.toBe('mysql');
      await expect(
        page
          .getByRole('dialog')
          .locator('.field', { has: page.getByLabel('Engine') })
          .locator('.hint')
          .textContent(),
      ).resolves.toMatch(/^PostgreSQL is not available: .+\.$/);
      await capture(page, 'databases-engine-down', SHOT_WIDTHS);
    }));
});
