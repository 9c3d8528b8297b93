// Start-up reconciliation after a crash (local mode, real nginx): an interrupted creation is
// removed, interrupted deletes are settled, a vanished home, a missing document root and missing
// or edited server blocks are made again — while a server block and a home the database does not
// know are kept and reported. The status route and the log both say what was fixed.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANAGED_MARKER } from '../../sdk/index.js';
import { accountBody, restartSetup, startHostingPanel, waitReconciled } from './helpers.js';
import { getVia } from './private-nginx.js';

describe('start-up reconciliation', () => {
  const bed = restartSetup();

  it('repairs what is safe, reports the rest, and removes nothing the database does not know', async () => {
    const { nginx, dataDir, homes } = bed;
    const config = { data_dir: dataDir };
    const first = await startHostingPanel({
      engine: 'nginx',
      nginx,
      homeBase: homes,
      config,
      plugins: { accounts: { fail_delete_at: 'home' } },
    });
    const create = async (username: string) =>
      (
        await first.panel.request('POST', '/api/accounts', {
          body: accountBody({ username, domain: `${username}.test` }),
        })
      ).body.data;
    const keep = await create('keep');
    writeFileSync(path.join(keep.home_dir, 'public_html', 'index.html'), 'kept');
    const addon = (
      await first.panel.request('POST', '/api/domains', {
        body: { account_id: keep.id, domain_name: 'keep-addon.test', domain_type: 'addon' },
      })
    ).body.data;
    const gone = await create('gone');
    const undel = await create('undel');
    const unfin = await create('unfin');
    // A delete that failed past its point of no return (injected at its 'home' step).
    expect((await first.panel.request('DELETE', `/api/accounts/${unfin.id}`)).status).toBe(500);
    const knex = first.panel.kernel.knex;
    // A delete the process died in before its point of no return.
    await knex('accounts_accounts')
      .where({ id: undel.id })
      .update({ status: 'deleting', pre_delete_status: 'suspended' });
    // What a crash in the middle of a create leaves: a reserved row, a home, a domain row.
    const stamp = '2026-01-01 00:00:00';
    const [half] = await knex('accounts_accounts').insert(
      {
        username: 'halfmade',
        primary_domain: 'halfmade.test',
        email: 'h@example.com',
        plan: 'free',
        status: 'creating',
        home_dir: path.join(homes, 'halfmade'),
        disk_quota_mb: 500,
        bandwidth_quota_mb: 10000,
        disk_used_mb: 0,
        created_at: stamp,
        updated_at: stamp,
      },
      ['id'],
    );
    await knex('domains_domains').insert({
      account_id: (half as any).id ?? half,
      domain_name: 'halfmade.test',
      domain_type: 'primary',
      document_root: path.join(homes, 'halfmade', 'public_html'),
      alias_of: null,
      created_at: stamp,
    });
    mkdirSync(path.join(homes, 'halfmade', 'public_html'), { recursive: true });
    await first.stop();

    unlinkSync(path.join(nginx.sitesDir, 'keep.test.conf'));
    const addonConf = path.join(nginx.sitesDir, 'keep-addon.test.conf');
    writeFileSync(addonConf, readFileSync(addonConf, 'utf8').replace('keep-addon.test', 'edited-by-hand.test'));
    writeFileSync(
      path.join(nginx.sitesDir, 'ghost.test.conf'),
      `${MANAGED_MARKER}\nserver { listen 127.0.0.1:${nginx.port}; server_name ghost.test; return 200 "ghost"; }\n`,
    );
    writeFileSync(path.join(nginx.sitesDir, 'keep.test.conf.vp-new'), 'half-written');
    rmSync(gone.home_dir, { recursive: true });
    rmSync(addon.document_root, { recursive: true });
    mkdirSync(path.join(homes, 'stray', 'public_html'), { recursive: true });

    const second = await startHostingPanel({ engine: 'nginx', nginx, homeBase: homes, config });
    try {
      const report = await waitReconciled(second.panel);
      expect(report.accounts).toEqual({
        rolled_back: ['halfmade'],
        locked: [],
        unlocked: [],
        recreated_homes: ['gone'],
        recreated_users: [],
        restored_deletes: ['undel'],
        unfinished_deletes: ['unfin'],
        missing_users: [],
        missing_homes: [],
        orphan_users: [],
        orphan_homes: [path.join(homes, 'stray')],
        failed: [],
        notes: [
          'halfmade: an interrupted creation was rolled back',
          'undel: an interrupted delete was rolled back; the account is suspended again',
          `unfin: a delete failed past its point of no return; DELETE /api/accounts/${unfin.id} finishes it`,
          `gone: home ${gone.home_dir} was missing and is made again with an empty skeleton; lost files are not restored`,
          `homes under ${homes} that no account knows (kept): ${path.join(homes, 'stray')}`,
        ],
      });
      expect(report.vhosts).toMatchObject({
        state: 'done',
        orphan_domains: ['halfmade.test'],
        recreated_roots: [addon.document_root],
        orphan_vhosts: ['ghost.test.conf'],
        failed: [],
        rewritten: ['keep-addon.test.conf', 'keep.test.conf', 'undel.test.conf'],
        result: { changed: 3, removed: 0 },
      });
      expect(existsSync(path.join(homes, 'halfmade'))).toBe(false);
      expect(existsSync(path.join(homes, 'stray', 'public_html'))).toBe(true);
      expect(readdirSync(nginx.sitesDir).sort()).toEqual(
        ['gone.test.conf', 'keep-addon.test.conf', 'keep.test.conf', 'undel.test.conf', 'ghost.test.conf'].sort(),
      );
      expect(await getVia(nginx.port, 'keep.test')).toEqual({ status: 200, body: 'kept' });
      expect(await getVia(nginx.port, 'ghost.test')).toEqual({ status: 200, body: 'ghost' });
      expect((await getVia(nginx.port, 'gone.test')).body).toContain('<h1>gone.test</h1>');
      expect((await getVia(nginx.port, 'undel.test')).status).toBe(503);
      expect((await getVia(nginx.port, 'unfin.test')).status).toBe(404);
      writeFileSync(path.join(addon.document_root, 'index.html'), 'addon again');
      expect(await getVia(nginx.port, 'keep-addon.test')).toEqual({ status: 200, body: 'addon again' });
      const accounts = (await second.panel.request('GET', '/api/accounts')).body.data;
      expect(accounts.map((a: any) => [a.username, a.status])).toEqual([
        ['keep', 'active'],
        ['gone', 'active'],
        ['undel', 'suspended'],
        ['unfin', 'deleting'],
      ]);
      // The unfinished delete: refused for suspension, finished by a repeated DELETE.
      expect((await second.panel.request('POST', `/api/accounts/${unfin.id}/suspend`)).status).toBe(409);
      expect((await second.panel.request('DELETE', `/api/accounts/${unfin.id}`)).body.data).toEqual({
        id: unfin.id,
        username: 'unfin',
        deleted: true,
      });
      expect(existsSync(unfin.home_dir)).toBe(false);
      expect((await second.panel.request('GET', '/api/domains')).body.data.map((d: any) => d.domain_name)).toEqual([
        'keep.test',
        'keep-addon.test',
        'gone.test',
        'undel.test',
      ]);
    } finally {
      await second.stop();
    }
  });
});
