// Start-up reconciliation after a crash: an account whose creation was interrupted is removed with
// its home and domain rows, a server block deleted or planted behind the panel's back is put
// right, temp files of an interrupted swap are cleaned — and the status route reports it.
import { existsSync, mkdirSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGED_MARKER } from '../../sdk/index.js';
import { accountBody, openTempDir, startHostingPanel, waitReconciled } from './helpers.js';
import { getVia, startPrivateNginx, type PrivateNginx } from './private-nginx.js';

describe('start-up reconciliation', () => {
  let nginx: PrivateNginx;
  let dataDir: string;
  let homes: string;
  beforeAll(async () => {
    nginx = await startPrivateNginx();
    dataDir = openTempDir('velopanel-data-');
    homes = openTempDir('velopanel-homes-');
  });
  afterAll(async () => {
    await nginx?.stop();
    for (const d of [dataDir, homes]) rmSync(d, { recursive: true, force: true });
  });

  it('repairs vhosts and interrupted creations after a restart, and reports what it fixed', async () => {
    const first = await startHostingPanel({ engine: 'nginx', nginx, homeBase: homes, config: { data_dir: dataDir } });
    const keep = (await first.panel.request('POST', '/api/accounts', { body: accountBody({ username: 'keep', domain: 'keep.test' }) })).body.data;
    writeFileSync(path.join(keep.home_dir, 'public_html', 'index.html'), 'kept');
    // What a crash in the middle of a create leaves: a reserved row, a home, a domain row.
    const stamp = '2026-01-01 00:00:00';
    const [half] = await first.panel.kernel.knex('accounts_accounts').insert({
      username: 'halfmade', primary_domain: 'halfmade.test', email: 'h@example.com', plan: 'free', status: 'creating', home_dir: path.join(homes, 'halfmade'),
      disk_quota_mb: 500, bandwidth_quota_mb: 10000, disk_used_mb: 0, created_at: stamp, updated_at: stamp,
    }, ['id']);
    await first.panel.kernel.knex('domains_domains').insert({ account_id: (half as any).id ?? half, domain_name: 'halfmade.test', domain_type: 'primary', document_root: path.join(homes, 'halfmade', 'public_html'), alias_of: null, created_at: stamp });
    mkdirSync(path.join(homes, 'halfmade', 'public_html'), { recursive: true });
    await first.stop();

    unlinkSync(path.join(nginx.sitesDir, 'keep.test.conf'));
    writeFileSync(path.join(nginx.sitesDir, 'ghost.test.conf'), `${MANAGED_MARKER}\nserver { listen 127.0.0.1:${nginx.port}; server_name ghost.test; return 200 "ghost"; }\n`);
    writeFileSync(path.join(nginx.sitesDir, 'keep.test.conf.vp-new'), 'half-written');

    const second = await startHostingPanel({ engine: 'nginx', nginx, homeBase: homes, config: { data_dir: dataDir } });
    try {
      const report = await waitReconciled(second.panel);
      expect(report.accounts).toEqual({ rolled_back: ['halfmade'], locked: [], unlocked: [], missing_users: [], missing_homes: [] });
      expect(report.vhosts).toMatchObject({ state: 'done', orphan_domains: ['halfmade.test'], result: { changed: 1, removed: 1, unchanged: 0 } });
      expect(existsSync(path.join(homes, 'halfmade'))).toBe(false);
      expect(readdirSync(nginx.sitesDir)).toEqual(['keep.test.conf']);
      expect(await getVia(nginx.port, 'keep.test')).toEqual({ status: 200, body: 'kept' });
      expect((await getVia(nginx.port, 'ghost.test')).status).toBe(404);
      expect((await second.panel.request('GET', '/api/domains')).body.data.map((d: any) => d.domain_name)).toEqual(['keep.test']);
    } finally {
      await second.stop();
    }
  });
});
