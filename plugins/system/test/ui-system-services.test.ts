// The system page's "Managed services" card in real Chromium: in local mode with managed services
// on, each server is listed with its state and, when it cannot run, the panel's reason; where the
// panel manages nothing the card says so in words.
import { describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../../sdk/testing/index.js';
import { useServices } from '../../../test/bed/index.js';
import { openAs, withUiPage } from '../../../test/ui/support/browser.js';
import { uiConfig } from '../../../test/ui/support/client.js';
import { browserSuite } from '../../../test/ui/support/suite.js';

const bed = useServices('chromium');

/** A panel with the local-services plugin; `binaries` false points every server at a missing program. */
const panelWith = (managed: boolean): Promise<TestPanel> =>
  startTestPanel({
    plugins: ['system', 'ui', 'local-services'],
    config: {
      mode: 'local',
      plugins: {
        ...uiConfig(),
        'local-services': managed
          ? {
              managed_services: true,
              nginx_binary: 'no-such-nginx',
              mariadb_binary: 'no-such-mariadbd',
              php_fpm_binary: 'no-such-php-fpm',
              pdns_binary: 'no-such-pdns',
              postgresql_bin_dir: '/nonexistent/pg/bin',
            }
          : { managed_services: false },
      },
    } as never,
  });

describe.skipIf(bed.skip)('ui: managed services on the system page', () => {
  const managed = browserSuite(
    () => bed.chromium,
    () => panelWith(true),
  );
  const unmanaged = browserSuite(
    () => bed.chromium,
    () => panelWith(false),
  );

  it('lists each managed server with its state and why it is not running', () =>
    withUiPage(managed.browser, async (page) => {
      const api = (await managed.panel.request('GET', '/api/system/services')).body.data;
      expect(api.managed).toBe(true);
      await openAs(page, managed.panel.url, 'admin', '/system');
      const card = page.locator('.card', { has: page.getByRole('heading', { name: 'Managed services' }) });
      const nginx = card.locator('tbody tr', { hasText: 'nginx' });
      await nginx.waitFor();
      const state = api.services.find((s: { name: string }) => s.name === 'nginx').state;
      await expect(nginx.locator('.badge').textContent()).resolves.toBe(state);
      await nginx.getByText('no-such-nginx').waitFor();
      expect(await card.locator('tbody tr').count()).toBe(api.services.length);
    }));

  it('says in words when the panel manages no servers', () =>
    withUiPage(unmanaged.browser, async (page) => {
      await openAs(page, unmanaged.panel.url, 'admin', '/system');
      const card = page.locator('.card', { has: page.getByRole('heading', { name: 'Managed services' }) });
      await card.getByText('The panel runs no servers itself here').waitFor();
    }));
});
