// Backup schedules and targets on the backups page: a target is added and its connection tested,
// a schedule is added (a refused field named under it), run now, and deleted.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');
const SHOT_WIDTHS = [1366, 1280, 390] as const;

describe.skipIf(bed.skip)('ui: backup schedules and targets', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel({ extra: ['backups'] });
      await createAccount(h, { username: 'schedone', domain: 'sched-one.test', email: 'one@sched-one.test' });
      return h;
    },
  );
  const schedules = async () =>
    (await suite.panel.panel.request('GET', '/api/backups/schedules', { as: 'admin' })).body.data as any[];

  it('adds and tests targets, adds a schedule, runs it and deletes it', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, url, '/backups');
      const targets = page.locator('section.card', { hasText: 'Backup targets' });
      await targets.locator('tr', { hasText: 'local' }).getByRole('button', { name: 'Test connection' }).click();
      await page.locator('.toast', { hasText: 'Backup target local is reachable and writable.' }).waitFor();

      // A second target: a refused setting is named under its field, then it is added and tested.
      await targets.getByRole('button', { name: 'Add target' }).click();
      const add = page.getByRole('dialog');
      await add.getByLabel('Name').fill('second');
      await add.getByLabel('Directory').fill('relative/dir');
      await add.getByRole('button', { name: 'Add target' }).click();
      await expect(
        add
          .locator('.field', { has: page.getByLabel('Directory') })
          .locator('.field-error')
          .textContent(),
      ).resolves.toBe('Directory must be an absolute directory path.');
      const dir = mkdtempSync(path.join(os.tmpdir(), 'velopanel-ui-target-'));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      await add.getByLabel('Directory').fill(dir);
      await add.getByRole('button', { name: 'Add target' }).click();
      await targets.locator('tr', { hasText: 'second' }).getByRole('button', { name: 'Test connection' }).click();
      await page.locator('.toast', { hasText: 'Backup target second is reachable and writable.' }).waitFor();

      const card = page.locator('section.card', { hasText: 'Backup schedules' });
      await card.getByText('No backups are scheduled').waitFor();
      await card.getByRole('button', { name: 'New schedule' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Back up').selectOption({ label: 'schedone' });
      await dialog.getByLabel('Time (UTC)').fill('03:30');
      await dialog.getByLabel('Keep for days').fill('99999');
      await dialog.getByRole('button', { name: 'Add schedule' }).click();
      await expect(
        dialog
          .locator('.field', { has: page.getByLabel('Keep for days') })
          .locator('.field-error')
          .textContent(),
      ).resolves.toBe('Keep for days must be 0 (no limit) to 36500.');
      expect(await schedules()).toEqual([]);
      await dialog.getByLabel('Keep for days').fill('14');
      await dialog.getByRole('button', { name: 'Add schedule' }).click();
      const row = card.locator('tr', { hasText: 'account 1' });
      await row.getByText('daily at 03:30 UTC').waitFor();
      expect(await schedules()).toMatchObject([{ account_id: 1, frequency: 'daily', time: '03:30', keep_days: 14 }]);

      await row.getByRole('button', { name: /Actions for schedule/ }).click();
      await page.getByRole('menuitem', { name: 'Run now' }).click();
      await row.locator('.badge', { hasText: 'succeeded' }).waitFor({ timeout: 60_000 });
      await capture(page, 'backup-schedules', SHOT_WIDTHS);

      await row.getByRole('button', { name: /Actions for schedule/ }).click();
      await page.getByRole('menuitem', { name: 'Delete' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete schedule' }).click();
      await card.getByText('No backups are scheduled').waitFor();
      expect(await schedules()).toEqual([]);
    }));
});
