// Bandwidth collection on its own schedule (nginx), and the honest answer of an engine that writes
// no access logs (VeloServe): not measured, null rather than 0.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { account, collect, fetchBytes, mb, usage } from './bandwidth-helpers.js';
import { accountBody, startHostingPanel } from './helpers.js';

describe('bandwidth with the VeloServe engine', () => {
  it('says it is not measured (no access-log setting) and shows null, never 0', async () => {
    const h = await startHostingPanel({ engine: 'veloserve', extra: ['bandwidth'] });
    try {
      const a = (await h.panel.request('POST', '/api/accounts', { body: accountBody() })).body.data;
      expect((await h.panel.request('GET', '/api/bandwidth')).body.data).toMatchObject({
        engine: 'veloserve',
        measured: false,
        dir: null,
        detail: expect.stringMatching(/no access-log setting.*not measured/),
      });
      expect((await h.panel.request('GET', '/api/webserver/status')).body.data.access_logs).toMatchObject({
        measured: false,
      });
      expect((await account(h, a.id)).bandwidth_used_mb).toBeNull();
      expect((await collect(h)).logs).toBe(0);
      expect((await h.panel.request('GET', '/api/bandwidth', { as: 'reseller' })).status).toBe(403);
      expect((await h.panel.request('POST', '/api/bandwidth/collect', { as: 'user' })).status).toBe(403);
    } finally {
      await h.stop();
    }
  });
});

describe('scheduled bandwidth collection', () => {
  it('collects on its schedule without being asked', async () => {
    const h = await startHostingPanel({
      engine: 'nginx',
      extra: ['bandwidth'],
      plugins: { bandwidth: { collect_every: 'every 1s' } },
    });
    try {
      const dana = (
        await h.panel.request('POST', '/api/accounts', { body: accountBody({ username: 'dana', domain: 'dana.test' }) })
      ).body.data;
      const bytes = await fetchBytes(h.nginx!.port, 'dana.test', '/');
      // Polled in exact bytes (/metrics): the default page is far below 0.01 MB.
      let counted: number | undefined = 0;
      for (let i = 0; i < 200 && !counted; i++, await sleep(50)) counted = await usage(h, dana.id);
      expect(counted).toBe(bytes);
      expect((await account(h, dana.id)).bandwidth_used_mb).toBe(mb(bytes));
    } finally {
      await h.stop();
    }
  });
});
