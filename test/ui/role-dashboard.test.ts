// Each role's dashboard shows its own scope: a reseller sees its caps and what its accounts use
// of them (not the server's load, totals or licence); an account user sees neither the server's
// usage nor its licence page, but its own disk and bandwidth meters (and memory, CPU time and
// processes where measured).
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');
const SHOT_WIDTHS = [1366, 1280, 390] as const;
const SERVER_WORDS = ['Memory', 'CPU', 'Uptime', 'Load', 'Hostname'];

describe.skipIf(bed.skip)('ui: dashboards scoped to the role', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel({ extra: ['bandwidth'] });
      expect(
        await createAccount(h, { username: 'resone', domain: 'res-one.test', email: 'one@res-one.test' }, 'reseller'),
      ).toBe(1);
      await createAccount(h, { username: 'admtwo', domain: 'adm-two.test', email: 'two@adm-two.test' }, 'admin');
      await createAccount(
        h,
        { username: 'admthree', domain: 'adm-three.test', email: 'three@adm-three.test' },
        'admin',
      );
      const reseller = (await h.panel.request('GET', '/api/resellers', { as: 'admin' })).body.data.find(
        (r: any) => r.username === TEST_LOGINS.reseller,
      );
      const caps = await h.panel.request('PATCH', `/api/resellers/${reseller.id}`, {
        as: 'admin',
        body: { max_accounts: 4, max_domains: 10 },
      });
      expect(caps.status).toBe(200);
      return h;
    },
  );

  it('shows a reseller its own caps and usage, not the server\u2019s', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      await logIn(page, url, TEST_LOGINS.reseller, TEST_LOGINS.password);
      await visit(page, url, '/');
      const accounts = page.locator('main [role=meter][aria-label="Accounts"]');
      await expect(accounts.getAttribute('aria-valuetext')).resolves.toBe('1 of 4');
      await expect(
        page.locator('main [role=meter][aria-label="Domains"]').getAttribute('aria-valuetext'),
      ).resolves.toBe('1 of 10');
      const text = (await page.locator('main').textContent())!;
      expect(text).toContain('You can add 3 accounts.');
      expect(text).toContain('resone');
      expect(text).not.toContain('admtwo');
      for (const word of SERVER_WORDS) expect(text).not.toContain(word);
      await capture(page, 'dashboard-reseller', SHOT_WIDTHS);
    }));

  it('shows an account user no server usage and no licence page', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      await logIn(page, url, TEST_LOGINS.user, TEST_LOGINS.password);
      await visit(page, url, '/');
      const text = (await page.locator('main').textContent())!;
      expect(text).toContain('resone');
      for (const word of SERVER_WORDS) expect(text).not.toContain(word);
      // Measured from nginx's per-domain logs: nothing fetched yet, against the free plan's quota.
      await expect(
        page.locator('main [role=meter][aria-label="Bandwidth this month"]').getAttribute('aria-valuetext'),
      ).resolves.toBe('0 MB of 10000 MB');
      expect(await page.locator('nav[aria-label="Main"] a.nav-link', { hasText: 'Licence' }).count()).toBe(0);
      await visit(page, url, '/licence');
      await expect(page.locator('main .notice').textContent()).resolves.toContain(
        'Your login does not give access to this page.',
      );
      await capture(page, 'dashboard-user', SHOT_WIDTHS);
      // In linux mode the API measures the account's own processes (resource_usage): the user sees them too.
      await page.route(/\/api\/accounts(\?|$)/, async (route) => {
        const res = await route.fetch();
        const body = await res.json();
        for (const a of body.data)
          a.resource_usage = {
            memory_mb: 40,
            memory_limit_mb: null,
            cpu_seconds: 90,
            processes: 1,
            measured_at: new Date().toISOString(),
          };
        await route.fulfill({ response: res, json: body });
      });
      await visit(page, url, '/');
      await expect(page.locator('main [role=meter][aria-label="Memory"]').getAttribute('aria-valuetext')).resolves.toBe(
        '40 MB (no limit)',
      );
      await page.locator('main .usage-processes', { hasText: 'CPU time: 1 min · 1 process running' }).waitFor();
    }));
});
