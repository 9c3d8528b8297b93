// The whole product through the browser, on a panel as `npm start` makes it: first-run setup →
// login → create account → add domain → edit a file → create a database → backup with a live
// progress bar → restore with its report → logout. Key pages are captured at three widths under
// test/artifacts/ui/. A step whose API is not on the panel yet is recorded and reported; under CI
// (or VELOPANEL_UI_STRICT=1) any such step fails the journey.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServices } from '../bed/index.js';
import { openPage, settle, visit, WIDTHS } from './support/browser.js';
import { startFreshPanel, StepGate } from './support/fresh-panel.js';
import { capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium', 'mariadb');

const tag = process.pid.toString(36);
const ADMIN = { username: 'admin', password: 'Journey-Admin-2026' };
const ACCOUNT = {
  username: `jr${tag}`.slice(0, 16),
  domain: `journey-${tag}.test`,
  email: `owner@journey-${tag}.test`,
  password: 'Journey-User-2026',
};

async function dialogButton(page: Page, name: string) {
  await page.locator('dialog[open]').getByRole('button', { name, exact: true }).click();
}

describe.skipIf(bed.skip)('ui: the full journey in Chromium', () => {
  const suite = browserSuite(
    () => bed.chromium,
    () => startFreshPanel({ mariadb: bed.mariadb }),
  );

  it('setup → login → account → domain → file → database → backup → restore → logout', async () => {
    const { panel, browser } = suite;
    const gate = new StepGate(panel.routes);
    const first = await openPage(browser);
    const { page, watch, close } = await openPage(browser);
    try {
      await gate.step('setup', ['GET /api/auth/setup', 'POST /api/auth/setup'], async () => {
        await first.page.goto(`${panel.url}/`);
        await first.page.waitForURL('**/setup');
        await capture(first.page, 'journey-01-setup', WIDTHS);
        await first.page.getByLabel('Administrator username').fill(ADMIN.username);
        await first.page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
        await first.page.getByLabel('Repeat the password').fill(ADMIN.password);
        await first.page.getByRole('button', { name: 'Create administrator' }).click();
        await first.page.locator('.user-name', { hasText: ADMIN.username }).waitFor();
      });

      await gate.step(
        'login',
        ['POST /api/auth/login', 'GET /api/auth/me'],
        async () => {
          await page.goto(`${panel.url}/accounts`);
          await page.waitForURL('**/login?next=%2Faccounts');
          await capture(page, 'journey-02-login', WIDTHS);
          await page.getByLabel('Username').fill(ADMIN.username);
          await page.getByLabel('Password').fill('wrong-password');
          await page.getByRole('button', { name: 'Log in' }).click();
          await page.locator('.form-error', { hasText: 'Invalid username or password' }).waitFor();
          await page.getByLabel('Password').fill(ADMIN.password);
          await page.getByRole('button', { name: 'Log in' }).click();
          await page.waitForURL('**/accounts');
          await page.locator('.user-name', { hasText: ADMIN.username }).waitFor();
          await visit(page, panel.url, '/');
          await capture(page, 'journey-03-dashboard', WIDTHS);
        },
        ['setup'],
      );

      await gate.step(
        'create account',
        ['POST /api/accounts', 'GET /api/accounts'],
        async () => {
          await visit(page, panel.url, '/accounts');
          await page.getByRole('button', { name: 'Create account' }).click();
          const dlg = page.locator('dialog[open]');
          await dlg.getByLabel('Username').fill(ACCOUNT.username);
          await dlg.getByLabel('Primary domain').fill(ACCOUNT.domain);
          await dlg.getByLabel('Contact email').fill(ACCOUNT.email);
          await dlg.getByLabel('Password').fill(ACCOUNT.password);
          await dlg.getByLabel('Plan').selectOption('free');
          await dialogButton(page, 'Create account');
          await page.locator('table.data-table td', { hasText: ACCOUNT.username }).first().waitFor();
          await settle(page);
          await capture(page, 'journey-04-accounts', WIDTHS);
        },
        ['login'],
      );

      await gate.step(
        'add domain',
        ['POST /api/domains', 'GET /api/domains'],
        async () => {
          await visit(page, panel.url, '/domains');
          await page.getByRole('button', { name: 'Add domain' }).click();
          const dlg = page.locator('dialog[open]');
          await dlg.getByLabel('Domain name').fill(`blog.${ACCOUNT.domain}`);
          await dlg.getByLabel('Type').selectOption('subdomain');
          await expect(dlg.getByLabel('Document root').inputValue()).resolves.toMatch(
            new RegExp(`/${ACCOUNT.username}/blog\\.`),
          );
          await dialogButton(page, 'Add domain');
          await page
            .locator('table.data-table td', { hasText: `blog.${ACCOUNT.domain}` })
            .first()
            .waitFor();
          await settle(page);
          await capture(page, 'journey-05-domains', WIDTHS);
        },
        ['create account'],
      );

      await gate.step(
        'edit a file',
        ['GET /api/files/list', 'GET /api/files/read', 'POST /api/files/write'],
        async () => {
          await visit(page, panel.url, '/files');
          await page.getByRole('button', { name: 'public_html' }).click();
          await page.getByRole('button', { name: 'index.html' }).click();
          const editor = page.locator('dialog[open]').getByLabel('Contents');
          await editor.waitFor();
          await capture(page, 'journey-06-file-editor', WIDTHS);
          // emptied with the editor's own keys first, so the browser has no styled text to replace
          await editor.click();
          await page.keyboard.press('Control+A');
          await page.keyboard.press('Backspace');
          await editor.fill('<h1>Edited in the VeloPanel journey</h1>\n');
          await dialogButton(page, 'Save');
          await page.locator('.toast', { hasText: 'was saved' }).waitFor();
          const id = (await (await page.request.get(`${panel.url}/api/accounts`)).json()).data[0].id;
          const read = await page.request.get(
            `${panel.url}/api/files/read?account_id=${id}&path=/public_html/index.html`,
          );
          expect(JSON.stringify((await read.json()).data)).toContain('Edited in the VeloPanel journey');
          await settle(page);
          await capture(page, 'journey-07-files', WIDTHS);
        },
        ['create account'],
      );

      await gate.step(
        'create a database',
        ['POST /api/databases', 'GET /api/databases/:account_id'],
        async () => {
          await visit(page, panel.url, '/databases');
          await page.getByRole('button', { name: 'New database' }).click();
          const dlg = page.locator('dialog[open]');
          await dlg.getByLabel('Database name').fill('wp');
          await dlg.getByLabel('Password').fill('Journey-Db-2026');
          await dialogButton(page, 'Create database');
          await page
            .locator('table.data-table td', { hasText: `${ACCOUNT.username}_wp` })
            .first()
            .waitFor();
          await settle(page);
          await capture(page, 'journey-08-databases', WIDTHS);
        },
        ['create account'],
      );

      await gate.step(
        'backup with progress',
        ['POST /api/backups/accounts/:id', 'GET /api/backups/accounts/:id', 'GET /api/jobs/:id/events'],
        async () => {
          await visit(page, panel.url, '/backups');
          await page.getByRole('button', { name: 'Back up now' }).click();
          const bar = page.getByRole('progressbar');
          await bar.waitFor();
          await page.locator('.progress-done').waitFor({ timeout: 120_000 });
          await expect(bar.getAttribute('aria-valuenow')).resolves.toBe('100');
          await page
            .locator('table.data-table td', { hasText: new RegExp(`^${ACCOUNT.username}-\\d{8}-\\d{6}\\.tar\\.gz$`) })
            .first()
            .waitFor();
          await capture(page, 'journey-09-backup', WIDTHS);
        },
        ['create account'],
      );

      await gate.step(
        'restore',
        ['POST /api/backups/accounts/:id/restore/:filename'],
        async () => {
          await page.getByRole('button', { name: 'Restore' }).first().click();
          await dialogButton(page, 'Restore');
          await page.locator('.progress-done').waitFor({ timeout: 120_000 });
          await page.getByRole('heading', { name: 'Restore report' }).waitFor();
          const report = page.getByRole('table', { name: 'Restore report' });
          await expect(report.locator('tbody tr').count()).resolves.toBeGreaterThan(0);
          await expect(report.locator('.badge-danger').count()).resolves.toBe(0);
          await capture(page, 'journey-10-restore', WIDTHS);
          await page.locator('tbody tr', { hasText: '.tar.gz' }).getByRole('button', { name: 'Delete' }).click();
          await dialogButton(page, 'Delete backup');
          await page.getByText(`${ACCOUNT.username} has no backups yet.`).waitFor();
        },
        ['backup with progress'],
      );

      await gate.step(
        'logout',
        ['POST /api/auth/logout'],
        async () => {
          await page.getByRole('button', { name: 'Log out' }).click();
          await page.waitForURL('**/login?bye=1');
          await page.getByText('You have logged out.').waitFor();
          expect((await page.request.get(`${panel.url}/api/auth/me`)).status()).toBe(401);
        },
        ['login'],
      );
    } finally {
      await first.close();
      await close();
    }
    if (gate.skipped.length) console.warn(`[ui journey] steps not run:\n  ${gate.skipped.join('\n  ')}`);
    expect(watch.errors).toEqual([]);
    expect([...watch.dialogs, ...first.watch.dialogs]).toEqual([]);
    expect(gate.done).toEqual(expect.arrayContaining(['setup', 'login', 'create account', 'logout']));
    if (StepGate.strict()) expect(gate.skipped).toEqual([]);
  }, 300_000);
});
