// The DNS zone editor against the real dns plugin on PowerDNS: the zone list, the record table,
// adding a record with a validation message shown next to the field the API names, editing and
// deleting an RRset — each change answered over DNS.
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { dig } from '../bed/helpers/pdns.js';
import { dnsConfig } from '../dns/stack.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium', 'pdns');
const zone = `ui${process.pid.toString(36)}.test`;

describe.skipIf(bed.skip)('ui: DNS zone editor', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel({ extra: ['dns'], plugins: { dns: dnsConfig(bed.pdns) } });
      await createAccount(h, { username: 'dnsowner', domain: zone, email: `owner@${zone}` });
      return h;
    },
  );

  it('lists zones, adds, refuses with the message at the field, edits and deletes records', () =>
    withUiPage(suite.browser, async (page) => {
      const h = suite.panel;
      await logIn(page, h.panel.url, TEST_LOGINS.user, TEST_LOGINS.password);
      await visit(page, h.panel.url, '/domains'); // the zone is one click from its domain
      await page
        .locator('tbody tr', { has: page.getByText(zone, { exact: true }) })
        .getByRole('button', { name: 'DNS records' })
        .click();
      await page.locator('h1', { hasText: `DNS zone ${zone}` }).waitFor();
      await visit(page, h.panel.url, '/dns');
      const zoneRow = page.locator('tbody tr', { has: page.getByText(zone, { exact: true }) });
      await zoneRow.getByRole('button', { name: 'Records' }).click();
      await page.locator('h1', { hasText: `DNS zone ${zone}` }).waitFor();
      const row = (name: string, type: string) =>
        page
          .locator('tbody tr')
          .filter({
            has: page.locator('td[data-label=Name]', { hasText: new RegExp(`^${name.replace(/[.*]/g, '\\$&')}$`) }),
          })
          .filter({ has: page.locator('td[data-label=Type]', { hasText: new RegExp(`^${type}$`) }) });
      await expect(row('www', 'A').locator('td[data-label=Records]').textContent()).resolves.toBe('192.0.2.1');

      await page.getByRole('button', { name: 'Add record' }).click();
      const dlg = page.locator('dialog[open]');
      await dlg.locator('[name=name]').first().fill('api');
      await dlg.locator('[name=records]').fill('192.0.2.50\n999.1.1.1');
      await dlg.getByRole('button', { name: 'Add record' }).click();
      const fieldError = dlg.locator('[name=records] + .field-error');
      await fieldError.waitFor();
      await expect(fieldError.textContent()).resolves.toBe('Line 2: 999.1.1.1 is not an IPv4 address');
      await expect(dlg.locator('[name=records]').getAttribute('aria-invalid')).resolves.toBe('true');
      expect(await dig(bed.pdns, `api.${zone}`, 'A')).toEqual([]);
      await dlg.locator('[name=records]').fill('192.0.2.50\n192.0.2.51');
      await dlg.getByRole('button', { name: 'Add record' }).click();
      await row('api', 'A').waitFor();
      expect(await dig(bed.pdns, `api.${zone}`, 'A')).toEqual(['192.0.2.50', '192.0.2.51']);

      await row('api', 'A').getByRole('button', { name: 'Edit' }).click();
      await page.locator('dialog[open] [name=records]').fill('192.0.2.60');
      await page.locator('dialog[open]').getByRole('button', { name: 'Save' }).click();
      await page.locator('dialog[open]').waitFor({ state: 'detached' });
      await expect.poll(() => row('api', 'A').locator('td[data-label=Records]').textContent()).toBe('192.0.2.60');
      expect(await dig(bed.pdns, `api.${zone}`, 'A')).toEqual(['192.0.2.60']);

      await row('api', 'A').getByRole('button', { name: 'Delete' }).click();
      await page.locator('dialog[open]').getByRole('button', { name: 'Delete' }).click();
      await row('api', 'A').waitFor({ state: 'detached' });
      expect(await dig(bed.pdns, `api.${zone}`, 'A')).toEqual([]);
    }));
});
