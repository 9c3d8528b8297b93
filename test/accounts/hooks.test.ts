// Account hook events as other plugins see them: a before-hook vetoes a create (nothing is made,
// the plugin is named), `account.delete` runs while the account's domains still exist, and the
// after-events arrive with the account as stored.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, domainDirectory } from '../../sdk/index.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

const seen: string[] = [];
const observer = definePlugin({
  manifest: { id: 'observer', version: '1.0.0', sdk: '^1.0.0', dependencies: ['domains'] },
  start(ctx) {
    ctx.hooks.before('account.create', ({ account }) =>
      account.username === 'vetoed' ? { veto: 'this name is on a block list' } : undefined,
    );
    ctx.hooks.before('account.delete', async ({ account }) => {
      const domains = await ctx.services.get(domainDirectory).forAccount(account.id);
      seen.push(`delete:${account.username}:${domains.map((d) => d.domain_name).join(',')}`);
    });
    for (const event of ['account.created', 'account.suspended', 'account.unsuspended', 'account.deleted'] as const)
      ctx.hooks.after(event, ({ account }) => void seen.push(`${event}:${account.username}:${account.status}`));
  },
});

describe('account hook events', () => {
  let h: HostingPanel;
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx', inline: [observer] });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('lets a before-hook veto a create, naming the plugin, with nothing made', async () => {
    const res = await h.panel.request('POST', '/api/accounts', { body: accountBody({ username: 'vetoed' }) });
    expect({ status: res.status, error: res.body.error }).toEqual({
      status: 409,
      error: "Refused by plugin 'observer': this name is on a block list",
    });
    expect(readdirSync(h.homeBase)).toEqual([]);
    expect((await h.panel.request('GET', '/api/accounts')).body.data).toEqual([]);
  });

  it('emits the lifecycle events in order, delete before the domains go', async () => {
    const a = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: 'hooked', domain: 'hooked.test' }),
      })
    ).body.data;
    await h.panel.request('POST', `/api/accounts/${a.id}/suspend`);
    await h.panel.request('POST', `/api/accounts/${a.id}/unsuspend`);
    await h.panel.request('DELETE', `/api/accounts/${a.id}`);
    expect(seen).toEqual([
      'account.created:hooked:active',
      'account.suspended:hooked:suspended',
      'account.unsuspended:hooked:active',
      'delete:hooked:hooked.test',
      'account.deleted:hooked:active',
    ]);
  });
});
