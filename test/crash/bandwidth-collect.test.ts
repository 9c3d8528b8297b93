// A kill while the bandwidth collector saves (the position of a log written, its bytes not yet,
// the transaction open): after the restart the next collection counts every line exactly once.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getVia } from '../webserver/private-nginx.js';
import { accountBody, restartSetup, startHostingPanel } from '../webserver/helpers.js';
import { killAt } from './kill-panel.js';

describe('a kill during a bandwidth collection', () => {
  const bed = restartSetup();
  const start = () =>
    startHostingPanel({
      engine: 'nginx',
      nginx: bed.nginx,
      homeBase: bed.homes,
      extra: ['bandwidth'],
      config: { data_dir: bed.dataDir },
    });
  const logBytes = async (panel: Awaited<ReturnType<typeof start>>['panel']) =>
    ((await panel.request('GET', '/api/accounts')).body.data as any[]).map((a) => [a.username, a.bandwidth_used_mb]);

  it('at bandwidth.collect.saving: nothing of the killed run is kept and nothing is counted twice', async () => {
    const first = await start();
    const ids: number[] = [];
    try {
      for (const username of ['kaya', 'lior']) {
        const a = (
          await first.panel.request('POST', '/api/accounts', {
            body: accountBody({ username, domain: `${username}.test` }),
          })
        ).body.data;
        writeFileSync(
          path.join(a.home_dir, 'public_html', 'file.bin'),
          Buffer.alloc(username === 'kaya' ? 1_048_576 : 524_288, 7),
        );
        ids.push(a.id);
      }
      for (const host of ['kaya.test', 'lior.test']) {
        for (let i = 0; i < 50 && (await getVia(bed.nginx.port, host, '/file.bin')).status !== 200; i++);
      }
    } finally {
      await first.stop();
    }

    await killAt(
      'bandwidth.collect.saving',
      {
        plugins: ['accounts', 'domains', 'nginx', 'bandwidth'],
        tier: 'business',
        config: {
          mode: 'local',
          home_base: bed.homes,
          data_dir: bed.dataDir,
          plugins: { domains: { engine: 'nginx' }, nginx: bed.nginx.pluginConfig },
        } as never,
      },
      async (child) => {
        expect(await child.request('POST', '/api/bandwidth/collect')).toBeNull();
      },
    );

    const after = await start();
    try {
      expect(await logBytes(after.panel)).toEqual([
        ['kaya', 0],
        ['lior', 0],
      ]);
      const run = (await after.panel.request('POST', '/api/bandwidth/collect')).body.data;
      expect(run.accounts.sort()).toEqual(ids);
      const used = await logBytes(after.panel);
      // 1 MiB and 0.5 MiB of body, plus the headers of each answer.
      expect(used.map(([, mb]) => Math.floor(mb * 2) / 2)).toEqual([1, 0.5]);
      expect((await after.panel.request('POST', '/api/bandwidth/collect')).body.data.bytes).toBe(0);
      expect(await logBytes(after.panel)).toEqual(used);
    } finally {
      await after.stop();
    }
  });
});
