import { Type, type AccountEvent, type ApiRequest, type RouteDefinition } from '../../sdk/index.js';
import type { AccountDeps } from './create.js';
import { settledRow } from './edit.js';
import { applyLimits, placeProcesses } from './limits.js';
import { toApi } from './store.js';
import { IdParams } from './validate.js';

/**
 * Keep the kernel's limits in step with the account's life: suspend and unsuspend set them again
 * from the plan, a deleted account's groups go, and a periodic sweep moves the account's
 * processes (PHP-FPM workers the shared master spawned, SSH and cron sessions) into its group.
 */
export function limitHooks(d: AccountDeps): void {
  const { ctx, settings, limits } = d;
  const again = async ({ account }: AccountEvent) => {
    const row = await d.store.row(account.id);
    if (row) await applyLimits(limits, settings, row);
  };
  ctx.hooks.after('account.suspended', again);
  ctx.hooks.after('account.unsuspended', again);
  ctx.hooks.after('account.deleted', ({ account }) => limits.cgroups.remove(account.username));
  if (limits.cgroups.kind === 'none') return;
  ctx.scheduler.schedule({
    name: 'cgroup-sweep', when: ctx.config.limits_sweep_every as string,
    run: async () => void (await placeProcesses(limits, d.store)),
  });
}

/** `POST /api/accounts/:id/plan` body. */
export const PlanBody = Type.Object({
  plan: Type.Union([Type.Literal('free'), Type.Literal('pro'), Type.Literal('business')], { 'x-error': 'must be free, pro or business' }),
}, { additionalProperties: false });
type PlanBody = { plan: 'free' | 'pro' | 'business' };

/**
 * Change an account's plan: its stored quotas follow the new plan, and the disk quota and cgroup
 * limits are set at once. When the kernel refuses the new limits the row goes back to the old plan.
 */
export function planRoute(d: AccountDeps, access: RouteDefinition['access']): RouteDefinition {
  return {
    method: 'POST', path: '/api/accounts/:id/plan', summary: "Change the account's plan (quotas, disk quota, CPU/memory/process limits)",
    schema: { params: IdParams, body: PlanBody }, access,
    handler: async (req: ApiRequest<{ id: number }, unknown, PlanBody>) => {
      req.auditTarget = `account:${req.params.id}`;
      const row = await settledRow(d, req.params.id);
      const before = { plan: row.plan, disk_quota_mb: row.disk_quota_mb, bandwidth_quota_mb: row.bandwidth_quota_mb };
      const after = { plan: req.body.plan, ...d.settings.quotas[req.body.plan] };
      await d.store.update(row.id, after);
      try {
        await applyLimits(d.limits, d.settings, { ...row, ...after });
      } catch (e) {
        await d.store.update(row.id, before);
        await applyLimits(d.limits, d.settings, row).catch(() => undefined);
        throw e;
      }
      return toApi((await d.store.row(row.id))!);
    },
  };
}
