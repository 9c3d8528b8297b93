// The Backup targets page's upkeep, in real Chromium: "Remove old backups" refuses a bad number of
// days in the panel's words and removes nothing, then removes only the backups older than the
// days given; the start-up recovery card says what the last stop cut short.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useServices } from '../../../test/bed/index.js';
import { fieldError, openAs, withUiPage } from '../../../test/ui/support/browser.js';
import { createAccount, startUiHostingPanel } from '../../../test/ui/support/hosting.js';
import { browserSuite } from '../../../test/ui/support/suite.js';

const bed = useServices('chromium');
const OLD = ['upkeep-20200101-000000.tar.gz', 'upkeep-20210615-120000.tar.gz'];

describe.skipIf(bed.skip)('ui: backup upkeep', () => {
  let made = '';
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel({ extra: ['backups'] });
      const id = await createAccount(h, { username: 'upkeep', domain: 'upkeep-ui.test', email: 'o@upkeep-ui.test' });
      const res = await h.panel.request('POST', `/api/backups/accounts/${id}`);
      expect(res.status).toBe(200);
      made = res.body.data.filename;
      return h;
    },
  );
  const dir = () => path.join(suite.panel.panel.dataDir, 'backups');

  it('removes only the backups older than the days given', () =>
    withUiPage(suite.browser, async (page) => {
      for (const old of OLD) fs.copyFileSync(path.join(dir(), made), path.join(dir(), old));
      await openAs(page, suite.panel.panel.url, 'admin', '/backup-targets');
      await page.getByRole('button', { name: 'Remove old backups' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Older than (days)').fill('0');
      await dialog.getByRole('button', { name: 'Remove old backups' }).click();
      await expect(fieldError(dialog, 'Older than (days)').textContent()).resolves.toMatch(/whole number of days/);
      expect(OLD.every((f) => fs.existsSync(path.join(dir(), f)))).toBe(true);
      await dialog.getByLabel('Older than (days)').fill('365');
      await dialog.getByRole('button', { name: 'Remove old backups' }).click();
      await page.locator('.toast', { hasText: '2 backups removed.' }).waitFor();
      expect(OLD.some((f) => fs.existsSync(path.join(dir(), f)))).toBe(false);
      expect(fs.existsSync(path.join(dir(), made))).toBe(true);
    }));

  it('shows what start-up recovery settled', () =>
    withUiPage(suite.browser, async (page) => {
      await openAs(page, suite.panel.panel.url, 'admin', '/backup-targets');
      const card = page.locator('.card', {
        has: page.getByRole('heading', { name: 'Interrupted backups and restores' }),
      });
      await card.locator('.badge', { hasText: 'done' }).waitFor();
      await card.getByText('No backup or restore was cut short by the last stop.').waitFor();
    }));
});
