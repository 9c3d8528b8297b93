// A compress large enough to run as a job is followed in the file manager: a progress bar with the
// job's percentage and current file (from its event stream), shown again when the page is opened
// anew, cleared when the job finishes and the folder reloads with the new archive. The job is
// held part-way with the pause point `files.compress.packed-file` (no timing involved).
import path from 'node:path';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { holdAt } from '../../sdk/index.js';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');

describe.skipIf(bed.skip)('ui: compress as a job, followed live', () => {
  // Every compress becomes a job (threshold 0 MB), as a large one does by default.
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel({ plugins: { files: { job_threshold_mb: 0 } } });
      await createAccount(h, { username: 'packer', domain: 'packer.test', email: 'owner@packer.test' });
      return h;
    },
  );

  it('shows the job live, again after navigation, then clears it and lists the archive', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      const home = (rel: string) => path.join(suite.panel.homeBase, 'packer', rel);
      mkdirSync(home('site'), { recursive: true });
      writeFileSync(home('site/one.txt'), 'x'.repeat(4096));
      writeFileSync(home('site/two.txt'), 'y'.repeat(4096));
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, url, '/files?path=%2F');
      const hold = holdAt('files.compress.packed-file');
      await page.getByLabel('Select site').check();
      await page.getByRole('button', { name: 'Compress' }).click();
      const dialog = page.locator('dialog[open]');
      await dialog.getByLabel('Archive name').fill('site-backup');
      await dialog.getByRole('button', { name: 'Compress' }).click();
      await hold.reached;
      // Half the bytes are packed: the bar says so, with the file being packed.
      const bar = page.locator('.file-jobs [role=progressbar][aria-label="Compressing into site-backup.tar.gz"]');
      await page.locator('.file-jobs [role=progressbar][aria-valuenow="50"]').waitFor();
      await page.locator('.file-jobs .progress-message', { hasText: 'site/one.txt' }).waitFor();
      expect(await page.locator('.toast', { hasText: 'continues in the background' }).count()).toBe(0);
      await capture(page, 'files-compress-job', [1366, 1280, 390]);
      // Opened again while it runs: the same job is shown, not lost.
      await visit(page, url, '/dashboard');
      await visit(page, url, '/files?path=%2F');
      await page.locator('.file-jobs [role=progressbar]').waitFor();
      expect(await page.locator('.file-jobs .live-job').count()).toBe(1);
      hold.release();
      await page.locator('.toast', { hasText: 'Compressing is done.' }).waitFor();
      await page.locator('.file-jobs .live-job').waitFor({ state: 'detached' });
      await page.locator('tbody tr', { hasText: 'site-backup.tar.gz' }).waitFor();
      expect(existsSync(home('site-backup.tar.gz'))).toBe(true);
      expect(await bar.count()).toBe(0);
    }));
});
