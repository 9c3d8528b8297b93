// Restoring the backup of a deleted account brings back every domain exactly as it was: types,
// document roots, and each alias pointing at the restored row of the domain it served.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, domainDirectory } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

/** Reaches the domain directory service, to make an alias of an addon (which POST /api/domains cannot). */
let directory: () => import('../../sdk/index.js').DomainDirectory;
const probe = definePlugin({
  manifest: { id: 'probe', version: '1.0.0', sdk: '^1.0.0' },
  start(ctx) {
    directory = () => ctx.services.get(domainDirectory);
  },
});

interface Row {
  id: number;
  domain_name: string;
  domain_type: string;
  document_root: string;
  alias_of: number | null;
}

/** The account's domains, independent of row ids and of where the home is. */
function shape(rows: Row[], home: string) {
  return rows
    .map((d) => ({
      domain_name: d.domain_name,
      domain_type: d.domain_type,
      document_root: d.document_root.replace(home, '~'),
      alias_of:
        d.alias_of === null
          ? null
          : (rows.find((x) => x.id === d.alias_of)?.domain_name ?? `missing row ${d.alias_of}`),
    }))
    .sort((a, b) => a.domain_name.localeCompare(b.domain_name));
}

describe('restore of a deleted account: its domains', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startTestPanel({
      plugins: ['accounts', 'domains', 'veloserve', 'backups', 'files'],
      inline: [probe],
    });
  }, 120_000);
  afterAll(async () => {
    await panel?.stop();
  });

  it('recreates primary, addon, subdomain and aliases with their targets and document roots', async () => {
    const created = await panel.request('POST', '/api/accounts', {
      body: {
        username: 'lazarus',
        domain: 'lazarus.test',
        email: 'l@lazarus.test',
        password: 'Lazarus123!',
        plan: 'free',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const { id, home_dir: home } = created.body.data;
    const add = async (body: Record<string, unknown>) => {
      const res = await panel.request('POST', '/api/domains', { body: { account_id: id, ...body } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.data as Row;
    };
    const shop = await add({ domain_name: 'shop.test', domain_type: 'addon', document_root: `${home}/sites/shop` });
    await add({ domain_name: 'blog.shop.test', domain_type: 'subdomain', document_root: `${home}/sites/blog` });
    await add({ domain_name: 'news.lazarus.test', domain_type: 'subdomain' });
    await add({ domain_name: 'lazarus-alias.test', domain_type: 'alias' });
    await directory().create({
      account_id: id,
      domain_name: 'shop-alias.test',
      domain_type: 'alias',
      alias_of: shop.id,
    });
    const before = (await panel.request('GET', `/api/domains/account/${id}`)).body.data as Row[];
    expect(shape(before, home)).toContainEqual({
      domain_name: 'shop-alias.test',
      domain_type: 'alias',
      document_root: '~/sites/shop',
      alias_of: 'shop.test',
    });

    const backup = await panel.request('POST', `/api/backups/accounts/${id}`);
    expect(backup.status, JSON.stringify(backup.body)).toBe(200);
    expect((await panel.request('DELETE', `/api/accounts/${id}`)).status).toBe(200);
    expect((await panel.request('GET', '/api/domains')).body.data).toEqual([]);

    const restored = await panel.request('POST', `/api/backups/accounts/${id}/restore/${backup.body.data.filename}`);
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    const again = (await panel.request('GET', '/api/accounts')).body.data.find(
      (a: { username: string }) => a.username === 'lazarus',
    );
    const after = (await panel.request('GET', `/api/domains/account/${again.id}`)).body.data as Row[];
    expect(shape(after, again.home_dir)).toEqual(shape(before, home));
    expect(after.every((d) => d.alias_of === null || after.some((x) => x.id === d.alias_of))).toBe(true);
    const spec = await directory().vhostSpec(after.find((d) => d.domain_name === 'shop.test')!.id);
    expect(spec?.aliases).toContain('shop-alias.test');
  });
});
