// Nothing a person does in the file manager loses data: "New file" with the name of an existing
// file keeps it unless "Replace?" is confirmed, and the editor asks before unsaved changes are
// dropped — closing the editor, Back to another page, and reloading the tab.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, openPage, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

/**
 * Replace the editor's text the way a person would: select all, delete, type. Playwright's fill()
 * types over the highlighted spans, where Chromium's own editing tries to set a style attribute
 * that the panel's CSP refuses (a console error; CodeMirror redraws from its own text anyway).
 */
async function replaceText(page: Page, contents: Locator, text: string): Promise<void> {
  await contents.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.insertText(text);
}

const bed = useServices('chromium');
const WIDTHS = [1366, 1280, 390] as const;
const PAGE = '<?php echo "the live site";\n';

describe.skipIf(bed.skip)('ui: the file manager never loses data', () => {
  let id = 0;
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel();
      id = await createAccount(h, { username: 'keepdata', domain: 'keep-data.test', email: 'owner@keep-data.test' });
      return h;
    },
  );
  const onDisk = (rel: string) => readFileSync(path.join(suite.panel.homeBase, 'keepdata', rel), 'utf8');
  const put = (rel: string, content: string) =>
    suite.panel.panel.request('POST', '/api/files/write', { body: { account_id: id, path: rel, content } });

  it('"New file" with an existing name asks "Replace?" and keeps the file unless confirmed', () =>
    withUiPage(suite.browser, async (page) => {
      const url = suite.panel.panel.url;
      await put('/public_html/index.php', PAGE);
      const dialog = page.locator('dialog[open]').last();
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      await visit(page, url, '/files?path=/public_html');
      const newFile = async () => {
        await page.getByRole('button', { name: 'New file' }).click();
        await dialog.getByLabel('File name').fill('index.php');
        await dialog.getByRole('button', { name: 'Create file' }).click();
        await dialog.locator('.confirm-message', { hasText: 'index.php already exists in this folder.' }).waitFor();
      };
      await newFile();
      await capture(page, 'files-replace', WIDTHS);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      expect(onDisk('public_html/index.php')).toBe(PAGE);
      await expect(page.locator('.toast').allTextContents()).resolves.not.toContainEqual(
        expect.stringContaining('created'),
      );
      // The New file dialog is still there, name kept, for another try.
      await expect(dialog.getByLabel('File name').inputValue()).resolves.toBe('index.php');
      await dialog.getByLabel('File name').fill('new-page.php');
      await dialog.getByRole('button', { name: 'Create file' }).click();
      await page.locator('.toast', { hasText: 'new-page.php was created.' }).waitFor();
      expect(onDisk('public_html/new-page.php')).toBe('');
      expect(onDisk('public_html/index.php')).toBe(PAGE);

      await newFile();
      await dialog.getByRole('button', { name: 'Replace' }).click();
      await page.locator('.toast', { hasText: 'index.php was replaced.' }).waitFor();
      expect(onDisk('public_html/index.php')).toBe('');
    }));

  it('asks before closing the editor, leaving the page or reloading with unsaved changes', async () => {
    const url = suite.panel.panel.url;
    await put('/public_html/about.html', '<h1>About</h1>\n');
    const { page, watch, close } = await openPage(suite.browser, 1280);
    try {
      const dialog = page.locator('dialog[open]').last();
      const editor = page.locator('dialog[open]', { hasText: 'Edit /public_html/about.html' });
      // The code editor's text, line by line (CodeMirror draws each line as a .cm-line).
      const editorText = async () => (await editor.locator('.cm-line').allTextContents()).join('\n');
      await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
      // Reached in-app from the dashboard, so Back is a route change inside the panel.
      await visit(page, url, '/');
      await page.locator('nav a.nav-link', { hasText: 'Files' }).click();
      await page.getByRole('button', { name: 'public_html', exact: true }).click();
      await page.getByRole('button', { name: 'about.html', exact: true }).click();
      await replaceText(page, editor.getByLabel('Contents'), '<h1>About us</h1>\n<p>Draft</p>\n');

      // The editor's Close, its X and Escape all ask; "Cancel" keeps the text.
      await editor.locator('form').getByRole('button', { name: 'Close' }).click();
      await dialog
        .locator('.confirm-message', { hasText: 'Your changes to /public_html/about.html are not saved.' })
        .waitFor();
      await capture(page, 'files-unsaved', WIDTHS);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await editor.locator('.dialog-head').getByRole('button', { name: 'Close' }).click();
      await dialog.getByRole('button', { name: 'Discard changes' }).waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await editor.getByLabel('Contents').focus();
      await page.keyboard.press('Escape');
      await dialog.getByRole('button', { name: 'Discard changes' }).waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(editorText()).resolves.toBe('<h1>About us</h1>\n<p>Draft</p>\n');

      // Back to the dashboard: asked first; staying keeps the files page and the editor.
      await page.goBack();
      await dialog.getByRole('button', { name: 'Discard changes' }).waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/files?path=%2Fpublic_html');
      await expect(editorText()).resolves.toBe('<h1>About us</h1>\n<p>Draft</p>\n');

      // A reload or closing the tab: the browser's own prompt (a page cannot word it).
      const prompted = new Promise<string>((resolve) => page.once('dialog', (d) => resolve(d.type())));
      void page.reload().catch(() => undefined);
      await expect(prompted).resolves.toBe('beforeunload');
      expect(new URL(page.url()).pathname).toBe('/files');
      watch.dialogs.length = 0; // the prompt asserted above, dismissed by the page watch

      // Saving clears the guard: the file holds the text and leaving asks nothing.
      await editor.getByRole('button', { name: 'Save' }).click();
      await page.locator('.toast', { hasText: '/public_html/about.html was saved.' }).waitFor();
      expect(onDisk('public_html/about.html')).toBe('<h1>About us</h1>\n<p>Draft</p>\n');
      await page.getByRole('button', { name: 'about.html', exact: true }).click();
      await replaceText(page, editor.getByLabel('Contents'), 'thrown away');
      await page.goBack();
      await dialog.getByRole('button', { name: 'Discard changes' }).click();
      await page.locator('main h1', { hasText: 'Dashboard' }).waitFor();
      await expect(page.locator('dialog[open]').count()).resolves.toBe(0);
      expect(onDisk('public_html/about.html')).toBe('<h1>About us</h1>\n<p>Draft</p>\n');
      expect(watch.errors).toEqual([]);
      expect(watch.dialogs).toEqual([]);
    } finally {
      await close();
    }
  });
});
