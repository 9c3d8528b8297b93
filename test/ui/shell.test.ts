// The frame around the pages: a third-party plugin's page, pages whose plugin is missing or
// disabled, keyboard use, and API errors shown in words.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, settle, visit, withUiPage } from './support/browser.js';
import { startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');

/** A plugin as an outside author ships it: plain ES modules, no import of the panel's code. */
function writeThirdPartyPlugin(dir: string): void {
  const root = path.join(dir, 'mirror');
  mkdirSync(path.join(root, 'ui'), { recursive: true });
  writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ name: 'velopanel-mirror', type: 'module', main: 'index.js' }),
  );
  writeFileSync(
    path.join(root, 'index.js'),
    `import { fileURLToPath } from 'node:url';
export default {
  manifest: { id: 'mirror', name: 'Backup mirror', version: '0.1.0', sdk: '^1.0.0', provides: ['ui-navigation'] },
  start(ctx) {
    ctx.extensions.provide({ id: 'ui-navigation', owner: 'ui' }, 'mirror', {
      label: 'Backup mirror', path: '/mirror', section: 'server', roles: ['admin'],
      assetsDir: fileURLToPath(new URL('./ui', import.meta.url)), module: 'page.js', stylesheet: 'page.css',
    });
  },
};
`,
  );
  writeFileSync(
    path.join(root, 'ui', 'page.js'),
    `export default async function render(root, { h, api, user }) {
  root.append(h('h1', null, 'Backup mirror'), h('p', { id: 'mirror-user', class: 'mirror-note' }, 'Signed in as ' + user.username));
  const plugins = await api('GET', '/api/plugins');
  root.append(h('p', { id: 'mirror-count' }, plugins.length + ' plugins'));
  return () => document.body.classList.remove('mirror-open');
}
`,
  );
  writeFileSync(path.join(root, 'ui', 'page.css'), '.mirror-note { color: rgb(1, 2, 3); }\n');
}

