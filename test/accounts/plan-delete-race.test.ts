// A plan deleted while an account is being created on it: the create checks the plan again under
// the lock the delete takes, so it is refused with nothing made rather than leaving an account on
// a plan that no longer exists (which would limit nothing). A before-hook that deletes the plan
// row stands in for the delete landing between the first check and the reserve.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../../sdk/index.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

const racer = definePlugin({
  manifest: { id: 'plan-racer', version: '1.0.0', sdk: '^1.0.0', dependencies: ['accounts'] },
  start(ctx) {
    ctx.hooks.before('account.create', async ({ account }) => {
      if (account.plan === 'doomed') await ctx.db.knex('accounts_plans').where({ name: 'doomed' }).delete();
    });
  },
});

describe('a plan deleted during an account create', () => {
  let h: HostingPanel;
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'veloserve', inline: [racer] });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('refuses the create with 409 and makes nothing', async () => {
    expect(
      (
        await h.panel.request('POST', '/api/plans', {
          body: { name: 'doomed', disk_quota_mb: 10, bandwidth_quota_mb: 10 },
        })
      ).status,
    ).toBe(200);
    const body = accountBody({ plan: 'doomed' });
    const res = await h.panel.request('POST', '/api/accounts', { body });
    expect({ status: res.status, error: res.body.error }).toEqual({
      status: 409,
      error: 'Plan doomed was deleted meanwhile; choose another plan',
    });
    expect((await h.panel.request('GET', '/api/accounts')).body.data.map((a: any) => a.username)).not.toContain(
      body.username,
    );
  });
});
