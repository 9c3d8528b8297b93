// The live progress bar the backup page uses, driven by a real kernel job through its SSE stream
// (/api/jobs/:id/events): every step the job reports shows up in the bar, then the result.
import { describe, expect, it } from 'vitest';
import { definePlugin, Type } from '../../sdk/index.js';
import { startTestPanel, TEST_LOGINS } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { logIn, withUiPage } from './support/browser.js';
import { uiConfig } from './support/client.js';
import { browserSuite } from './support/suite.js';

const bed = useServices('chromium');

/** A job that moves only when the test says so: no timing involved. */
function steppedJobPlugin() {
  const waiting: ((step: { percent: number; message: string } | null) => void)[] = [];
  const next = () => new Promise<{ percent: number; message: string } | null>((r) => waiting.push(r));
  const plugin = definePlugin({
    manifest: { id: 'stepper', version: '1.0.0', sdk: '^1.0.0' },
    start(ctx) {
      ctx.route({
        method: 'POST',
        path: '/api/stepper/run',
        schema: { query: Type.Object({ async: Type.Optional(Type.Boolean()) }) },
        access: { roles: ['admin'] },
        handler: async (req) =>
          ctx.jobs.start({ kind: 'stepper', ownerUserId: req.principal!.userId }, async (job) => {
            for (let step = await next(); step; step = await next()) job.progress(step.percent, step.message);
            return {
              items: [
                { item: 'files', status: 'restored' },
                { item: 'database shop', status: 'restored' },
              ],
            };
          }),
      });
    },
  });
  return {
    plugin,
    advance: (step: { percent: number; message: string } | null) => waiting.shift()?.(step),
    pending: () => waiting.length,
  };
}

describe.skipIf(bed.skip)('ui: live job progress', () => {
  const stepper = steppedJobPlugin();
  const suite = browserSuite(
    () => bed.chromium,
    () =>
      startTestPanel({ plugins: ['ui', 'system'], inline: [stepper.plugin], config: { plugins: uiConfig() } as never }),
  );

  it('moves the bar with each progress event and ends with the result', () =>
    withUiPage(suite.browser, async (page) => {
      const panel = suite.panel;
      await logIn(page, panel.url, TEST_LOGINS.admin, TEST_LOGINS.password);
      const base = /src="(\/ui\/[0-9a-f]{12}\/js)\/main\.js"/.exec(await (await fetch(`${panel.url}/`)).text())![1];
      // A string, so the test runner does not rewrite the browser's own import().
      await page.evaluate(`(async () => {
      const { runWithProgress, restoreReport } = await import('${base}/pages/backup-run.js');
      const host = document.createElement('div');
      host.id = 'job-host';
      document.querySelector('main').replaceChildren(host);
      window.__result = runWithProgress('Restoring test', '/api/stepper/run', '/api/stepper/run', host).then((r) => host.append(restoreReport(r)));
    })()`);
      const bar = page.locator('#job-host [role=progressbar]');
      const message = page.locator('#job-host .progress-message');
      for (const step of [
        { percent: 30, message: '3 of 10 MB' },
        { percent: 70, message: '7 of 10 MB' },
      ]) {
        for (let i = 0; i < 200 && stepper.pending() === 0; i++) await new Promise((r) => setTimeout(r, 25));
        stepper.advance(step);
        await page.locator('#job-host .progress-message', { hasText: step.message }).waitFor();
        await expect(bar.getAttribute('aria-valuenow')).resolves.toBe(String(step.percent));
      }
      for (let i = 0; i < 200 && stepper.pending() === 0; i++) await new Promise((r) => setTimeout(r, 25));
      stepper.advance(null);
      await page.locator('#job-host .progress-done').waitFor();
      await expect(bar.getAttribute('aria-valuenow')).resolves.toBe('100');
      await expect(message.textContent()).resolves.toBe('Restoring test: finished.');
      await page.evaluate(() => (window as any).__result);
      await expect(page.locator('#job-host table').getAttribute('aria-label')).resolves.toBe('Restore report');
      await expect(page.locator('#job-host tbody tr').allTextContents()).resolves.toEqual([
        'filesrestored',
        'database shoprestored',
      ]);
    }));
});
