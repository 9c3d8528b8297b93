// The file manager in Chromium against the real files plugin: folders and breadcrumbs, upload
// with a progress bar, permissions, rename, download and delete.
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, settle, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');

describe.skipIf(bed.skip)('ui: file manager', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel();
      await createAccount(h, { username: 'filesowner', domain: 'files-owner.test', email: 'owner@files-owner.test' });
      return h;
    },
  );

  it('creates a folder, uploads into it with progress, changes mode, renames, downloads and deletes', () =>
    withUiPage(suite.browser, async (page) => {
      const h = suite.panel;
      const row = (name: string) => page.locator('tbody tr', { has: page.getByRole('button', { name, exact: true }) });
      await logIn(page, h.panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, h.panel.url, '/files');
      await page.getByRole('button', { name: 'New folder' }).click();
      await page.locator('dialog[open]').getByLabel('Folder name').fill('uploads');
      await page.locator('dialog[open]').getByRole('button', { name: 'Create folder' }).click();
      await page.getByRole('button', { name: 'uploads', exact: true }).click();
      await page.locator('.crumbs [aria-current]', { hasText: 'uploads' }).waitFor();
      expect(page.url()).toContain('path=%2Fuploads');
      await settle(page);

      const bytes = Buffer.alloc(3 * 1024 * 1024, 'velopanel ');
      await page
        .locator('input[type=file]')
        .setInputFiles({ name: 'data.bin', mimeType: 'application/octet-stream', buffer: bytes });
      await page.locator('.uploads .progress-done', { hasText: 'data.bin uploaded.' }).waitFor();
      await expect(page.locator('.uploads [role=progressbar]').getAttribute('aria-valuenow')).resolves.toBe('100');
      await row('data.bin').waitFor();
      await expect(row('data.bin').locator('td[data-label="Size"]').textContent()).resolves.toBe('3.0 MB');

      await row('data.bin').getByRole('button', { name: 'Permissions' }).click();
      await page.locator('dialog[open]').getByLabel('Mode (octal)').fill('600');
      await expect(page.locator('dialog[open] .mono').textContent()).resolves.toBe('rw-------');
      await page.locator('dialog[open]').getByRole('button', { name: 'Set permissions' }).click();
      await row('data.bin').locator('code', { hasText: '600' }).waitFor();

      await row('data.bin').getByRole('button', { name: 'Rename' }).click();
      await page.locator('dialog[open]').getByLabel('New name').fill('renamed.bin');
      await page.locator('dialog[open]').getByRole('button', { name: 'Rename' }).click();
      await row('renamed.bin').waitFor();

      const href = await row('renamed.bin').getByRole('link', { name: 'Download' }).getAttribute('href');
      const download = await page.request.get(h.panel.url + href!);
      expect(download.status()).toBe(200);
      expect((await download.body()).equals(bytes)).toBe(true);

      await row('renamed.bin').getByRole('button', { name: 'Delete' }).click();
      await page.locator('dialog[open]').getByRole('button', { name: 'Delete', exact: true }).click();
      await page.getByText('This folder is empty.').waitFor();
      await page.locator('.crumbs').getByRole('button', { name: 'filesowner' }).click();
      await page.getByRole('button', { name: 'public_html', exact: true }).waitFor();
      // The finished upload's bar went with the folder it was for.
      expect(await page.locator('.uploads .progress').count()).toBe(0);
    }));
});
