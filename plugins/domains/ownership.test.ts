// The ownership rule's "is any domain under this name?" must be an index lookup, not a scan of
// every domain (it runs on each create; `LIKE '%.name'` read the whole table). Checked with
// SQLite's EXPLAIN QUERY PLAN on every query checkOwnership makes, on a real (in-memory) store
// migrated as the panel migrates it; migration 003 also fills the suffixes of existing domains.
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginDatabase } from '../../sdk/index.js';
import { migrations } from './migrations.js';
import { checkOwnership } from './ownership.js';
import { DomainStore } from './store.js';

describe('domain ownership queries', () => {
  let knex: Knex;
  let store: DomainStore;
  const table = (name: string) => `domains_${name}`;
  const row = (account_id: number, domain_name: string) => ({
    account_id,
    domain_name,
    domain_type: 'addon' as const,
    document_root: '/home/x/public_html',
    alias_of: null,
    created_at: '2026-01-01 00:00:00',
  });
  const refusal = (name: string, accountId: number | null) =>
    checkOwnership(store, { name, accountId, asAdmin: true }).then(
      () => null,
      (e: Error) => e.message,
    );

  beforeAll(async () => {
    knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    const db: PluginDatabase = { knex, table, client: 'sqlite', withLock: (_name, work) => knex.transaction(work) };
    store = new DomainStore(db);
    const [before, after] = [migrations.filter((m) => m.name < '003'), migrations.filter((m) => m.name >= '003')];
    for (const m of before) await m.up(knex, table);
    // Domains made before the suffix table existed: the migration must index them too.
    await knex(table('domains')).insert([row(1, 'old.test'), row(2, 'shop.old.test'), row(3, 'deep.a.b.older.test')]);
    for (const m of after) await m.up(knex, table);
    for (let i = 0; i < 300; i++) await store.insertWithinLimit(row(10 + i, `site${i}.test`), null);
    await store.insertWithinLimit(row(5, 'blog.site7.test'), null);
  });
  afterAll(async () => {
    await knex?.destroy();
  });

  it("finds names under and above other accounts' domains, as before (existing and new rows)", async () => {
    expect(await refusal('old.test', 1)).toBe(
      'Domain old.test is above shop.old.test, a domain of account 2; an admin may place it with allow_cross_account: true',
    );
    expect(await refusal('older.test', null)).toBe(
      'Domain older.test is above deep.a.b.older.test, a domain of account 3; an admin may place it with allow_cross_account: true',
    );
    expect(await refusal('b.older.test', 3)).toBeNull();
    expect(await refusal('site7.test', 17)).toBe(
      'Domain site7.test is above blog.site7.test, a domain of account 5; an admin may place it with allow_cross_account: true',
    );
    expect(await refusal('x.site7.test', 5)).toBe(
      'Domain x.site7.test is under site7.test, a domain of account 17; an admin may place it with allow_cross_account: true',
    );
    expect(await refusal('ite7.test', null)).toBeNull();
    expect(await refusal('nobody.test', null)).toBeNull();
  });

  it('keeps the suffixes with the rows: a deleted domain no longer holds the names above it', async () => {
    const blog = (await store.byName('blog.site7.test'))!;
    await store.delete([blog.id]);
    expect(await refusal('site7.test', 17)).toBeNull();
    expect(await knex(table('suffixes')).where({ domain_id: blog.id })).toEqual([]);
  });

  it('answers from indexes only: no query of the check scans the domains', async () => {
    const seen: { sql: string; bindings: unknown[] }[] = [];
    const listen = (q: { sql: string; bindings: unknown[] }) => void seen.push(q);
    knex.on('query', listen);
    expect(await refusal('fresh.site42.test', 52)).toBeNull();
    expect(await refusal('site42.test', 52)).toBeNull();
    knex.off('query', listen);
    expect(seen.length).toBe(3); // enclosing + below for the subdomain; below only for the top-level name
    for (const q of seen) {
      const plan: { detail: string }[] = await knex.raw(`EXPLAIN QUERY PLAN ${q.sql}`, q.bindings as any[]);
      const details = plan.map((p) => p.detail);
      expect(
        details.filter((d) => /^SCAN\b/.test(d)),
        `${q.sql}\n${details.join('\n')}`,
      ).toEqual([]);
    }
  });
});
