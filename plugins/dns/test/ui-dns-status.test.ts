// The admin's "DNS server" card on the DNS page, against the dns plugin on PowerDNS: the engine,
// the server's version, and the start-up reconciliation that made the account's zone; Reconcile
// runs it again. An account user sees no such card.
import { describe, expect, it } from 'vitest';
import { useServices } from '../../../test/bed/index.js';
import { dnsConfig } from '../../../test/dns/stack.js';
import { openAs, withUiPage } from '../../../test/ui/support/browser.js';
import { createAccount, startUiHostingPanel } from '../../../test/ui/support/hosting.js';
import { browserSuite } from '../../../test/ui/support/suite.js';

const bed = useServices('chromium', 'pdns');
const zone = `st${process.pid.toString(36)}.test`;

describe.skipIf(bed.skip)('ui: DNS server status', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel({ extra: ['dns'], plugins: { dns: dnsConfig(bed.pdns) } });
      await createAccount(h, { username: 'dnsstat', domain: zone, email: `owner@${zone}` }, 'reseller');
      return h;
    },
  );

  it('shows the admin the server, its version and the last reconciliation', () =>
    withUiPage(suite.browser, async (page) => {
      const status = (await suite.panel.panel.request('GET', '/api/dns/status')).body.data;
      expect(status.server.available).toBe(true);
      await openAs(page, suite.panel.panel.url, 'admin', '/dns');
      const card = page.locator('.card', { has: page.getByRole('heading', { name: 'DNS server' }) });
      await card.getByText(status.engine, { exact: true }).waitFor();
      await card.getByText(status.server.version).waitFor();
      await card.locator('.badge', { hasText: 'answering' }).waitFor();
      await page.getByRole('button', { name: 'Reconcile' }).click();
      await page.locator('.toast', { hasText: 'Zones reconciled' }).waitFor();
      await card.locator('.badge', { hasText: /^done$/ }).waitFor();
      const after = (await suite.panel.panel.request('GET', '/api/dns/status')).body.data.reconciliation;
      expect(after.state).toBe('done');
    }));

  it('is not shown to an account user', () =>
    withUiPage(suite.browser, async (page) => {
      await openAs(page, suite.panel.panel.url, 'user', '/dns');
      await page.locator('tbody tr', { hasText: zone }).waitFor();
      expect(await page.getByRole('heading', { name: 'DNS server' }).count()).toBe(0);
    }));
});
