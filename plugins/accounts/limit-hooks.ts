import { Type, type AccountEvent, type ApiRequest, type RouteDefinition } from '../../sdk/index.js';
import type { AccountDeps } from './create.js';
import { settledRow } from './edit.js';
import { applyLimits, placeProcesses } from './limits.js';
import { now, toApi } from './store.js';
import { IdParams, PlanName } from './validate.js';

/**
 * Keep the kernel's limits in step with the account's life: suspend and unsuspend set them again
 * from the plan, a deleted account's groups go, and a periodic sweep moves the account's
 * processes (PHP-FPM workers the shared master spawned, SSH and cron sessions) into its group.
 */
export function limitHooks(d: AccountDeps): void {
  const { ctx, limits } = d;
  const again = async ({ account }: AccountEvent) => {
    const row = await d.store.row(account.id);
    if (row) await applyLimits(limits, d.plans, row);
  };
  ctx.hooks.after('account.suspended', again);
  ctx.hooks.after('account.unsuspended', again);
  ctx.hooks.after('account.deleted', ({ account }) => limits.cgroups.remove(account.username));
  if (limits.cgroups.kind === 'none') return;
  ctx.scheduler.schedule({
    name: 'cgroup-sweep',
    when: ctx.config.limits_sweep_every as string,
    run: async () => void (await placeProcesses(limits, d.store)),
  });
}

/** `POST /api/accounts/:id/plan` body: a plan the account's owner may use (checked in the handler). */
export const PlanBody = Type.Object({ plan: PlanName }, { additionalProperties: false });
type PlanBody = { plan: string };

/**
 * Change an account's plan: its stored quotas follow the new plan, and the disk quota and cgroup
 * limits are set at once. When the kernel refuses the new limits the row goes back to the old plan.
 */
export function planRoute(d: AccountDeps, access: RouteDefinition['access']): RouteDefinition {
  return {
    method: 'POST',
    path: '/api/accounts/:id/plan',
    summary: "Change the account's plan (quotas, disk quota, CPU/memory/process limits)",
    schema: { params: IdParams, body: PlanBody },
    access,
    handler: async (req: ApiRequest<{ id: number }, unknown, PlanBody>) => {
      req.auditTarget = `account:${req.params.id}`;
      const row = await settledRow(d, req.params.id);
      const before = { plan: row.plan, disk_quota_mb: row.disk_quota_mb, bandwidth_quota_mb: row.bandwidth_quota_mb };
      const plan = await d.plans.usable(req.body.plan, row.reseller_id);
      const after = { plan: plan.name, disk_quota_mb: plan.disk_quota_mb, bandwidth_quota_mb: plan.bandwidth_quota_mb };
      // Under the lock a plan's delete takes, so the account never lands on a plan that is gone.
      await d.ctx.db.withLock('account-limit', async (trx) => {
        await d.plans.assertStillThere(plan.name, trx);
        await d.store
          .q(trx)
          .where({ id: row.id })
          .update({ ...after, updated_at: now() });
      });
      try {
        await applyLimits(d.limits, d.plans, { ...row, ...after });
      } catch (e) {
        await d.store.update(row.id, before);
        await applyLimits(d.limits, d.plans, row).catch(() => undefined);
        throw e;
      }
      return toApi((await d.store.row(row.id))!);
    },
  };
}
