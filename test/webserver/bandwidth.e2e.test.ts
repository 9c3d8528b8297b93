// Bandwidth measured through a real nginx: known byte counts fetched through the vhosts of two
// accounts are accounted to each (API, /metrics), a restart of the panel counts nothing twice, a
// renamed log and its successor are both read, and an account over its quota is suspended (and
// re-activated at the next period or by an admin) — or, with `warn`, only warned about.
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { definePlugin, type BandwidthExceededEvent } from '../../sdk/index.js';
import { account, collect, fetchBytes, mb, MIB, usage } from './bandwidth-helpers.js';
import { accountBody, restartSetup, startHostingPanel, type HostingPanel } from './helpers.js';

async function auditEntries(h: HostingPanel, route: string): Promise<any[]> {
  for (let i = 0; i < 100; i++) {
    const entries = ((await h.panel.request('GET', '/api/audit?limit=200')).body.data as any[]).filter(
      (e) => e.route === route,
    );
    if (entries.length) return entries;
    await sleep(20);
  }
  return [];
}

describe('bandwidth accounting with nginx', () => {
  const bed = restartSetup();
  const events: BandwidthExceededEvent[] = [];
  const listener = definePlugin({
    manifest: { id: 'bw-listener', version: '1.0.0', sdk: '^1.0.0' },
    start(ctx) {
      ctx.hooks.after('account.bandwidth_exceeded', (e) => void events.push(e));
    },
  });
  const start = (action: 'warn' | 'suspend') =>
    startHostingPanel({
      engine: 'nginx',
      nginx: bed.nginx,
      homeBase: bed.homes,
      extra: ['bandwidth'],
      inline: [listener],
      config: { data_dir: bed.dataDir },
      plugins: {
        bandwidth: { collect_every: 'every 6h', bandwidth_action: action },
        accounts: { free_bandwidth_quota_mb: 2 },
      },
    });

  it('counts per account, across a restart and a rotation without double counting, and suspends over quota', async () => {
    let h = await start('suspend');
    try {
      const create = async (username: string, plan: string) =>
        (
          await h.panel.request('POST', '/api/accounts', {
            body: accountBody({ username, domain: `${username}.test`, plan }),
          })
        ).body.data;
      const alice = await create('alice', 'pro');
      const bob = await create('bob', 'free');
      expect(
        (
          await h.panel.request('POST', '/api/domains', {
            body: { account_id: alice.id, domain_name: 'alice-blog.test', domain_type: 'addon' },
          })
        ).status,
      ).toBe(200);
      writeFileSync(path.join(alice.home_dir, 'public_html', 'big.bin'), Buffer.alloc(300_000, 1));
      writeFileSync(path.join(alice.home_dir, 'alice-blog.test', 'post.html'), 'x'.repeat(123_456));
      writeFileSync(path.join(bob.home_dir, 'public_html', 'small.txt'), 'y'.repeat(5_000));
      const port = bed.nginx.port;
      const logs = bed.nginx.pluginConfig.access_log_dir as string;
      expect((await h.panel.request('GET', '/api/bandwidth')).body.data).toMatchObject({
        engine: 'nginx',
        measured: true,
        action: 'suspend',
        dir: logs,
      });

      let aliceBytes =
        (await fetchBytes(port, 'alice.test', '/big.bin')) +
        (await fetchBytes(port, 'alice.test', '/big.bin')) +
        (await fetchBytes(port, 'alice-blog.test', '/post.html'));
      let bobBytes = await fetchBytes(port, 'bob.test', '/small.txt');
      expect(aliceBytes).toBeGreaterThan(2 * 300_000 + 123_456);
      expect(await collect(h)).toMatchObject({ bytes: aliceBytes + bobBytes });
      expect(await usage(h, alice.id)).toBe(aliceBytes);
      expect(await usage(h, bob.id)).toBe(bobBytes);
      expect(await usage(h, bob.id, 'velopanel_account_bandwidth_quota_bytes')).toBe(2 * MIB);
      const list = (await h.panel.request('GET', '/api/accounts')).body.data;
      expect(list.map((a: any) => [a.username, a.bandwidth_used_mb])).toEqual([
        ['alice', mb(aliceBytes)],
        ['bob', mb(bobBytes)],
      ]);
      expect((await account(h, alice.id)).bandwidth_used_mb).toBe(mb(aliceBytes));
      expect((await h.panel.request('GET', '/api/accounts?limit=1&sort=username')).body.data[0].bandwidth_used_mb).toBe(
        mb(aliceBytes),
      );
      expect((await collect(h)).bytes).toBe(0);

      // Traffic while the panel is down, then a new panel on the same store: only the new lines count.
      await h.stop();
      const late = await fetchBytes(port, 'alice-blog.test', '/post.html');
      h = await start('suspend');
      expect((await collect(h)).bytes).toBe(late);
      aliceBytes += late;
      expect(await usage(h, alice.id)).toBe(aliceBytes);

      // Rotation: lines still unread in the renamed file, then a new file at the old path.
      const log = path.join(logs, `${alice.id}_alice.test.log`);
      const unread = await fetchBytes(port, 'alice.test', '/big.bin');
      renameSync(log, `${log}.1`);
      await bed.nginx.reload(); // nginx opens its logs again: a new file at the old path
      for (let i = 0; i < 100 && !existsSync(log); i++) await sleep(20);
      const fresh = await fetchBytes(port, 'alice.test', '/big.bin');
      expect((await collect(h)).bytes).toBe(unread + fresh);
      aliceBytes += unread + fresh;
      expect(await usage(h, alice.id)).toBe(aliceBytes);
      expect((await collect(h)).bytes).toBe(0);

      // Over quota (2 MB on the free plan here) with the action `suspend`.
      writeFileSync(path.join(bob.home_dir, 'public_html', 'big.bin'), Buffer.alloc(2_200_000, 2));
      bobBytes += await fetchBytes(port, 'bob.test', '/big.bin');
      await collect(h);
      expect(await account(h, bob.id)).toMatchObject({ status: 'suspended', bandwidth_used_mb: mb(bobBytes) });
      expect((await account(h, alice.id)).status).toBe('active');
      expect(await fetchBytes(port, 'bob.test', '/small.txt', 503)).toBeGreaterThan(0);
      expect(await auditEntries(h, 'bandwidth.suspend')).toEqual([
        expect.objectContaining({ method: 'TASK', target: `account:${bob.id}`, ok: true, plugin: 'bandwidth' }),
      ]);
      expect(events).toEqual([
        expect.objectContaining({
          account: expect.objectContaining({ id: bob.id }),
          action: 'suspend',
          quota_mb: 2,
          used_mb: expect.any(Number),
        }),
      ]);

      // An admin's unsuspend stands for the rest of the period.
      expect((await h.panel.request('POST', `/api/accounts/${bob.id}/unsuspend`)).body.data.status).toBe('active');
      await collect(h);
      expect((await account(h, bob.id)).status).toBe('active');
      expect(events).toHaveLength(1);

      // A suspension the plugin made in an earlier period is lifted by the next collection.
      const knex = h.panel.kernel.knex;
      await knex('bandwidth_usage').where({ account_id: bob.id }).update({ period: '2000-01' });
      await knex('bandwidth_actions')
        .where({ account_id: bob.id })
        .update({ period: '2000-01', lifted_at: null, suspended: true });
      expect((await h.panel.request('POST', `/api/accounts/${bob.id}/suspend`)).status).toBe(200);
      await collect(h);
      expect(await account(h, bob.id)).toMatchObject({ status: 'active', bandwidth_used_mb: mb(0) });
      expect(await auditEntries(h, 'bandwidth.unsuspend')).toEqual([
        expect.objectContaining({ target: `account:${bob.id}`, ok: true }),
      ]);
    } finally {
      await h.stop();
    }
  });

  it('with the action warn: an event and one audit entry per period, the account stays active', async () => {
    events.length = 0;
    const h = await start('warn');
    try {
      const carol = (
        await h.panel.request('POST', '/api/accounts', {
          body: accountBody({ username: 'carol', domain: 'carol.test' }),
        })
      ).body.data;
      writeFileSync(path.join(carol.home_dir, 'public_html', 'big.bin'), Buffer.alloc(1_500_000, 3));
      for (let round = 0; round < 2; round++) {
        await fetchBytes(bed.nginx.port, 'carol.test', '/big.bin');
        await collect(h);
      }
      expect((await account(h, carol.id)).status).toBe('active');
      expect(events).toEqual([
        expect.objectContaining({ account: expect.objectContaining({ id: carol.id }), action: 'warn', quota_mb: 2 }),
      ]);
      expect(await auditEntries(h, 'bandwidth.exceeded')).toEqual([
        expect.objectContaining({ target: `account:${carol.id}`, ok: true }),
      ]);
    } finally {
      await h.stop();
    }
  });
});
