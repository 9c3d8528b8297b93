// Names are owned: no account gets a name under (or above) another account's domain, for every
// type and for a new account's primary; an admin is told the holder and may place it explicitly;
// the panel's own server_hostname (and names under it) is no account's; concurrent creates of a
// parent and its child cannot both pass.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, domainDirectory, type DomainDirectory } from '../../sdk/index.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

let directory: () => DomainDirectory;
const probe = definePlugin({
  manifest: { id: 'probe', version: '1.0.0', sdk: '^1.0.0' },
  start(ctx) {
    directory = () => ctx.services.get(domainDirectory);
  },
});

describe('domain name ownership', () => {
  let h: HostingPanel;
  let alice: any; // account 1: the harness's user login is bound to it
  let bob: any;
  let carol: any; // owned by the harness's reseller
  type Role = 'admin' | 'reseller' | 'user';
  const post = (body: Record<string, unknown>, as: Role = 'admin') =>
    h.panel.request('POST', '/api/domains', { body, as });
  const answer = (res: any) => ({ status: res.status, error: res.body.error });
  const account = (over: Record<string, unknown>, as: Role = 'admin') =>
    h.panel.request('POST', '/api/accounts', { body: accountBody(over), as });
  beforeAll(async () => {
    h = await startHostingPanel({
      engine: 'veloserve',
      inline: [probe],
      config: { server_hostname: 'panel.host.test' },
    });
    alice = (await account({ username: 'aliceown', domain: 'alice.test' })).body.data;
    bob = (await account({ username: 'bobown', domain: 'bob.test' })).body.data;
    carol = (await account({ username: 'carolown', domain: 'carol.test' }, 'reseller')).body.data;
    expect(alice.id).toBe(1);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("refuses a tenant a name under another account's domain for every type, without naming the holder", async () => {
    const under = 'Domain shop.bob.test is under a domain of another account';
    for (const domain_type of ['addon', 'alias']) {
      expect(
        answer(await post({ account_id: alice.id, domain_name: 'shop.bob.test', domain_type }, 'user')),
        domain_type,
      ).toEqual({ status: 409, error: under });
    }
    expect(
      answer(await post({ account_id: alice.id, domain_name: 'a.b.bob.test', domain_type: 'addon' }, 'user')),
    ).toEqual({ status: 409, error: 'Domain a.b.bob.test is under a domain of another account' });
    expect(
      answer(await post({ account_id: carol.id, domain_name: 'shop.bob.test', domain_type: 'addon' }, 'reseller')),
    ).toEqual({ status: 409, error: under });
    expect(answer(await post({ account_id: alice.id, domain_name: 'bob.test', domain_type: 'addon' }, 'user'))).toEqual(
      { status: 409, error: 'Domain bob.test already exists on this server' },
    );
    expect(
      answer(
        await post(
          { account_id: alice.id, domain_name: 'shop.bob.test', domain_type: 'addon', allow_cross_account: true },
          'user',
        ),
      ),
    ).toEqual({
      status: 403,
      error: "allow_cross_account: only an admin may place a name under another account's domain",
    });
    expect(existsSync(path.join(alice.home_dir, 'shop.bob.test'))).toBe(false);
    // A name of one's own, and names that only look alike, are fine.
    expect(
      (await post({ account_id: alice.id, domain_name: 'shop.alice.test', domain_type: 'subdomain' }, 'user')).status,
    ).toBe(200);
    expect(
      (await post({ account_id: alice.id, domain_name: 'notbob.test', domain_type: 'addon' }, 'user')).status,
    ).toBe(200);
    const names = (await h.panel.request('GET', '/api/domains')).body.data.map((d: any) => d.domain_name);
    expect(names).not.toContain('shop.bob.test');
  });

  it('names the holder to an admin, who may place the name explicitly; names under it then stay with its account', async () => {
    expect(answer(await post({ account_id: alice.id, domain_name: 'shop.bob.test', domain_type: 'addon' }))).toEqual({
      status: 409,
      error: `Domain shop.bob.test is under bob.test, a domain of account ${bob.id}; an admin may place it with allow_cross_account: true`,
    });
    const placed = await post({
      account_id: alice.id,
      domain_name: 'shop.bob.test',
      domain_type: 'addon',
      allow_cross_account: true,
    });
    expect(placed.body.data).toMatchObject({ account_id: alice.id, domain_name: 'shop.bob.test' });
    // Under shop.bob.test, the nearest domain decides: alice's; bob may not take names there.
    expect(
      (await post({ account_id: alice.id, domain_name: 'en.shop.bob.test', domain_type: 'subdomain' }, 'user')).status,
    ).toBe(200);
    expect(
      answer(await post({ account_id: bob.id, domain_name: 'de.shop.bob.test', domain_type: 'addon' })).status,
    ).toBe(409);
    expect((await post({ account_id: bob.id, domain_name: 'blog.bob.test', domain_type: 'subdomain' })).status).toBe(
      200,
    );
  });

  it("refuses a name above another account's domain, and a new account's primary by the same rule, before anything is made", async () => {
    await post({ account_id: bob.id, domain_name: 'shop.dave.test', domain_type: 'addon' });
    expect(answer(await account({ username: 'daveown', domain: 'dave.test' }, 'reseller'))).toEqual({
      status: 409,
      error: 'Domain dave.test has a name under it that belongs to another account',
    });
    expect(answer(await account({ username: 'daveown', domain: 'dave.test' }))).toEqual({
      status: 409,
      error: `Domain dave.test is above shop.dave.test, a domain of account ${bob.id}; an admin may place it with allow_cross_account: true`,
    });
    expect(answer(await account({ username: 'evilown', domain: 'www2.carol.test' }, 'reseller'))).toEqual({
      status: 409,
      error: 'Domain www2.carol.test is under a domain of another account',
    });
    expect(
      answer(await account({ username: 'evilown', domain: 'x.carol.test', allow_cross_account: true }, 'reseller'))
        .status,
    ).toBe(403);
    const accounts = (await h.panel.request('GET', '/api/accounts')).body.data.map((a: any) => a.username);
    expect(accounts).not.toContain('daveown');
    expect(accounts).not.toContain('evilown');
    for (const u of ['daveown', 'evilown']) expect(existsSync(path.join(h.homeBase, u))).toBe(false);
    const placed = await account({ username: 'daveown', domain: 'dave.test', allow_cross_account: true });
    expect(placed.body.data).toMatchObject({ username: 'daveown', primary_domain: 'dave.test' });
  });

  it("refuses the panel's own host name and names under it to everyone, the admin included", async () => {
    for (const name of ['panel.host.test', 'acme.panel.host.test']) {
      const error = `Domain ${name} is the panel's own host name (server_hostname) or a name under it; it cannot be an account's domain`;
      expect(answer(await post({ account_id: alice.id, domain_name: name, domain_type: 'addon' }, 'user'))).toEqual({
        status: 409,
        error,
      });
      expect(
        answer(
          await post({ account_id: alice.id, domain_name: name, domain_type: 'addon', allow_cross_account: true }),
        ),
      ).toEqual({ status: 409, error });
      expect(answer(await account({ username: 'panelown', domain: name }))).toEqual({ status: 409, error });
    }
    expect((await post({ account_id: alice.id, domain_name: 'host.test', domain_type: 'addon' }, 'user')).status).toBe(
      200,
    );
  });

  it('lets only one of a parent and its child through when both are created at once', async () => {
    // Straight through the directory (the service behind the route), so the creates interleave.
    const create = (account_id: number, domain_name: string) =>
      directory()
        .create({ account_id, domain_name, domain_type: 'addon' })
        .then(
          () => 'created',
          (e) => e.status ?? e.message,
        );
    const pairs = Array.from({ length: 10 }, (_, i) =>
      Promise.all([create(bob.id, `zone${i}.test`), create(alice.id, `shop.zone${i}.test`)]),
    );
    for (const pair of await Promise.all(pairs)) expect(pair.sort()).toEqual([409, 'created'].sort());
  });
});
