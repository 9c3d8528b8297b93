// Seeding for the scale benchmarks: accounts with real homes and their domains straight into the
// store, and one regenerate writing their vhosts, as a server that grew there would have them.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { domainDirectory } from '../../sdk/index.js';
import { indexSuffixes } from '../lists/rows.js';
import type { HostingPanel } from '../webserver/helpers.js';

export const DOMAINS_PER_ACCOUNT = 5;
const stamp = '2026-01-01 00:00:00';

/** Accounts `from`..`to`-1 with real homes and DOMAINS_PER_ACCOUNT domains each, into the store. */
export async function seed(h: HostingPanel, from: number, to: number): Promise<void> {
  const knex = h.panel.kernel.knex;
  const accounts = [];
  for (let i = from; i < to; i++) {
    const home = path.join(h.homeBase, `scale${i}`);
    mkdirSync(path.join(home, 'public_html'), { recursive: true });
    accounts.push({
      username: `scale${i}`,
      primary_domain: `scale${i}.test`,
      email: `s${i}@example.com`,
      plan: 'free',
      status: 'active',
      home_dir: home,
      disk_quota_mb: 500,
      bandwidth_quota_mb: 10000,
      disk_used_mb: 0,
      created_at: stamp,
      updated_at: stamp,
    });
  }
  await knex.batchInsert('accounts_accounts', accounts, 500);
  const rows = await knex('accounts_accounts')
    .select('id', 'username', 'home_dir')
    .where('id', '>', from === 0 ? 0 : await idOf(h, from - 1));
  const domains = rows.flatMap((a: any) =>
    Array.from({ length: DOMAINS_PER_ACCOUNT }, (_, j) => ({
      account_id: a.id,
      domain_name: j === 0 ? `${a.username}.test` : `d${j}.${a.username}.test`,
      domain_type: j === 0 ? 'primary' : 'subdomain',
      document_root: `${a.home_dir}/public_html`,
      alias_of: null,
      created_at: stamp,
    })),
  );
  await knex.batchInsert('domains_domains', domains, 500);
  await indexSuffixes(knex);
  await h.panel.kernel.services.find(domainDirectory)!.regenerate();
}

export async function idOf(h: HostingPanel, i: number): Promise<number> {
  return (
    await h.panel.kernel
      .knex('accounts_accounts')
      .where({ username: `scale${i}` })
      .first('id')
  ).id;
}
