import type { AccountDirectory, AccountInfo, AccountSuspension, PluginContext } from '../../sdk/index.js';
import { periodOf } from './log-reader.js';
import { stamp, type BandwidthStore } from './store.js';

const MIB = 1024 * 1024;

/** Reasons the plugin gives the suspension service; an `account.unsuspended` without one of these is a person's. */
export const REASON_PREFIX = 'bandwidth: ';

/** What enforcement needs. */
export interface QuotaDeps {
  ctx: Pick<PluginContext, 'hooks' | 'audit' | 'logger'>;
  store: BandwidthStore;
  directory: AccountDirectory;
  suspension: () => AccountSuspension | undefined;
  action: 'warn' | 'suspend';
}

/** MB with two decimals, as the API shows usage. */
export function toMb(bytes: number): number {
  return Math.round((bytes / MIB) * 100) / 100;
}

/**
 * Lift the suspensions this plugin made in an earlier period (unless a person lifted them
 * already), then act once per account on every account over its `bandwidth_quota_mb` this period:
 * `warn` emits `account.bandwidth_exceeded` and an audit entry; `suspend` also suspends it through
 * the accounts plugin's suspend path. The action row is claimed first, so two runs act once.
 */
export async function enforceQuotas(d: QuotaDeps, now = new Date()): Promise<void> {
  const period = periodOf(now.getTime());
  await liftEarlierPeriods(d, period);
  const accounts = await d.directory.list();
  const usage = await d.store.usage(
    period,
    accounts.map((a) => a.id),
  );
  for (const account of accounts) {
    const used = usage.get(account.id) ?? 0;
    if (account.deleting || used <= account.bandwidth_quota_mb * MIB) continue;
    if (await d.store.actions().where({ account_id: account.id, period }).first()) continue;
    try {
      await d.store
        .actions()
        .insert({ account_id: account.id, period, action: d.action, suspended: false, created_at: stamp(now) });
    } catch {
      continue; // another node claimed it a moment ago
    }
    await act(d, account, period, used);
  }
}

async function act(d: QuotaDeps, account: AccountInfo, period: string, used: number): Promise<void> {
  const detail = `used ${toMb(used)} MB of ${account.bandwidth_quota_mb} MB in ${period}`;
  const target = `account:${account.id}`;
  let suspendedNow = false;
  if (d.action === 'suspend' && account.status === 'active') {
    const service = d.suspension();
    try {
      if (!service) throw new Error('the accounts plugin offers no suspension service');
      await service.set(account.id, true, `${REASON_PREFIX}quota exceeded (${detail})`);
      suspendedNow = true;
      await d.store.actions().where({ account_id: account.id, period }).update({ suspended: true });
    } catch (e) {
      // Not suspended: give the claim back so the next run tries again.
      await d.store.actions().where({ account_id: account.id, period }).delete();
      d.ctx.audit({
        action: 'bandwidth.suspend',
        target,
        ok: false,
        detail: `${detail}; suspending failed: ${(e as Error).message}`,
      });
      return;
    }
  }
  // An account someone had suspended already is only warned about: its next period must not lift that.
  const action = suspendedNow ? 'suspend' : 'warn';
  if (!suspendedNow) await d.store.actions().where({ account_id: account.id, period }).update({ action });
  d.ctx.audit({
    action: suspendedNow ? 'bandwidth.suspend' : 'bandwidth.exceeded',
    target,
    ok: true,
    detail: suspendedNow ? `suspended: ${detail}` : detail,
  });
  await d.ctx.hooks.runAfter('account.bandwidth_exceeded', {
    account,
    period,
    used_mb: toMb(used),
    quota_mb: account.bandwidth_quota_mb,
    action,
  });
}

async function liftEarlierPeriods(d: QuotaDeps, period: string): Promise<void> {
  const open = await d.store.actions().where({ suspended: true }).whereNull('lifted_at').where('period', '<', period);
  for (const row of open) {
    const account = await d.directory.get(row.account_id);
    if (account?.status === 'suspended' && !account.deleting) {
      const service = d.suspension();
      if (!service) return;
      try {
        await service.set(account.id, false, `${REASON_PREFIX}new period ${period} (suspended for ${row.period})`);
      } catch (e) {
        d.ctx.audit({
          action: 'bandwidth.unsuspend',
          target: `account:${row.account_id}`,
          ok: false,
          detail: (e as Error).message,
        });
        continue;
      }
      d.ctx.audit({
        action: 'bandwidth.unsuspend',
        target: `account:${row.account_id}`,
        ok: true,
        detail: `new period ${period}`,
      });
    }
    await d.store.actions().where({ account_id: row.account_id, period: row.period }).update({ lifted_at: stamp() });
  }
}

/** A person re-activated the account: the plugin's suspension of it counts as lifted (no re-suspension this period). */
export async function liftedByPerson(store: BandwidthStore, accountId: number): Promise<void> {
  await store
    .actions()
    .where({ account_id: accountId, suspended: true })
    .whereNull('lifted_at')
    .update({ lifted_at: stamp() });
}
