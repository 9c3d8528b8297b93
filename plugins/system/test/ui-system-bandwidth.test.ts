// The system page's "Bandwidth" card against the bandwidth plugin on a private nginx: how it is
// measured and, after "Collect now", the collection the panel just made.
import { describe, expect, it } from 'vitest';
import { useServices } from '../../../test/bed/index.js';
import { openAs, withUiPage } from '../../../test/ui/support/browser.js';
import { createAccount, startUiHostingPanel } from '../../../test/ui/support/hosting.js';
import { browserSuite } from '../../../test/ui/support/suite.js';

const bed = useServices('chromium');

describe.skipIf(bed.skip)('ui: bandwidth metering on the system page', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel({ extra: ['bandwidth'] });
      await createAccount(h, { username: 'bwowner', domain: 'bw-ui.test', email: 'o@bw-ui.test' });
      return h;
    },
  );

  it('shows how bandwidth is measured and collects on request', () =>
    withUiPage(suite.browser, async (page) => {
      const before = (await suite.panel.panel.request('GET', '/api/bandwidth')).body.data;
      await openAs(page, suite.panel.panel.url, 'admin', '/system');
      const card = page.locator('.card', { has: page.getByRole('heading', { name: 'Bandwidth' }) });
      await card.getByText(before.detail).waitFor();
      await card.getByText(before.action, { exact: true }).waitFor();
      await card.getByRole('button', { name: 'Collect now' }).click();
      await page.locator('.toast', { hasText: 'Bandwidth collected:' }).waitFor();
      const after = (await suite.panel.panel.request('GET', '/api/bandwidth')).body.data;
      expect(after.last_collection).not.toBeNull();
      await card.getByText(/log(s)? read, .* counted for/).waitFor();
    }));
});