describe.skipIf(bed.skip)('ui: frame, extension pages, availability, keyboard', () => {
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const thirdParty = mkdtempSync(path.join(os.tmpdir(), 'velopanel-ui-3p-'));
      writeThirdPartyPlugin(thirdParty);
      const h = await startUiHostingPanel({ config: { plugins_dir: thirdParty } });
      return {
        ...h,
        stop: async () => {
          await h.stop();
          rmSync(thirdParty, { recursive: true, force: true });
        },
      };
    },
  );

  it('shows a third-party plugin\u2019s page from its own assets, for the roles it names', async () => {
    const h = suite.panel;
    await withUiPage(suite.browser, async (page) => {
      await logIn(page, h.panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Backup mirror' }).click();
      await page.waitForURL('**/mirror');
      await page.locator('main h1', { hasText: 'Backup mirror' }).waitFor();
      await page.locator('#mirror-count').waitFor();
      await expect(page.locator('#mirror-user').textContent()).resolves.toBe(`Signed in as ${TEST_LOGINS.admin}`);
      await expect(page.locator('#mirror-count').textContent()).resolves.toMatch(/^\d+ plugins$/);
      await expect(page.locator('#mirror-user').evaluate((el) => getComputedStyle(el).color)).resolves.toBe(
        'rgb(1, 2, 3)',
      );
      await visit(page, h.panel.url, '/');
      expect(await page.locator('link[href="/ui/plugins/mirror/page.css"]').count()).toBe(0);
    });
    await withUiPage(suite.browser, async (page) => {
      await logIn(page, h.panel.url, TEST_LOGINS.user, TEST_LOGINS.password);
      expect(await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Backup mirror' }).count()).toBe(0);
    });
  });

  it('disables a plugin from its page after confirming, then says why its page is not available', () =>
    withUiPage(suite.browser, async (page) => {
      const h = suite.panel;
      const files = page.locator('tbody tr', { hasText: 'File Manager' });
      await logIn(page, h.panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, h.panel.url, '/plugins');
      await files.getByRole('button', { name: 'Disable' }).click();
      await page.locator('dialog[open]').getByRole('button', { name: 'Disable' }).click();
      await files.locator('.badge', { hasText: 'disabled' }).waitFor();
      await visit(page, h.panel.url, '/files');
      await expect(page.locator('main .notice-unavailable').textContent()).resolves.toBe(
        'Not available: plugin files is disabled — disabled by an administrator.',
      );
      await visit(page, h.panel.url, '/plugins');
      await files.getByRole('button', { name: 'Enable' }).click();
      await files.locator('.badge', { hasText: 'active' }).waitFor();
      await visit(page, h.panel.url, '/databases');
      await expect(page.locator('main .notice-unavailable').textContent()).resolves.toBe(
        'Not available: the databases plugin is not installed on this panel.',
      );
    }));

  it('sends the user back to the login when the session ends, and returns to the page after', () =>
    withUiPage(suite.browser, async (page) => {
      const h = suite.panel;
      await logIn(page, h.panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await page.context().clearCookies();
      await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Accounts' }).click();
      await page.waitForURL('**/login?next=%2Faccounts');
      await page.getByText('Please log in to continue.').waitFor();
      await page.getByLabel('Username').fill(TEST_LOGINS.admin);
      await page.getByLabel('Password').fill(TEST_LOGINS.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL('**/accounts');
      await page.locator('main h1', { hasText: 'Accounts' }).waitFor();
    }));

  it('opens the navigation as a drawer on a phone and closes it after a choice', () =>
    withUiPage(
      suite.browser,
      async (page) => {
        const h = suite.panel;
        await logIn(page, h.panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
        const menu = page.getByRole('button', { name: 'Menu' });
        const link = page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Domains' });
        expect(await link.isVisible()).toBe(false);
        await menu.click();
        await expect(menu.getAttribute('aria-expanded')).resolves.toBe('true');
        await link.waitFor({ state: 'visible' });
        await capture(page, 'nav-drawer', [390]);
        await link.click();
        await page.waitForURL('**/domains');
        await expect(menu.getAttribute('aria-expanded')).resolves.toBe('false');
        await link.waitFor({ state: 'hidden' });
      },
      390,
    ));

  it('works from the keyboard: skip link, navigation, a modal dialog that closes on Escape and returns focus', () =>
    withUiPage(suite.browser, async (page) => {
      await page.goto(`${suite.panel.panel.url}/login`);
      await page.getByLabel('Username').waitFor();
      await expect(page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).resolves.toBe(
        'username',
      );
      await page.keyboard.type(TEST_LOGINS.admin);
      await page.keyboard.press('Tab');
      await page.keyboard.type(TEST_LOGINS.password);
      await page.keyboard.press('Enter');
      await page.locator('.user-name').waitFor();
      await settle(page);
      await page.keyboard.press('Tab');
      await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
      let label = '';
      for (let i = 0; i < 10 && label !== 'Accounts'; i++) {
        await page.keyboard.press('Tab');
        label = (await page.evaluate(() => document.activeElement?.textContent)) ?? '';
      }
      expect(label).toBe('Accounts');
      await page.keyboard.press('Enter');
      await page.waitForURL('**/accounts');
      await settle(page);
      const create = page.getByRole('button', { name: 'Create account' });
      await create.focus();
      await page.keyboard.press('Enter');
      await page.locator('dialog[open]').waitFor();
      await expect(page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).resolves.toBe(
        'username',
      );
      await page.keyboard.press('Escape');
      await page.locator('dialog[open]').waitFor({ state: 'detached' });
      await expect(create.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    }));

  it('shows the API\u2019s error in words inside the form, never raw JSON', () =>
    withUiPage(suite.browser, async (page) => {
      const h = suite.panel;
      await logIn(page, h.panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, h.panel.url, '/accounts');
      await page.getByRole('button', { name: 'Create account' }).click();
      const dlg = page.locator('dialog[open]');
      await dlg.getByLabel('Username').fill('root');
      await dlg.getByLabel('Primary domain').fill('root-site.test');
      await dlg.getByLabel('Contact email').fill('root@root-site.test');
      await dlg.getByLabel('Password').fill('Root-Pass-123');
      await dlg.getByRole('button', { name: 'Create account', exact: true }).click();
      // The API names the field (`username: …`): its words sit under that field, which is marked.
      const error = dlg
        .locator('.field', { has: page.getByLabel('Username') })
        .locator('.field-error', { hasText: 'reserved' });
      await error.waitFor();
      await expect(error.textContent()).resolves.toBe("'root' is reserved (a privileged system group or user name)");
      await expect(dlg.getByLabel('Username').getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(dlg.locator('.form-error').isHidden()).resolves.toBe(true);
    }));
});
