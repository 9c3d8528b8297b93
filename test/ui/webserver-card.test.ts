// The dashboard's web-server card in real Chromium: the admin rebuilds every vhost config after a
// confirmation (a config removed by hand is written again); a reseller is offered neither action.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useServices } from '../bed/index.js';
import { openAs, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');

describe.skipIf(bed.skip)('ui: web-server card', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel();
      await createAccount(h, { username: 'rebuild', domain: 'rebuild-ui.test', email: 'o@rebuild-ui.test' });
      return h;
    },
  );

  it('rebuilds the configs after a confirmation, writing a removed one again', () =>
    withUiPage(suite.browser, async (page) => {
      const sites = suite.panel.nginx!.sitesDir;
      const file = readdirSync(sites).find((f) => f.includes('rebuild-ui.test'));
      expect(file).toBeDefined();
      rmSync(path.join(sites, file!));
      await openAs(page, suite.panel.panel.url, 'admin', '/');
      const card = page.locator('section.card', { hasText: 'Web server' });
      await card.getByRole('button', { name: 'Rebuild configs' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Rebuild configs' }).click();
      await page.locator('.toast', { hasText: /^Configs rebuilt: [1-9]\d* changed/ }).waitFor();
      expect(existsSync(path.join(sites, file!))).toBe(true);
    }));

  it('offers a reseller neither Reload nor Rebuild', () =>
    withUiPage(suite.browser, async (page) => {
      await openAs(page, suite.panel.panel.url, 'reseller', '/');
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await page.getByRole('button', { name: 'Rebuild configs' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Reload' }).count()).toBe(0);
    }));
});
