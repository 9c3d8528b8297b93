// Every built-in page as the admin, in real Chromium, on a panel with some hosting data: each
// renders a heading (or says in words why its feature is not available), shows no raw JSON, runs
// no failing script, and is captured at three widths under test/artifacts/ui/.
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, WIDTHS, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium', 'mariadb');

const PAGES = [
  '/',
  '/accounts',
  '/domains',
  '/ssl',
  '/php',
  '/files',
  '/databases',
  '/access',
  '/backups',
  '/backup-targets',
  '/system',
  '/plugins',
  '/licence',
  '/audit',
];

describe.skipIf(bed.skip)('ui: every page as admin', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel({
        extra: ['ssl', 'databases', 'mysql', 'backups', 'php', 'access'],
        plugins: { mysql: { socket: bed.mariadb.socket, user: bed.mariadb.rootUser } },
      });
      const first = await createAccount(
        h,
        { username: 'acmeshop', domain: 'acme-shop.test', email: 'ops@acme-shop.test' },
        'reseller',
      );
      await createAccount(h, {
        username: 'bluebird',
        domain: 'bluebird.test',
        email: 'hello@bluebird.test',
        plan: 'pro',
      });
      await h.panel.request('POST', `/api/accounts/${first + 1}/suspend`);
      await h.panel.request('POST', '/api/domains', {
        body: {
          account_id: first,
          domain_name: 'blog.acme-shop.test',
          domain_type: 'subdomain',
          document_root: `${h.homeBase}/acmeshop/blog.acme-shop.test`,
        },
      });
      await h.panel.request('POST', '/api/files/mkdir', { body: { account_id: first, path: '/public_html/assets' } });
      await h.panel.request('POST', '/api/files/write', {
        body: { account_id: first, path: '/public_html/about.html', content: '<h1>About ACME</h1>\n'.repeat(40) },
      });
      await h.panel.request('POST', '/api/databases', {
        body: { account_id: first, db_name: 'shop', db_password: 'Shop-Db-Pass-1', engine: 'mysql' },
      });
      // A day of resource samples as the system plugin's sampler records them, so the charts have a history to draw.
      const now = Date.now();
      const day = Array.from({ length: 288 }, (_, i) => {
        const x = i / 288;
        return {
          t: now - (288 - i) * 300_000,
          cpu_percent: Math.max(0, Math.round((30 + 20 * Math.sin(x * 12) + 8 * Math.sin(x * 47)) * 10) / 10),
          memory_used_mb: Math.round(9000 + 3000 * Math.sin(x * 5)),
          memory_total_mb: 24000,
          load1: Math.round((1.2 + Math.sin(x * 9)) * 100) / 100 + 0.2,
          load5: 1.1,
          load15: Math.round((1 + 0.5 * Math.sin(x * 3)) * 100) / 100,
        };
      });
      for (let i = 0; i < day.length; i += 100)
        await h.panel.kernel.knex('system_samples').insert(day.slice(i, i + 100));
      return h;
    },
  );

  it(
    'renders each page without script errors, raw JSON or markup, and captures it',
    () =>
      withUiPage(suite.browser, async (page) => {
        const url = suite.panel.panel.url;
        await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
        for (const path of PAGES) {
          await visit(page, url, path === '/files' ? '/files?path=/public_html' : path);
          await expect(page.locator('main h1').first().textContent()).resolves.toBeTruthy();
          expect(await page.locator('main').textContent()).not.toMatch(/\{"|":\s*"|\[object Object\]|undefined|NaN/);
          await capture(page, `page${path === '/' ? '-dashboard' : path.replace(/\//g, '-')}`, WIDTHS);
        }
      }),
    300_000,
  );
});
