// The SSL page's upload of a certificate bought elsewhere (key and certificate read from files, a
// key of another certificate refused in the panel's words), its removal, and the admin's card of the panel's own
// certificate, whose "Order now" shows the panel's refusal; neither card nor upload of another's
// domain reaches an account user.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selfSignedArgs } from '../self-signed.js';
import { useServices } from '../../../test/bed/index.js';
import { openAs, withUiPage } from '../../../test/ui/support/browser.js';
import { createAccount, startUiHostingPanel } from '../../../test/ui/support/hosting.js';
import { browserSuite } from '../../../test/ui/support/suite.js';

const bed = useServices('chromium');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'velopanel-ui-ssl-upload-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Paths of a self-signed certificate and its key for `domain`. */
function selfSigned(domain: string): { cert: string; key: string } {
  const key = path.join(tmp, `${domain}.key`);
  const cert = path.join(tmp, `${domain}.pem`);
  execFileSync('openssl', selfSignedArgs(domain, 60, key, cert), { stdio: 'pipe' });
  return { cert, key };
}

describe.skipIf(bed.skip)('ui: upload a certificate, the panel certificate', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel({
        extra: ['ssl'],
        config: { acme_email: '', server_hostname: 'localhost' },
        plugins: { ssl: { panel_certificate: 'acme' } },
      });
      // account:1, the test user's.
      await createAccount(h, { username: 'upowner', domain: 'upload-ui.test', email: 'o@upload-ui.test' }, 'reseller');
      return h;
    },
  );

  it(
    'installs an uploaded certificate and refuses a key that is not its own',
    () =>
      withUiPage(suite.browser, async (page) => {
        await openAs(page, suite.panel.panel.url, 'user', '/ssl');
        const row = page.locator('tbody tr', { has: page.getByText('upload-ui.test', { exact: true }) });
        await row.getByRole('button', { name: 'Upload' }).click();
        const dialog = page.getByRole('dialog');
        const mine = selfSigned('upload-ui.test');
        const other = selfSigned('other-ui.test');
        await dialog.getByLabel('Certificate from a file').setInputFiles(mine.cert);
        await dialog.getByLabel('Private key from a file').setInputFiles(other.key);
        await page.waitForFunction(() =>
          (document.querySelector('textarea[name=private_key]') as HTMLTextAreaElement)?.value.includes('PRIVATE KEY'),
        );
        await dialog.getByRole('button', { name: 'Upload certificate' }).click();
        await dialog.getByText(/private key does not match/i).waitFor();
        await dialog.getByLabel('Private key', { exact: true }).fill(readFileSync(mine.key, 'utf8'));
        await dialog.getByRole('button', { name: 'Upload certificate' }).click();
        // Installing reloads the web server, which a loaded machine may take a while to do.
        await page
          .locator('.toast', { hasText: 'The certificate of upload-ui.test was installed.' })
          .waitFor({ timeout: 90_000 });
        await row.locator('.badge', { hasText: 'valid' }).waitFor();
        const cert = await suite.panel.panel.request('GET', '/api/ssl/certificate/upload-ui.test');
        expect(cert.body.data.source).toBe('custom');
        // Removed after a confirmation: the row offers Upload again.
        await row.getByRole('button', { name: 'Remove' }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Remove certificate' }).click();
        await page.locator('.toast', { hasText: 'The certificate of upload-ui.test was removed.' }).waitFor();
        await row.locator('.badge', { hasText: 'no certificate' }).waitFor();
        expect((await suite.panel.panel.request('GET', '/api/ssl/certificate/upload-ui.test')).status).toBe(404);
        // A user gets no panel certificate card.
        expect(await page.getByRole('heading', { name: 'Panel certificate' }).count()).toBe(0);
      }),
    150_000,
  );

  it("shows the admin the panel's certificate and the panel's words when it cannot be ordered", () =>
    withUiPage(suite.browser, async (page) => {
      await openAs(page, suite.panel.panel.url, 'admin', '/ssl');
      const card = page.locator('.card', { has: page.getByRole('heading', { name: 'Panel certificate' }) });
      await card.getByText('yes: the panel orders and renews it').waitFor();
      await card.getByText('none stored').waitFor();
      await card.getByRole('button', { name: 'Order now' }).click();
      await card.getByText("server_hostname 'localhost' is not a public domain name").waitFor();
    }));
});
