// The SSL page against the real ssl plugin: valid and expiring certificates with their state,
// details, and a provisioning the CA cannot do shown as the API's words in the form.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, WIDTHS, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { browserSuite } from './support/suite.js';
import { capture } from './support/shots.js';

const bed = useServices('chromium');

/** A self-signed certificate for `domain`, valid for `days`. */
function selfSigned(dir: string, domain: string, days: number): { certificate: string; private_key: string } {
  const key = path.join(dir, `${domain}.key`);
  const cert = path.join(dir, `${domain}.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-subj',
      `/CN=${domain}`,
      '-days',
      String(days),
      '-addext',
      `subjectAltName=DNS:${domain}`,
    ],
    { stdio: 'pipe' },
  );
  return { certificate: readFileSync(cert, 'utf8'), private_key: readFileSync(key, 'utf8') };
}

describe.skipIf(bed.skip)('ui: SSL certificates', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const tmp = mkdtempSync(path.join(os.tmpdir(), 'velopanel-ui-ssl-'));
      const h = await startUiHostingPanel({ extra: ['ssl'], config: { acme_email: '' } });
      const id = await createAccount(h, {
        username: 'certowner',
        domain: 'valid-ui.test',
        email: 'owner@valid-ui.test',
      });
      await createAccount(h, { username: 'nocert', domain: 'nocert-ui.test', email: 'owner@nocert-ui.test' });
      const sub = await h.panel.request('POST', '/api/domains', {
        body: {
          account_id: id,
          domain_name: 'soon.valid-ui.test',
          domain_type: 'subdomain',
          document_root: `${h.homeBase}/certowner/soon`,
        },
      });
      expect(sub.status).toBe(200);
      for (const [domain, days] of [
        ['valid-ui.test', 90],
        ['soon.valid-ui.test', 3],
      ] as const) {
        const res = await h.panel.request('POST', '/api/ssl/upload', {
          body: { domain, ...selfSigned(tmp, domain, days) },
        });
        expect({ domain, status: res.status, error: res.body.error }).toEqual({
          domain,
          status: 200,
          error: undefined,
        });
      }
      rmSync(tmp, { recursive: true, force: true });
      return h;
    },
  );

  it('shows each domain\u2019s certificate state, its details, and a refused provisioning in words', () =>
    withUiPage(suite.browser, async (page) => {
      const h = suite.panel;
      const row = (domain: string) => page.locator('tbody tr', { has: page.getByText(domain, { exact: true }) });
      await logIn(page, h.panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, h.panel.url, '/ssl');
      await expect(page.locator('.page-header .subtitle').textContent()).resolves.toBe('1 valid 1 expiring 0 expired');
      await expect(row('valid-ui.test').locator('.badge').textContent()).resolves.toBe('valid');
      await expect(row('valid-ui.test').locator('td').nth(2).textContent()).resolves.toBe('valid-ui.test');
      await expect(row('soon.valid-ui.test').locator('.badge').textContent()).resolves.toMatch(/^expires in [0-2] d$/);
      await expect(row('nocert-ui.test').locator('.badge').textContent()).resolves.toBe('no certificate');
      await capture(page, 'page-ssl-certificates', WIDTHS);

      await row('valid-ui.test').getByRole('button', { name: 'Details' }).click();
      const details = page.locator('dialog[open]');
      await expect(details.locator('h2').textContent()).resolves.toBe('Certificate of valid-ui.test');
      await expect(details.locator('.facts').textContent()).resolves.toContain('Namesvalid-ui.test');
      await details.getByRole('button', { name: 'Close' }).click();

      const state = await suite.panel.panel.request('GET', '/api/ssl/acme', { as: 'user' });
      expect(state.body.data).toEqual({ ready: false, reason: expect.stringMatching(/^acme_email is not set: /) });
      // Without acme_email nothing can be ordered: the page says so before any click, and offers no Provision.
      const why = page.locator('main .notice', { hasText: 'Certificates cannot be ordered yet' });
      await why.waitFor();
      await expect(why.textContent()).resolves.toContain(
        'acme_email is not set: add acme_email = "you@example.com" to the panel configuration',
      );
      await expect(row('nocert-ui.test').getByRole('button', { name: 'Provision' }).isDisabled()).resolves.toBe(true);
      await expect(
        page.locator('main .page-header').getByRole('button', { name: 'Provision' }).isDisabled(),
      ).resolves.toBe(true);
      await capture(page, 'ssl-no-acme-email', [1366, 1280, 390]);
    }));
});
