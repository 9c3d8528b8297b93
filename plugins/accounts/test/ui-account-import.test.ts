// "Import accounts" on the accounts page, in real Chromium: a bad row is refused by its number with
// nothing made; good rows (pasted, or read from a chosen CSV file) are made as one job whose bar
// the dialog follows, ending with a report; only admins and resellers are offered the button, and
// it is disabled at the reseller's account cap.
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../../sdk/testing/index.js';
import { useServices } from '../../../test/bed/index.js';
import { logIn, openAs, visit, withUiPage } from '../../../test/ui/support/browser.js';
import { createAccount, startUiHostingPanel } from '../../../test/ui/support/hosting.js';
import { browserSuite } from '../../../test/ui/support/suite.js';

const bed = useServices('chromium');

describe.skipIf(bed.skip)('ui: import accounts', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel();
      // account:1, the test user's, owned by the reseller.
      await createAccount(h, { username: 'firstacct', domain: 'first.test', email: 'o@first.test' }, 'reseller');
      return h;
    },
  );
  const usernames = async () =>
    ((await suite.panel.panel.request('GET', '/api/accounts')).body.data as { username: string }[]).map(
      (a) => a.username,
    );

  it('refuses a bad row by its number, then imports pasted rows with a live bar and a report', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, url, '/accounts');
      await page.getByRole('button', { name: 'Import accounts' }).click();
      const dialog = page.getByRole('dialog');
      await dialog
        .getByLabel('Accounts')
        .fill(
          'username,domain,email,password\nimpone,impone.test,a@impone.test,Import-Pass-1\n' +
            'impbad,not a domain,a@impbad.test,Import-Pass-1\n',
        );
      await dialog.getByRole('button', { name: 'Import' }).click();
      await dialog.locator('.form-error', { hasText: 'row 2' }).waitFor();
      expect(await usernames()).not.toContain('impone');

      // A quoted field may hold a comma (here in the password).
      await dialog
        .getByLabel('Accounts')
        .fill(
          'impone,impone.test,a@impone.test,Import-Pass-1\n' +
            '"imptwo",imptwo.test,b@imptwo.test,"Pass,with-comma1"\n',
        );
      await dialog.getByRole('button', { name: 'Import' }).click();
      await dialog.getByRole('progressbar', { name: 'Importing 2 accounts' }).waitFor();
      await dialog.getByText('2 accounts made, 0 failed.').waitFor();
      await page.locator('.toast', { hasText: '2 accounts imported.' }).waitFor();
      expect(await usernames()).toEqual(expect.arrayContaining(['impone', 'imptwo']));
      const login = await suite.panel.panel.request('POST', '/api/auth/login', {
        body: { username: 'imptwo', password: 'Pass,with-comma1' },
        as: 'anon',
      });
      expect(login.status).toBe(200);
      await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
      await page.locator('tbody tr', { hasText: 'imptwo' }).waitFor();
    }));

  it('reads a chosen CSV file as the reseller', () =>
    withUiPage(suite.browser, async (page) => {
      await openAs(page, suite.panel.panel.url, 'reseller', '/accounts');
      await page.getByRole('button', { name: 'Import accounts' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('CSV file').setInputFiles({
        name: 'accounts.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(
          'username,domain,email,password,plan\r\nimpthree,impthree.test,c@imp.test,Import-Pass-3,free\r\n',
        ),
      });
      await dialog.getByRole('button', { name: 'Import' }).click();
      await dialog.getByText('1 account made, 0 failed.').waitFor();
      expect(await usernames()).toContain('impthree');
      // At its account cap the reseller's Import is disabled like Create, saying why.
      const own = (await suite.panel.panel.request('GET', '/api/accounts', { as: 'reseller' })).body.data.length;
      expect(
        (await suite.panel.panel.request('PATCH', '/api/resellers/2', { body: { max_accounts: own } })).status,
      ).toBe(200);
      await visit(page, suite.panel.panel.url, '/accounts');
      await page.getByText('No more accounts can be created').waitFor();
      expect(await page.getByRole('button', { name: 'Import accounts' }).isDisabled()).toBe(true);
    }));

  it('is not offered to an account user', () =>
    withUiPage(suite.browser, async (page) => {
      await openAs(page, suite.panel.panel.url, 'user', '/accounts');
      await page.getByRole('heading', { name: 'Your account' }).waitFor();
      expect(await page.getByRole('button', { name: 'Import accounts' }).count()).toBe(0);
    }));
});
