// "Edit" on an account: the contact email (a refused value shows under its field) and the plan
// change through the API, usage against the quotas is shown read-only, and the accounts table
// marks an account over its disk quota; bandwidth, memory, CPU time and processes show only when
// the API reports them.
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');

describe.skipIf(bed.skip)('ui: edit an account, usage against quotas', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel();
      const id = await createAccount(h, { username: 'editme', domain: 'editme.test', email: 'old@editme.test' });
      await createAccount(h, { username: 'withinq', domain: 'withinq.test', email: 'ok@withinq.test' });
      const quota = (await h.panel.request('GET', `/api/accounts/${id}`)).body.data.disk_quota_mb as number;
      await h.panel.kernel
        .knex('accounts_accounts')
        .where({ id })
        .update({ disk_used_mb: quota + 100 });
      return h;
    },
  );

  it('marks the account over its disk quota, and shows bandwidth only when reported', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, url, '/accounts');
      const over = page.locator('tbody tr', { hasText: 'editme' });
      await over.locator('.badge', { hasText: 'over quota' }).waitFor();
      expect(await over.locator('.mini-over[title$="(over quota)"]').count()).toBe(1);
      const within = page.locator('tbody tr', { hasText: 'withinq' });
      expect(await within.locator('.badge', { hasText: 'over quota' }).count()).toBe(0);
      expect(await page.locator('tbody .mini[title^="Bandwidth"]').count()).toBe(0);
      expect(await page.locator('tbody .mini[title^="Memory"]').count()).toBe(0); // local mode: resource_usage is null
      await capture(page, 'accounts-over-quota', [1366, 1280, 390]);
      // A panel that measures traffic sends bandwidth_used_mb: the table then shows it too.
      await page.route(/\/api\/accounts(\?|$)/, async (route) => {
        const res = await route.fetch();
        const body = await res.json();
        for (const a of body.data)
          Object.assign(a, {
            bandwidth_used_mb: 2048,
            resource_usage: {
              memory_mb: 12,
              memory_limit_mb: 64,
              cpu_seconds: 3.25,
              processes: 2,
              measured_at: new Date().toISOString(),
            },
          });
        await route.fulfill({ response: res, json: body });
      });
      await visit(page, url, '/accounts');
      await within.locator('.mini[title^="Bandwidth: 2.0 GB"]').waitFor();
      // A linux-mode panel sends resource_usage: memory of its limit in the row (CPU and processes in
      // its tooltip), all three on the edit screen.
      await within.locator('.mini[title="Memory: 12 MB / 64 MB; CPU 3.3 s; 2 processes"]').waitFor();
      await page.getByRole('button', { name: 'Actions for withinq' }).click();
      await page.getByRole('menuitem', { name: 'Edit' }).click();
      const dialog = page.locator('dialog[open]');
      expect(await dialog.getByRole('meter', { name: 'Memory' }).getAttribute('aria-valuetext')).toBe('12 MB of 64 MB');
      await dialog.locator('.usage-processes', { hasText: 'CPU time: 3.3 s · 2 processes running' }).waitFor();
    }));

  it('changes the email and the plan, naming a refused email under its field', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      const dialog = page.locator('dialog[open]');
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, url, '/accounts');
      await page.getByRole('button', { name: 'Actions for editme' }).click();
      await page.getByRole('menuitem', { name: 'Edit' }).click();
      await dialog.getByText('Over its disk quota').waitFor();
      await dialog.getByRole('meter', { name: 'Disk' }).waitFor();
      expect(await dialog.getByRole('button', { name: 'Change password' }).count()).toBe(1);
      await dialog.getByLabel('Contact email').fill('a@b');
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await dialog.locator('.field-error', { hasText: 'Contact email must be a valid email address.' }).waitFor();
      // The refusal clears nothing else: the usage note stays.
      await dialog.getByText('Over its disk quota').waitFor();
      await capture(page, 'account-edit', [1366, 1280, 390]);
      await dialog.getByLabel('Contact email').fill('new@editme.test');
      await dialog.getByLabel('Plan').selectOption('pro');
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await page.locator('.toast', { hasText: 'The contact email and plan of editme were changed.' }).waitFor();
      const id = (await suite.panel.panel.request('GET', '/api/accounts')).body.data.find(
        (a: any) => a.username === 'editme',
      ).id;
      expect((await suite.panel.panel.request('GET', `/api/accounts/${id}`)).body.data).toMatchObject({
        email: 'new@editme.test',
        plan: 'pro',
      });
      await page.locator('tbody tr', { hasText: 'new@editme.test' }).waitFor();
    }));
});
