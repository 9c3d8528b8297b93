import type { AccountReconciliation, ExecService, Logger } from '../../sdk/index.js';
import { processesByUid } from './cgroup-placement.js';
import { detectCgroups, type Cgroups } from './cgroups.js';
import type { AccountSettings, PlanLimits } from './config.js';
import type { PlanStore } from './plan-store.js';
import { detectDiskQuota, type DiskQuota } from './quota.js';
import type { AccountRow, AccountStore } from './store.js';

/** What the kernel enforces for accounts on this machine, found once at start. */
export interface Enforcement {
  disk: DiskQuota;
  cgroups: Cgroups;
}

/** `GET /api/system/info`'s view of it: what is enforced, and why not when it is not. */
export function enforcementStatus(e: Enforcement) {
  return {
    disk_quota: { enforced: e.disk.kind !== 'none', method: e.disk.kind, inodes: e.disk.inodes, detail: e.disk.reason },
    cgroups: {
      enforced: e.cgroups.kind !== 'none',
      method: e.cgroups.kind,
      detail: e.cgroups.reason,
      // Processes are moved in by a periodic sweep over /proc: a new one runs unconfined until the next sweep,
      // except under a per-account php-fpm master, which enters the groups before it starts.
      placement:
        e.cgroups.kind === 'none'
          ? 'none'
          : "sweep of processes running as the account (PHP-FPM workers of a shared master, cron jobs on cgroup v2, SSH sessions where the access plugin's PAM line is not set up) every few seconds; " +
            "SSH and SFTP sessions enter the account's groups at session start through the access plugin's PAM line (pam_exec) where it is set up; " +
            "per-account PHP-FPM masters (the php plugin's account_masters) enter the account's groups before they start, so their workers are limited from birth" +
            (e.cgroups.kind === 'cgroup-v1' ? "; the panel's cron jobs enter them first too" : ''),
    },
  };
}

/** Detect both; a failure to detect is a reason, never a crash. Says once at start what is not enforced. */
export async function detectEnforcement(
  exec: ExecService,
  settings: AccountSettings,
  logger: Logger,
): Promise<Enforcement> {
  const linux = settings.mode === 'linux';
  let disk: DiskQuota;
  try {
    disk = await detectDiskQuota(exec, settings.homeBase, linux);
  } catch (e) {
    disk = {
      kind: 'none',
      mount: null,
      reason: `quota tools failed: ${(e as Error).message}`,
      inodes: false,
      apply: async () => undefined,
      read: async () => new Map(),
    };
  }
  const cgroups = detectCgroups(linux);
  if (linux && disk.kind === 'none')
    logger.warn(
      `disk quotas are not enforced by the kernel (${disk.reason}); the panel keeps its own checks and measures usage by walking homes`,
    );
  if (linux && cgroups.kind === 'none')
    logger.warn(`CPU, memory and process limits are not enforced (${cgroups.reason})`);
  return { disk, cgroups };
}

/** The plan row's limits with the account's stored disk quota (which follows its plan). */
const limitsOf = async (plans: PlanStore, row: AccountRow): Promise<PlanLimits> => ({
  ...(await plans.limits(row.plan, row.reseller_id)),
  disk_quota_mb: row.disk_quota_mb,
});

/** Set the account's disk quota and cgroup limits from its plan (linux mode, accounts with a uid). */
export async function applyLimits(e: Enforcement, plans: PlanStore, row: AccountRow): Promise<void> {
  if (row.uid === null) return;
  const l = await limitsOf(plans, row);
  await e.disk.apply(row, l);
  e.cgroups.apply(row.username, l);
  e.cgroups.place(row.username, processesByUid().get(row.uid) ?? []);
}

/**
 * Store `disk_used_mb` from the quota report for these rows (one report for all). Returns the rows
 * the report does not cover (all of them without kernel quotas; a btrfs home that is no
 * subvolume), for the caller to measure by walking.
 */
export async function usageFromQuota(e: Enforcement, store: AccountStore, rows: AccountRow[]): Promise<AccountRow[]> {
  if (e.disk.kind === 'none') return rows;
  const readings = await e.disk.read(rows);
  for (const row of rows) {
    const r = readings.get(row.username);
    if (r && r.used_mb !== row.disk_used_mb) {
      await store.update(row.id, { disk_used_mb: r.used_mb });
      row.disk_used_mb = r.used_mb;
    }
  }
  return rows.filter((r) => !readings.has(r.username));
}

/** Move every account's processes into its group (the periodic sweep). */
export async function placeProcesses(e: Enforcement, store: AccountStore): Promise<number> {
  if (e.cgroups.kind === 'none') return 0;
  let moved = 0;
  const byUid = processesByUid();
  for (const row of await store.list()) {
    const pids = row.uid === null || row.status === 'deleting' ? undefined : byUid.get(row.uid);
    if (pids) moved += e.cgroups.place(row.username, pids);
  }
  return moved;
}

/**
 * Start-up repair of drift: a quota or group whose limits differ from the plan's (changed by hand,
 * lost with a reformat, or a plan edited while the panel was down)
 * is set again, and the report says so. The disk limit is the account's stored `disk_quota_mb`.
 */
export async function reconcileLimits(
  e: Enforcement,
  plans: PlanStore,
  store: AccountStore,
  report: AccountReconciliation,
): Promise<void> {
  const rows = (await store.list()).filter((r) => r.uid !== null && r.status !== 'deleting' && r.status !== 'creating');
  const readings = e.disk.kind === 'none' ? new Map() : await e.disk.read(rows);
  for (const row of rows) {
    const want = await limitsOf(plans, row);
    const drift: string[] = [];
    const q = readings.get(row.username);
    if (
      e.disk.kind !== 'none' &&
      (q?.limit_mb !== want.disk_quota_mb || (e.disk.inodes && q?.inode_limit !== want.inodes))
    )
      drift.push(`disk quota ${q?.limit_mb ?? 'none'} MB / ${q?.inode_limit ?? 'no'} inodes`);
    const g = e.cgroups.kind === 'none' ? null : e.cgroups.read(row.username);
    if (
      e.cgroups.kind !== 'none' &&
      (g?.cpu_percent !== want.cpu_percent ||
        g?.memory_mb !== want.memory_mb ||
        g?.max_processes !== want.max_processes)
    )
      drift.push(
        g
          ? `cgroup limits cpu ${g.cpu_percent ?? 'none'}%, memory ${g.memory_mb ?? 'none'} MB, processes ${g.max_processes ?? 'none'}`
          : 'no cgroup',
      );
    if (!drift.length) continue;
    try {
      await applyLimits(e, plans, row);
      report.notes.push(
        `${row.username}: ${drift.join(' and ')} differed from the ${row.plan} plan and were set again`,
      );
    } catch (err) {
      report.failed.push({ username: row.username, step: 'limits', error: (err as Error).message });
    }
  }
}
