import { errors, isPanelError, type JobRecord } from '../../sdk/index.js';
import type { AccountDeps } from './create.js';
import { applyLimits } from './limits.js';
import type { PlanRow } from './plan-store.js';
import { toInfo } from './store.js';

/** What a finished re-apply job answers. */
export interface ReapplyResult {
  plan: string;
  accounts: number;
  applied: number;
  failed: { username: string; error: string }[];
}

/**
 * After a plan is edited, set its limits again on every account on it (OS quota, cgroups) as a
 * job whose progress counts accounts. Each account is read again when its turn comes, so one
 * moved to another plan meanwhile is left alone; jobs of one plan run one after another, so the
 * last edit's limits are the ones that stay. One account failing does not stop the others: the
 * job fails at the end naming them.
 */
export function reapplyPlan(d: AccountDeps, plan: PlanRow, ownerUserId: number | null): Promise<JobRecord> {
  const key = `plan:${plan.id}`;
  return d.ctx.jobs.start({ kind: 'accounts.plan-apply', target: key, ownerUserId, serialKey: key }, async (job) => {
    const ids = (
      await d.plans.accountsOn(plan, d.store.scoped()).whereNot({ status: 'deleting' }).orderBy('id').select('id')
    ).map((r) => r.id);
    const result: ReapplyResult = { plan: plan.name, accounts: ids.length, applied: 0, failed: [] };
    const details: string[] = [];
    job.progress(0, `0 of ${ids.length} accounts`);
    for (const [i, id] of ids.entries()) {
      if (job.signal.aborted) throw new Error(`stopped after ${i} of ${ids.length} accounts`);
      const row = await d.store.row(id);
      if (
        row &&
        row.plan === plan.name &&
        (plan.reseller_id === null || row.reseller_id === plan.reseller_id) &&
        row.status !== 'deleting'
      ) {
        try {
          await applyLimits(d.limits, d.plans, row);
          await d.ctx.hooks.runAfter('account.plan_changed', {
            account: toInfo(row, await d.plans.accountLimits(row)),
          });
          result.applied++;
        } catch (e) {
          // The job's error is read by the plan's owner (a reseller): a tool's words or a path go to admins only.
          result.failed.push({ username: row.username, error: isPanelError(e) ? e.message : 'unexpected error' });
          const detail = isPanelError(e) ? e.adminDetail : ((e as Error)?.message ?? String(e));
          if (detail) details.push(`${row.username}: ${detail}`);
        }
      }
      job.progress(((i + 1) * 100) / ids.length, `${i + 1} of ${ids.length} accounts`);
    }
    if (result.failed.length) {
      const list = result.failed.map((f) => `${f.username}: ${f.error}`).join('; ');
      throw errors
        .internal(
          `limits of plan ${plan.name} could not be set on ${result.failed.length} of ${ids.length} accounts (${list})`,
        )
        .withAdminDetail(details.join('; '));
    }
    return result;
  });
}
