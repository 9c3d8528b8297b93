// Background work a person can see and stop: the Jobs page follows running jobs live and cancels
// them, and a page opened again finds its work still running — the backups page shows the
// running backup instead of letting "Back up now" queue a second one.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';
import { steppedJobPlugin } from './support/stepped-job.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');
const SHOT_WIDTHS = [1366, 1280, 390] as const;

describe.skipIf(bed.skip)('ui: jobs seen again and cancelled', () => {
  const stepper = steppedJobPlugin();
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel({ extra: ['backups'], inline: [stepper.plugin] });
      expect(await createAccount(h, { username: 'jobsone', domain: 'jobs-one.test', email: 'one@jobs-one.test' })).toBe(
        1,
      );
      return h;
    },
  );
  const startJob = async (): Promise<string> =>
    (await suite.panel.panel.request('POST', '/api/stepper/run', { as: 'admin' })).body.data.id;
  const jobState = async (id: string): Promise<string> =>
    (await suite.panel.panel.request('GET', `/api/jobs/${id}`, { as: 'admin' })).body.data.state;
  const message = (page: Page, text: string) => page.locator('.live-job .progress-message', { hasText: text });

  it('lists a running job live, shows it again after navigating away, and cancels it', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      const id = await startJob();
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, url, '/jobs');
      const row = page.locator('main tr', { hasText: 'account:1' }).first();
      await row.locator('.badge', { hasText: 'running' }).waitFor();
      // The job counts bytes; the page says sizes.
      await stepper.advance({ percent: 30, message: '3040870 of about 203423744 bytes written' });
      await message(page, '2.9 MB of about 194 MB written').waitFor();

      await visit(page, url, '/');
      await visit(page, url, '/jobs');
      await message(page, '2.9 MB of about 194 MB written').waitFor();
      await expect(row.locator('[role=progressbar]').getAttribute('aria-valuenow')).resolves.toBe('30');
      await capture(page, 'jobs-running', SHOT_WIDTHS);

      await row.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel job' }).click();
      await row.locator('.badge', { hasText: 'cancelled' }).waitFor();
      await message(page, 'Backup: cancelled.').waitFor();
      expect(await row.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
      await expect(jobState(id)).resolves.toBe('cancelled');
      await capture(page, 'jobs-cancelled', SHOT_WIDTHS);
    }));

  it('shows a running backup on the backups page when it is opened again, and offers no second one', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      const backupJobs = async () =>
        (await suite.panel.panel.request('GET', '/api/jobs', { as: 'admin' })).body.data.filter((j: { kind: string }) =>
          j.kind.startsWith('backup.'),
        ).length;
      const id = await startJob();
      const before = await backupJobs();
      await stepper.advance({ percent: 40, message: 'Archiving files' });
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, url, '/backups');
      await message(page, 'Archiving files').waitFor();
      await expect(page.locator('.live-job .usage-label').textContent()).resolves.toBe('Backup of jobsone');
      await expect(page.getByRole('button', { name: 'Back up now' }).isDisabled()).resolves.toBe(true);
      await page.getByRole('button', { name: 'Back up now' }).click({ force: true });
      await capture(page, 'backups-running-again', SHOT_WIDTHS);

      await stepper.advance(null);
      await message(page, 'Backup of jobsone: finished.').waitFor();
      await expect(jobState(id)).resolves.toBe('succeeded');
      await page.waitForFunction(
        () => !(document.querySelector('main button.btn-primary') as HTMLButtonElement | null)?.disabled,
      );
      expect(await backupJobs()).toBe(before);
    }));
});
