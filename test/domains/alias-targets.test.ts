// DomainDirectory.create with `alias_of` (what a restore uses to put an alias back on its target):
// only a non-alias domain of the same account, the target's root, and the target kept while aliased.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, domainDirectory, type DomainDirectory } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

let directory: () => DomainDirectory;
const probe = definePlugin({
  manifest: { id: 'probe', version: '1.0.0', sdk: '^1.0.0' },
  start(ctx) {
    directory = () => ctx.services.get(domainDirectory);
  },
});

describe('aliases of a chosen domain', () => {
  let panel: TestPanel;
  const account = async (username: string) =>
    (
      await panel.request('POST', '/api/accounts', {
        body: {
          username,
          domain: `${username}.test`,
          email: `x@${username}.test`,
          password: 'Alias-Pass-1',
          plan: 'free',
        },
      })
    ).body.data;
  beforeAll(async () => {
    panel = await startTestPanel({ plugins: ['accounts', 'domains', 'veloserve'], inline: [probe] });
  }, 120_000);
  afterAll(async () => {
    await panel?.stop();
  });

  it('serves the target with its root, refuses bad targets by field, and keeps an aliased target', async () => {
    const a = await account('aliasa');
    const b = await account('aliasb');
    const addon = (
      await panel.request('POST', '/api/domains', {
        body: { account_id: a.id, domain_name: 'shop-a.test', domain_type: 'addon' },
      })
    ).body.data;
    const other = (await directory().forAccount(b.id))[0]!;
    const alias = await directory().create({
      account_id: a.id,
      domain_name: 'www-shop-a.test',
      domain_type: 'alias',
      alias_of: addon.id,
    });
    expect(alias).toMatchObject({ alias_of: addon.id, document_root: addon.document_root });
    expect((await directory().vhostSpec(addon.id))?.aliases).toContain('www-shop-a.test');

    const refused = async (input: Parameters<DomainDirectory['create']>[0]) =>
      directory()
        .create(input)
        .then(
          () => 'created',
          (e: Error) => e.message,
        );
    const msg = 'alias_of: must be a domain of the same account that is not an alias';
    expect(await refused({ account_id: a.id, domain_name: 'x1.test', domain_type: 'alias', alias_of: other.id })).toBe(
      msg,
    );
    expect(await refused({ account_id: a.id, domain_name: 'x2.test', domain_type: 'alias', alias_of: alias.id })).toBe(
      msg,
    );
    expect(await refused({ account_id: a.id, domain_name: 'x3.test', domain_type: 'alias', alias_of: 999999 })).toBe(
      msg,
    );
    expect(await refused({ account_id: a.id, domain_name: 'x4.test', domain_type: 'addon', alias_of: addon.id })).toBe(
      'alias_of: only an alias serves another domain',
    );
    expect(
      await refused({
        account_id: a.id,
        domain_name: 'x5.test',
        domain_type: 'alias',
        alias_of: addon.id,
        document_root: `${a.home_dir}/public_html`,
      }),
    ).toBe(`document_root: an alias serves shop-a.test's document root (${addon.document_root})`);
    expect((await directory().forAccount(a.id)).map((d) => d.domain_name).sort()).toEqual([
      'aliasa.test',
      'shop-a.test',
      'www-shop-a.test',
    ]);

    const del = await panel.request('DELETE', `/api/domains/${addon.id}`);
    expect({ status: del.status, error: del.body.error }).toEqual({
      status: 409,
      error: 'Domain shop-a.test has aliases (www-shop-a.test); delete them first',
    });
    expect((await panel.request('DELETE', `/api/domains/${alias.id}`)).status).toBe(200);
    expect((await panel.request('DELETE', `/api/domains/${addon.id}`)).status).toBe(200);
  });
});
