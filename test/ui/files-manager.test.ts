// The file manager as people use it: several entries checked and copied, moved, compressed or
// deleted at once; an archive extracted from its row; files dropped from the desktop onto the
// listing upload with progress; and files open in a code editor (line numbers, highlighting by
// file type, search), not a plain text box.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, visit, withUiPage } from './support/browser.js';
import { createAccount, startUiHostingPanel } from './support/hosting.js';
import { capture } from './support/shots.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');
const WIDTHS = [1366, 1280, 390] as const;

describe.skipIf(bed.skip)('ui: file manager selection, archives, drop upload and code editor', () => {
  let id = 0;
  const suite = browserSuite(
    () => bed.chromium,
    async () => {
      const h = await startUiHostingPanel();
      id = await createAccount(h, { username: 'fileman', domain: 'file-man.test', email: 'owner@file-man.test' });
      return h;
    },
  );
  const home = (rel: string) => path.join(suite.panel.homeBase, 'fileman', rel);
  const call = (route: string, body: Record<string, unknown>) =>
    suite.panel.panel.request('POST', route, { body: { account_id: id, ...body } });
  const put = (rel: string, content: string) => call('/api/files/write', { path: rel, content });
  const open = async (page: Page, dir: string) => {
    const url = suite.panel.panel.url;
    await logIn(page, url, TEST_LOGINS.admin, TEST_LOGINS.password);
    await visit(page, url, `/files?path=${encodeURIComponent(dir)}`);
  };
  const toast = (page: Page, text: string) => page.locator('.toast', { hasText: text }).waitFor();

  it('copies, moves, compresses, extracts and deletes the checked entries', () =>
    withUiPage(suite.browser, async (page) => {
      await call('/api/files/mkdir', { path: '/site' });
      await put('/site/a.txt', 'alpha\n');
      await put('/site/b.txt', 'bravo\n');
      await put('/site/keep.txt', 'kept\n');
      await call('/api/files/mkdir', { path: '/copies' });
      await call('/api/files/mkdir', { path: '/moved' });
      const dialog = page.locator('dialog[open]').last();
      await open(page, '/site');
      await expect(page.locator('.selection-count').textContent()).resolves.toBe('Nothing selected');

      await page.getByLabel('Select a.txt').check();
      await page.getByLabel('Select b.txt').check();
      await expect(page.locator('.selection-count').textContent()).resolves.toBe('2 selected');
      await capture(page, 'files-selection', WIDTHS);
      await page.getByRole('button', { name: 'Copy to…' }).click();
      await dialog.getByLabel('Destination folder').fill('/copies');
      await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
      await toast(page, 'Copied 2 items to /copies.');
      expect(readFileSync(home('copies/a.txt'), 'utf8')).toBe('alpha\n');
      expect(readFileSync(home('copies/b.txt'), 'utf8')).toBe('bravo\n');
      expect(existsSync(home('site/a.txt'))).toBe(true);
      expect(existsSync(home('copies/keep.txt'))).toBe(false);

      // The listing reloads with nothing checked; move one entry.
      await expect(page.getByLabel('Select a.txt').isChecked()).resolves.toBe(false);
      await page.getByLabel('Select a.txt').check();
      await page.getByRole('button', { name: 'Move to…' }).click();
      await dialog.getByLabel('Destination folder').fill('/moved');
      await dialog.getByRole('button', { name: 'Move', exact: true }).click();
      await toast(page, 'Moved a.txt to /moved.');
      expect(existsSync(home('site/a.txt'))).toBe(false);
      expect(readFileSync(home('moved/a.txt'), 'utf8')).toBe('alpha\n');

      // Compress all that is left into one archive, then extract it elsewhere from its row.
      await page.getByLabel('Select all').check();
      await expect(page.locator('.selection-count').textContent()).resolves.toBe('2 selected');
      await page.getByRole('button', { name: 'Compress' }).click();
      await dialog.getByLabel('Archive name').fill('bundle');
      await dialog.getByRole('button', { name: 'Compress' }).click();
      await toast(page, 'Compressing into bundle.tar.gz is done.');
      expect(existsSync(home('site/bundle.tar.gz'))).toBe(true);
      await page.locator('tr', { hasText: 'bundle.tar.gz' }).getByRole('button', { name: 'Extract' }).click();
      await dialog.getByLabel('Extract into folder').fill('/unpacked');
      await dialog.getByRole('button', { name: 'Extract' }).click();
      await toast(page, 'Extracting bundle.tar.gz is done.');
      expect(readFileSync(home('unpacked/b.txt'), 'utf8')).toBe('bravo\n');
      expect(readFileSync(home('unpacked/keep.txt'), 'utf8')).toBe('kept\n');

      // Delete several at once, after confirming.
      await page.getByLabel('Select b.txt').check();
      await page.getByLabel('Select keep.txt').check();
      await page.locator('.selection-bar').getByRole('button', { name: 'Delete' }).click();
      await dialog.getByRole('button', { name: 'Delete' }).click();
      await toast(page, 'Deleted 2 items.');
      expect(existsSync(home('site/b.txt'))).toBe(false);
      expect(existsSync(home('site/keep.txt'))).toBe(false);
      expect(existsSync(home('site/bundle.tar.gz'))).toBe(true);
    }));

  it('uploads files dropped on the listing into the folder shown', () =>
    withUiPage(suite.browser, async (page) => {
      await call('/api/files/mkdir', { path: '/drop' });
      await open(page, '/drop');
      const files = await page.evaluateHandle(() => {
        const dt = new DataTransfer();
        dt.items.add(new File(['first dropped\n'], 'one.txt', { type: 'text/plain' }));
        dt.items.add(new File(['second dropped\n'], 'two.txt', { type: 'text/plain' }));
        return dt;
      });
      const listing = page.locator('.file-listing');
      await listing.dispatchEvent('dragover', { dataTransfer: files });
      await expect(listing.getAttribute('class')).resolves.toContain('drop-target');
      await listing.dispatchEvent('drop', { dataTransfer: files });
      await toast(page, '2 files were uploaded.');
      await page.locator('.uploads', { hasText: 'two.txt uploaded.' }).waitFor();
      expect(readFileSync(home('drop/one.txt'), 'utf8')).toBe('first dropped\n');
      expect(readFileSync(home('drop/two.txt'), 'utf8')).toBe('second dropped\n');
      await page.getByRole('button', { name: 'two.txt', exact: true }).waitFor();
      await capture(page, 'files-dropped', WIDTHS);
    }));

  it('opens files in a code editor with line numbers, highlighting by type and search', () =>
    withUiPage(suite.browser, async (page) => {
      await put('/public_html/index.php', '<?php\n$greeting = "hello";\necho $greeting;\n');
      await open(page, '/public_html');
      const vendor = () =>
        page.evaluate(
          () =>
            performance
              .getEntriesByType('resource')
              .map((r) => r.name)
              .filter((n) => n.endsWith('/vendor/editor.js')).length,
        );
      await expect(vendor()).resolves.toBe(0); // the shell does not load the editor
      await page.getByRole('button', { name: 'index.php', exact: true }).click();
      const editor = page.locator('dialog[open]', { hasText: 'Edit /public_html/index.php' });
      const content = editor.getByLabel('Contents');
      await editor.locator('.cm-editor').waitFor();
      await expect(content.getAttribute('contenteditable')).resolves.toBe('true');
      await expect(editor.locator('.cm-lineNumbers .cm-gutterElement').allTextContents()).resolves.toEqual(
        expect.arrayContaining(['1', '2', '3', '4']),
      );
      // PHP highlighting: the string literal is coloured differently from plain text.
      const colour = (loc: ReturnType<Page['locator']>) => loc.evaluate((el) => getComputedStyle(el).color);
      const str = editor.locator('.cm-line span', { hasText: '"hello"' }).first();
      await expect(colour(str)).resolves.not.toBe(await colour(editor.locator('.cm-line').nth(1)));
      // Search: the panel opens from the button and marks the matches.
      await editor.getByRole('button', { name: 'Search' }).click();
      await editor.locator('.cm-search input[name=search]').pressSequentially('greeting');
      await editor.locator('.cm-searchMatch').nth(1).waitFor(); // marked as the view updates
      await expect(editor.locator('.cm-searchMatch').count()).resolves.toBe(2);
      await capture(page, 'files-code-editor', WIDTHS);
      await editor.locator('.cm-search button[name=close]').click();
      // Editing (typed keys, as a person does) and saving writes the text as typed.
      await content.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Backspace');
      await content.pressSequentially('<?php echo "changed";\n');
      await editor.getByRole('button', { name: 'Save' }).click();
      await toast(page, '/public_html/index.php was saved.');
      expect(readFileSync(home('public_html/index.php'), 'utf8')).toBe('<?php echo "changed";\n');
      await expect(vendor()).resolves.toBe(1); // loaded once the editor opened
    }));
});
