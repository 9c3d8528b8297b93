// Every built-in page as the admin, in real Chromium, on a panel with some hosting data: each
// renders a heading (or says in words why its feature is not available), shows no raw JSON, runs
// no failing script, and is captured at three widths under test/artifacts/ui/.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { launchBrowser } from '../bed/helpers/browser.js';
import { useServices } from '../bed/index.js';
import type { HostingPanel } from '../webserver/helpers.js';
import { logIn, openPage, visit, WIDTHS } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';

const bed = useServices('chromium', 'mariadb');

const PAGES = ['/', '/accounts', '/domains', '/ssl', '/php', '/files', '/databases', '/backups', '/system', '/plugins', '/licence', '/audit'];

describe.skipIf(bed.skip)('ui: every page as admin', () => {
  let h: HostingPanel;
  let browser: Browser;

  beforeAll(async () => {
    h = await startUiHostingPanel({ extra: ['ssl', 'databases', 'mysql', 'backups', 'php'], plugins: { mysql: { socket: bed.mariadb.socket, user: bed.mariadb.rootUser } } });
    const first = await createAccount(h, { username: 'acmeshop', domain: 'acme-shop.test', email: 'ops@acme-shop.test' }, 'reseller');
    await createAccount(h, { username: 'bluebird', domain: 'bluebird.test', email: 'hello@bluebird.test', plan: 'pro' });
    await h.panel.request('POST', `/api/accounts/${first + 1}/suspend`);
    await h.panel.request('POST', '/api/domains', { body: { account_id: first, domain_name: 'blog.acme-shop.test', domain_type: 'subdomain', document_root: `${h.homeBase}/acmeshop/blog.acme-shop.test` } });
    await h.panel.request('POST', '/api/files/mkdir', { body: { account_id: first, path: '/public_html/assets' } });
    await h.panel.request('POST', '/api/files/write', { body: { account_id: first, path: '/public_html/about.html', content: '<h1>About ACME</h1>\n'.repeat(40) } });
    await h.panel.request('POST', '/api/databases', { body: { account_id: first, db_name: 'shop', db_password: 'Shop-Db-Pass-1', engine: 'mysql' } });
    browser = await launchBrowser(bed.chromium);
  });

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('renders each page without script errors, raw JSON or markup, and captures it', async () => {
    const { page, watch, close } = await openPage(browser);
    try {
      await logIn(page, h.panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
      for (const path of PAGES) {
        await visit(page, h.panel.url, path === '/files' ? '/files?path=/public_html' : path);
        await expect(page.locator('main h1').first().textContent()).resolves.toBeTruthy();
        expect(await page.locator('main').textContent()).not.toMatch(/\{"|":\s*"|\[object Object\]|undefined|NaN/);
        await capture(page, `page${path === '/' ? '-dashboard' : path.replace(/\//g, '-')}`, WIDTHS);
      }
      expect(watch.errors).toEqual([]);
      expect(watch.dialogs).toEqual([]);
    } finally {
      await close();
    }
  }, 300_000);
});
