// The Backup targets page in real Chromium, against the test bed's S3 server and sshd: reached
// from the navigation, an S3 and an SFTP target are added through its forms (a refused setting is
// named under its field and creates nothing), tested, edited without the secret ever coming back
// into the page or the console, offered to the schedule form and to "Back up now" (a backup is
// stored on S3), and one is deleted after a confirmation.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServices } from '../../../test/bed/index.js';
import { fieldError, openAs, withUiPage } from '../../../test/ui/support/browser.js';
import { createAccount, startUiHostingPanel } from '../../../test/ui/support/hosting.js';
import { capture } from '../../../test/ui/support/shots.js';
import { browserSuite } from '../../../test/ui/support/suite.js';

const bed = useServices('chromium', 'sshd', 's3');

describe.skipIf(bed.skip)('ui: backup targets', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel({ extra: ['backups', 'backup-s3', 'backup-sftp'] });
      await createAccount(h, { username: 'tgtone', domain: 'tgt-one.test', email: 'one@tgt-one.test' });
      return h;
    },
  );
  const targetIds = async () =>
    ((await suite.panel.panel.request('GET', '/api/backups/targets', { as: 'admin' })).body.data as any[])
      .map((t) => t.id)
      .sort();
  // The key's body, without its armour lines: what would show if the key were put back on the page.
  const keyBody = () => bed.sshd.privateKey.split('\n')[1]!;
  // The bed's S3 secret is its access key id too (s3rver's fixed pair), which the page may show;
  // s3rver checks the key id but not V4 signatures, so the target gets a secret of its own to look for.
  const s3Secret = `ui-secret-${process.pid}-${Date.now()}`;
  const secretsIn = (text: string) =>
    [s3Secret, bed.sshd.password, keyBody()].filter((secret) => text.includes(secret));
  const secretsInPage = async (page: Page) =>
    secretsIn(
      (await page.content()) +
        (await page.evaluate(() =>
          [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')]
            .map((c) => c.value)
            .join('\n'),
        )),
    );

  it('adds, tests, edits and deletes S3 and SFTP targets through the page', () =>
    withUiPage(suite.browser, async (page) => {
      const consoleLines: string[] = [];
      page.on('console', (m) => consoleLines.push(m.text()));
      await openAs(page, suite.panel.panel.url, 'admin', '/');
      await page.locator('nav a', { hasText: 'Backup targets' }).click();
      await page.getByRole('heading', { name: 'Backup targets', level: 1 }).waitFor();
      const card = page.locator('section.card', { hasText: 'Backup targets' });
      await card.locator('tr', { hasText: 'local' }).getByText('not tested yet').waitFor();

      // S3: a bucket name the API refuses is named under its field, and nothing is created.
      await card.getByRole('button', { name: 'Add target' }).click();
      const add = page.getByRole('dialog');
      await add.getByLabel('Kind').selectOption({ label: 'S3 bucket' });
      await add.getByLabel('Name').fill('bucketone');
      await add.getByLabel('Endpoint').fill(bed.s3.endpoint);
      await add.getByLabel('Bucket').fill('Not_A_Bucket');
      await add.getByLabel('Prefix').fill('ui-targets/');
      await add.getByLabel('Access key id').fill('NOSUCHKEY');
      await add.getByLabel('Secret access key').fill(s3Secret);
      expect(await add.getByLabel('Path-style URLs').isChecked()).toBe(true);
      await add.getByRole('button', { name: 'Add target' }).click();
      await expect(fieldError(add, 'Bucket').textContent()).resolves.toBe(
        'Bucket must be a bucket name (3–63 lowercase letters, digits, dots, dashes)',
      );
      expect(await targetIds()).toEqual(['local']);
      await add.getByLabel('Bucket').fill(bed.s3.bucket);
      await add.getByRole('button', { name: 'Add target' }).click();
      const s3Row = card.locator('tr', { hasText: 'bucketone' });
      await s3Row.getByText(`s3://${bed.s3.bucket}/ui-targets/`).waitFor();
      await s3Row.getByRole('button', { name: 'Test connection' }).click();
      await page.locator('.toast', { hasText: 'Backup target bucketone failed its test' }).waitFor();
      await s3Row.getByText('test failed').waitFor();

      // SFTP with a key: without a password or key the API's message is shown, and nothing is created.
      await card.getByRole('button', { name: 'Add target' }).click();
      const sftp = page.getByRole('dialog');
      await sftp.getByLabel('Kind').selectOption({ label: 'SFTP server' });
      await sftp.getByLabel('Name').fill('sshbox');
      await sftp.getByLabel('Host', { exact: true }).fill(bed.sshd.host);
      await sftp.getByLabel('Port').fill(String(bed.sshd.port));
      await sftp.getByLabel('Login').fill(bed.sshd.username);
      await sftp.getByLabel('Host key').fill(bed.sshd.hostKey);
      await sftp.getByLabel('Directory').fill('ui-sftp');
      await sftp.getByRole('button', { name: 'Add target' }).click();
      await expect(fieldError(sftp, 'Password').textContent()).resolves.toBe(
        'A password or a private_key is required.',
      );
      expect(await targetIds()).toEqual(['bucketone', 'local']);
      await capture(page, 'backup-target-sftp-form', [1280]);
      await sftp.getByLabel('Private key').fill(bed.sshd.privateKey);
      await sftp.getByRole('button', { name: 'Add target' }).click();
      const sftpRow = card.locator('tr', { hasText: 'sshbox' });
      await sftpRow.getByText(`${bed.sshd.username}@${bed.sshd.host}:${bed.sshd.port} ui-sftp`).waitFor();
      await sftpRow.getByRole('button', { name: 'Test connection' }).click();
      await page.locator('.toast', { hasText: 'Backup target sshbox is reachable and writable.' }).waitFor();
      await sftpRow.getByText('test passed').waitFor();

      // The login moves from the key to the password: the stored key is removed, the test still passes.
      await sftpRow.getByRole('button', { name: 'Edit' }).click();
      const move = page.getByRole('dialog');
      expect(await move.getByLabel(/^Private key/).inputValue()).toBe('');
      await move.getByLabel(/^Password/).fill(bed.sshd.password);
      await move.getByLabel('Remove the stored private key').check();
      const sent = page.waitForRequest((r) => r.method() === 'PATCH');
      await move.getByRole('button', { name: 'Save changes' }).click();
      expect((await sent).postDataJSON().config).toMatchObject({ private_key: null, password: bed.sshd.password });
      expect((await sent).postDataJSON().config).not.toHaveProperty('passphrase');
      await sftpRow.getByText('not tested yet').waitFor();
      await sftpRow.getByRole('button', { name: 'Test connection' }).click();
      await sftpRow.getByText('test passed').waitFor();
      await capture(page, 'backup-targets', [1280, 390]);

      // Editing shows the settings but never the secret; left empty, the stored secret is kept.
      await s3Row.getByRole('button', { name: 'Edit' }).click();
      const edit = page.getByRole('dialog');
      expect(await edit.getByLabel('Bucket').inputValue()).toBe(bed.s3.bucket);
      expect(await edit.getByLabel('Secret access key').inputValue()).toBe('');
      expect(await secretsInPage(page)).toEqual([]);
      await edit.getByLabel('Access key id').fill(bed.s3.accessKeyId);
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await s3Row.getByText('not tested yet').waitFor();
      await s3Row.getByRole('button', { name: 'Test connection' }).click();
      await page.locator('.toast', { hasText: 'Backup target bucketone is reachable and writable.' }).waitFor();
      await s3Row.getByText('test passed').waitFor();
      await s3Row.getByRole('button', { name: 'Edit' }).click();
      await page.getByRole('dialog').getByLabel('Prefix').fill('ui-edited/');
      await page.getByRole('dialog').getByRole('button', { name: 'Save changes' }).click();
      await s3Row.getByText(`s3://${bed.s3.bucket}/ui-edited/`).waitFor();
      await s3Row.getByRole('button', { name: 'Test connection' }).click();
      await s3Row.getByText('test passed').waitFor();

      // The schedule form offers the new targets.
      await page.goto(`${suite.panel.panel.url}/backups`);
      await page
        .locator('section.card', { hasText: 'Backup schedules' })
        .getByRole('button', { name: 'New schedule' })
        .click();
      const stores = page.getByRole('dialog').getByLabel('Store on');
      await expect(stores.locator('option').allTextContents()).resolves.toEqual([
        'The default target',
        'local (Local directory)',
        'bucketone (Amazon S3 or S3-compatible storage)',
        'sshbox (SFTP server)',
      ]);
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

      // "Back up now" may store the backup on a chosen target.
      await page
        .getByLabel('Store the backup on')
        .selectOption({ label: 'On bucketone (Amazon S3 or S3-compatible storage)' });
      await page.getByRole('button', { name: 'Back up now' }).click();
      await page.locator('.progress-done').waitFor({ timeout: 120_000 });
      const made = page
        .locator('section.card', { hasText: 'Backups of tgtone' })
        .locator('tr', { hasText: /tgtone-\d{8}/ });
      await made.locator('.badge', { hasText: 'bucketone' }).waitFor();

      // Delete asks first; a cancelled confirmation keeps the target.
      await page.locator('nav a', { hasText: 'Backup targets' }).click();
      const again = page.locator('section.card', { hasText: 'Backup targets' }).locator('tr', { hasText: 'sshbox' });
      await again.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
      expect(await targetIds()).toEqual(['bucketone', 'local', 'sshbox']);
      await again.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete target' }).click();
      await page.locator('.toast', { hasText: 'Backup target sshbox was deleted.' }).waitFor();
      await again.waitFor({ state: 'detached' });
      expect(await targetIds()).toEqual(['bucketone', 'local']);

      expect(await secretsInPage(page)).toEqual([]);
      expect(secretsIn(consoleLines.join('\n'))).toEqual([]);
    }));
});
