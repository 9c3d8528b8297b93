// One panel and one Chromium per test file: started before its tests, stopped after them.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from '../../bed/helpers/browser.js';
import type { ChromiumInfo } from '../../bed/types.js';

/** Register the file's set-up; read `suite.panel` and `suite.browser` inside tests. */
export function browserSuite<P extends { stop(): Promise<void> }>(
  chromium: () => ChromiumInfo,
  start: () => Promise<P>,
): { panel: P; browser: Browser } {
  const suite = {} as { panel: P; browser: Browser };
  beforeAll(async () => {
    suite.panel = await start();
    suite.browser = await launchBrowser(chromium());
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.panel?.stop();
  });
  return suite;
}
