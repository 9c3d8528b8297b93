// A stand-in for the accounts plugin (being written concurrently): it provides the
// `accountDirectory` service and deletes an account the way the accounts plugin does — by running
// the `account.delete` before-hooks first and refusing when one vetoes.
import { accountDirectory, accountRef, definePlugin, errors, Type, type AccountInfo } from '../../sdk/index.js';

export function accountsStandIn(list: { id: number; username: string; reseller_id?: number | null }[]) {
  const accounts = new Map<number, AccountInfo>(
    list.map((a) => [
      a.id,
      {
        id: a.id,
        username: a.username,
        primary_domain: `${a.username}.test`,
        email: `${a.username}@example.test`,
        plan: 'free',
        status: 'active',
        home_dir: `/home/${a.username}`,
        uid: null,
        gid: null,
        disk_quota_mb: 500,
        bandwidth_quota_mb: 10000,
        reseller_id: a.reseller_id ?? null,
        created_at: '2026-01-01 00:00:00',
      },
    ]),
  );
  return definePlugin({
    manifest: { id: 'accounts-stand-in', version: '1.0.0', sdk: '^1.0.0' },
    start(ctx) {
      ctx.services.provide(accountDirectory, {
        get: async (id) => accounts.get(id) ?? null,
        byUsername: async (u) => [...accounts.values()].find((a) => a.username === u) ?? null,
        list: async () => [...accounts.values()],
        owner: async (id) => {
          const a = accounts.get(id);
          return a ? { ref: accountRef(id), resellerId: a.reseller_id } : null;
        },
      });
      ctx.route({
        method: 'DELETE',
        path: '/api/test-accounts/:id',
        access: { roles: ['admin'] },
        schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) },
        handler: async (req) => {
          const account = accounts.get(req.params.id);
          if (!account) throw errors.notFound(`Account ${req.params.id} not found`);
          await ctx.hooks.runBefore('account.delete', { account });
          accounts.delete(account.id);
          return { deleted: true };
        },
      });
    },
  });
}
