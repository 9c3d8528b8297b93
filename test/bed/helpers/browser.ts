// A Chromium page through playwright-core (the system /usr/bin/chromium, never a download),
// closed afterwards.
//
//   await withPage(bed.chromium, async (page) => { await page.goto(url); expect(await page.title())… });
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ChromiumInfo } from '../types.js';

export async function launchBrowser(info: ChromiumInfo): Promise<Browser> {
  return chromium.launch({ executablePath: info.executablePath, headless: true, args: info.args, timeout: 30_000 });
}

/** New browser + page for fn; both are closed even when fn throws. */
export async function withPage<T>(info: ChromiumInfo, fn: (page: Page) => Promise<T>): Promise<T> {
  const browser = await launchBrowser(info);
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    return await fn(page);
  } finally {
    await browser.close();
  }
}
