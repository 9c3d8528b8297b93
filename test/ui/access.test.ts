// "SSH & cron" page on a linux-mode panel: the account's keys and shell, its cron jobs with each
// schedule in words, a job added through the form (a bad schedule refused in the dialog), a key
// removed after confirmation, the shell set by the admin.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { removeLeftoverUsers } from '../accounts/linux-users.js';
import { requireRoot, useServices } from '../bed/index.js';
import { logIn, visit, WIDTHS, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');
const root = requireRoot();
const prefix = `vpu${randomBytes(2).toString('hex')}`;
const keys = mkdtempSync(path.join(os.tmpdir(), 'access-ui-'));
afterAll(() => {
  rmSync(keys, { recursive: true, force: true });
  removeLeftoverUsers(prefix);
});

describe.skipIf(bed.skip || root.skip)('ui: SSH & cron', () => {
  let id = 0;
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      // Shells need an sshd configuration that includes the panel's Match file (no sshd runs here).
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(keys, 'host')]);
      const match = path.join(keys, 'velopanel.conf');
      writeFileSync(path.join(keys, 'sshd_config'), `HostKey ${path.join(keys, 'host')}\nInclude ${match}\n`);
      const access = {
        sshd_config: path.join(keys, 'sshd_config'),
        match_file: match,
        sshd_pid_file: path.join(keys, 'none.pid'),
      };
      const h = await startUiHostingPanel({ extra: ['access'], config: { mode: 'linux' }, plugins: { access } });
      id = await createAccount(h, { username: `${prefix}a`, domain: `${prefix}a.test`, email: 'ops@example.com' });
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'laptop@home', '-f', path.join(keys, 'k')]);
      await h.panel.request('POST', `/api/accounts/${id}/ssh-keys`, {
        body: { public_key: readFileSync(path.join(keys, 'k.pub'), 'utf8') },
      });
      await h.panel.request('POST', `/api/accounts/${id}/cron`, {
        body: { schedule: '30 2 * * 1-5', command: 'php public_html/cron.php', email: 'ops@example.com' },
      });
      return h;
    },
  );

  it('lists keys and jobs, adds a job and removes a key', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      const dialog = page.locator('dialog[open]');
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, url, '/access');
      await page.locator('tbody tr', { hasText: 'laptop@home' }).waitFor();
      expect(await page.locator('main').textContent()).toContain('at 02:30, on Monday to Friday');
      await page.getByRole('button', { name: 'Add job' }).click();
      await dialog.getByLabel('Schedule').fill('*/15 * * * * evil');
      await dialog.getByLabel('Command').fill('echo hi');
      await dialog.getByRole('button', { name: 'Add job' }).click();
      // The API's `schedule: …` message sits under the Schedule input.
      await dialog
        .locator('.field', { has: page.getByLabel('Schedule') })
        .locator('.field-error', { hasText: 'exactly five fields' })
        .waitFor();
      await dialog.getByLabel('Schedule').fill('*/15 * * * *');
      await dialog.getByRole('button', { name: 'Add job' }).click();
      await page.locator('.toast', { hasText: 'The job runs every 15 minutes.' }).waitFor();
      await page.locator('tbody tr', { hasText: 'every 15 minutes' }).waitFor();
      expect(execFileSync('crontab', ['-l', '-u', `${prefix}a`]).toString()).toContain('*/15 * * * * echo hi\n');
      await capture(page, 'page-access', WIDTHS);
      await page.locator('tbody tr', { hasText: 'laptop@home' }).getByRole('button', { name: 'Remove' }).click();
      await dialog.getByRole('button', { name: 'Remove key' }).click();
      await page.locator('.toast', { hasText: 'The key was removed.' }).waitFor();
      expect((await suite.panel.panel.request('GET', `/api/accounts/${id}/ssh-keys`)).body.data.keys).toEqual([]);
      await page.getByLabel('Set shell').selectOption('nologin');
      await page.locator('.toast', { hasText: `The shell of ${prefix}a was changed.` }).waitFor();
      await page.getByText('(set by an admin)').waitFor();
      expect((await suite.panel.panel.request('GET', `/api/accounts/${id}/shell`)).body.data).toMatchObject({
        shell: 'nologin',
        source: 'admin',
      });
    }));
});
