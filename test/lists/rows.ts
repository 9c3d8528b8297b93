// Bulk rows for the list tests and the list benchmark: written straight into the plugins' tables
// (thousands of real creates would take minutes and test nothing more about paging).
import type { Knex } from 'knex';
import { parentNames } from '../../plugins/domains/ownership.js';

const stamp = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().replace('T', ' ').slice(0, 19);

/** `n` active accounts named `<prefix>00000…`; every `everyNth` one belongs to `resellerId`. */
export async function insertAccounts(
  knex: Knex,
  n: number,
  opts: { prefix?: string; resellerId?: number; everyNth?: number; start?: number } = {},
): Promise<void> {
  const prefix = opts.prefix ?? 'bulk';
  const start = opts.start ?? 0;
  const rows = [];
  for (let i = start; i < start + n; i++) {
    const name = `${prefix}${String(i).padStart(5, '0')}`;
    rows.push({
      username: name,
      primary_domain: `${name}.example.test`,
      email: `${name}@mail.test`,
      plan: ['free', 'pro', 'business'][i % 3],
      status: i % 7 === 0 ? 'suspended' : 'active',
      home_dir: `/home/${name}`,
      uid: null,
      gid: null,
      disk_quota_mb: 500,
      bandwidth_quota_mb: 10000,
      // Descending with i, so sorting by disk use differs from sorting by id.
      disk_used_mb: (start + n - i) % 97,
      reseller_id: opts.resellerId !== undefined && i % (opts.everyNth ?? 2) === 0 ? opts.resellerId : null,
      user_id: null,
      created_at: stamp(i),
      updated_at: stamp(i),
    });
  }
  for (let i = 0; i < rows.length; i += 500) await knex('accounts_accounts').insert(rows.slice(i, i + 500));
}

/** `perAccount` addon domains for each of the given accounts. */
export async function insertDomains(
  knex: Knex,
  accounts: { id: number; username: string }[],
  perAccount: number,
): Promise<void> {
  const rows = [];
  for (const a of accounts) {
    for (let j = 0; j < perAccount; j++) {
      rows.push({
        account_id: a.id,
        domain_name: `d${j}.${a.username}.example.test`,
        domain_type: 'addon',
        document_root: `/home/${a.username}/d${j}`,
        alias_of: null,
        created_at: stamp(a.id * 10 + j),
      });
    }
  }
  for (let i = 0; i < rows.length; i += 500) await knex('domains_domains').insert(rows.slice(i, i + 500));
  await indexSuffixes(knex);
}

/** The suffix rows the domains store keeps beside its rows (see migration 003), for domains inserted straight into the table. */
export async function indexSuffixes(knex: Knex): Promise<void> {
  const rows: { id: number; domain_name: string }[] = await knex('domains_domains')
    .whereNotIn('id', knex('domains_suffixes').select('domain_id'))
    .select('id', 'domain_name');
  const suffixes = rows.flatMap((r) => parentNames(r.domain_name).map((suffix) => ({ domain_id: r.id, suffix })));
  await knex.batchInsert('domains_suffixes', suffixes, 500);
}
