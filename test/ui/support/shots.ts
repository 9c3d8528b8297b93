// PNG captures of pages under test/artifacts/ui/ (gitignored) for people to look at.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { settle } from './browser.js';

export const ARTIFACTS = path.resolve(import.meta.dirname, '../../artifacts/ui');

/** Capture the current page at each width (the viewport is resized, the page re-laid out). */
export async function capture(page: Page, name: string, widths: readonly number[]): Promise<string[]> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const files: string[] = [];
  const original = page.viewportSize();
  for (const width of widths) {
    await page.setViewportSize({ width, height: width < 500 ? 844 : 900 });
    await settle(page);
    const file = path.join(ARTIFACTS, `${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
  }
  if (original) await page.setViewportSize(original);
  return files;
}
