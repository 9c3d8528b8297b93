// Tables fit their container at the three widths people use (1366×900 laptop, 1280 wide, a
// 390×844 phone): no table scrolls sideways, and every row's actions are on screen. On the
// accounts table the actions sit in a menu per row, operable by keyboard, destructive ones
// still confirmed. Screenshots of each page and width go to test/artifacts/ui/.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { ARTIFACTS, capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium', 'mariadb');

/** The widths the issue names; heights as the capture helper sets them (900, phone 844). */
const FIT_WIDTHS = [1366, 1280, 390] as const;

/** Every table on the page whose content is wider than its box, and row actions out of sight. */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const view = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > view + 1)
      out.push(`page: ${document.documentElement.scrollWidth} > ${view}`);
    for (const wrap of document.querySelectorAll<HTMLElement>('main .table-wrap')) {
      const name = wrap.querySelector('table')?.getAttribute('aria-label') ?? '?';
      if (wrap.scrollWidth > wrap.clientWidth + 1) out.push(`${name}: ${wrap.scrollWidth} > ${wrap.clientWidth}`);
      const box = wrap.getBoundingClientRect();
      for (const cell of wrap.querySelectorAll<HTMLElement>('td.col-actions')) {
        for (const control of cell.querySelectorAll<HTMLElement>('button, a')) {
          const r = control.getBoundingClientRect();
          if (r.width && (r.right > Math.min(box.right, view) + 1 || r.left < box.left - 1))
            out.push(`${name}: '${control.textContent}' off screen at ${Math.round(r.left)}–${Math.round(r.right)}`);
        }
      }
    }
    return out;
  });
}

describe.skipIf(bed.skip)('ui: tables fit their container', () => {
  const ids: Record<string, number> = {};
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel({
        extra: ['databases', 'mysql', 'backups', 'ssl', 'php'],
        plugins: { mysql: { socket: bed.mariadb.socket, user: bed.mariadb.rootUser } },
      });
      // Long but valid names and addresses: what pushes columns wide in real use.
      ids.north = await createAccount(h, {
        username: 'northwindtrade',
        domain: 'northwind-traders-international.test',
        email: 'accounts-payable@northwind-traders-international.test',
      });
      ids.blue = await createAccount(
        h,
        { username: 'bluebird', domain: 'bluebird.test', email: 'hello@bluebird.test', plan: 'pro' },
        'reseller',
      );
      await h.panel.request('POST', '/api/domains', {
        body: {
          account_id: ids.north,
          domain_name: 'shop.northwind-traders-international.test',
          domain_type: 'subdomain',
          document_root: `${h.homeBase}/northwindtrade/shop.northwind-traders-international.test`,
        },
      });
      await h.panel.request('POST', '/api/databases', {
        body: { account_id: ids.north, db_name: 'inventory', db_password: 'Inventory-Db-Pass-1', engine: 'mysql' },
      });
      await h.panel.request('POST', '/api/files/write', {
        body: {
          account_id: ids.north,
          path: '/public_html/a-rather-long-file-name-for-the-catalogue-export.html',
          content: '<h1>x</h1>',
        },
      });
      const made = await h.panel.request('POST', `/api/backups/accounts/${ids.north}`);
      if (made.status !== 200) throw new Error(`backup not made: ${made.body?.error}`);
      return h;
    },
  );

  it('shows every row action of the accounts table at 1280 px through a menu per row', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, url, '/accounts');
      const row = page.locator('tbody tr', { hasText: 'northwindtrade' });
      const menuButton = row.getByRole('button', { name: 'Actions for northwindtrade' });
      await expect(menuButton.getAttribute('aria-haspopup')).resolves.toBe('menu');
      await expect(menuButton.getAttribute('aria-expanded')).resolves.toBe('false');
      expect(await overflow(page)).toEqual([]);

      // Keyboard: Enter opens with the first item focused, arrows move, Escape closes back to the button.
      await menuButton.focus();
      await page.keyboard.press('Enter');
      const menu = page.getByRole('menu', { name: 'Actions for northwindtrade' });
      await expect(menu.getByRole('menuitem').allTextContents()).resolves.toEqual([
        'Edit',
        'Open as this account',
        'Change password',
        'Suspend',
        'Delete',
      ]);
      await expect(menuButton.getAttribute('aria-expanded')).resolves.toBe('true');
      await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Edit');
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
      await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Delete');
      await page.keyboard.press('ArrowDown');
      await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Edit');
      for (const item of await menu.getByRole('menuitem').all()) {
        const box = (await item.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(1280);
      }
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'fit-accounts-menu-1280.png') });
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'hidden' });
      await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe(
        'Actions for northwindtrade',
      );

      // Delete from the menu still asks; Cancel keeps the account.
      await menuButton.click();
      await menu.getByRole('menuitem', { name: 'Delete' }).click();
      const dialog = page.locator('dialog[open]');
      await expect(dialog.locator('.confirm-message').textContent()).resolves.toContain(
        'Delete northwindtrade and everything in it?',
      );
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect((await suite.panel.panel.request('GET', `/api/accounts/${ids.north}`)).status).toBe(200);

      // Suspend from the menu with the keyboard, confirmed.
      await menuButton.focus();
      // Opens on Edit; three more down is Suspend (after Open as this account and Change password).
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await dialog.getByRole('button', { name: 'Suspend' }).click();
      await row.locator('.badge', { hasText: 'suspended' }).waitFor();
      await menuButton.click();
      await menu.getByRole('menuitem', { name: 'Unsuspend' }).click();
      await row.locator('.badge', { hasText: 'active' }).waitFor();
    }));

  it(
    'keeps every table inside its container at 1366, 1280 and 390 px, and captures each page',
    () =>
      withUiPage(suite.browser, async (page) => {
        const url = suite.panel.panel.url;
        await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
        const pages: [string, string][] = [
          ['accounts', '/accounts'],
          ['domains', `/domains?account=${ids.north}`],
          ['databases', `/databases?account=${ids.north}`],
          ['backups', `/backups?account=${ids.north}`],
          ['audit', '/audit'],
          ['files', `/files?account=${ids.north}&path=/public_html`],
        ];
        // The other pages with tables are held to the same rule (some show a table only with data).
        const more: [string, string][] = [
          ['dashboard', '/'],
          ['ssl', '/ssl'],
          ['php', '/php'],
          ['system', '/system'],
          ['plugins', '/plugins'],
          ['licence', '/licence'],
          ['plans', '/plans'],
          ['backup-targets', '/backup-targets'],
        ];
        const found: string[] = [];
        for (const [name, route] of [...pages, ...more]) {
          await visit(page, url, route);
          if (!more.some(([n]) => n === name))
            expect(await page.locator('main .table-wrap').count(), name).toBeGreaterThan(0);
          for (const width of FIT_WIDTHS) {
            await page.setViewportSize({ width, height: width < 500 ? 844 : 900 });
            found.push(...(await overflow(page)).map((o) => `${name} @${width}: ${o}`));
          }
          await capture(page, `fit-${name}`, FIT_WIDTHS);
        }
        expect(found).toEqual([]);
      }),
    300_000,
  );
});
