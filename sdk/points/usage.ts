import { createExtensionPoint } from '../extension-points.js';
import { createServiceRef } from '../services.js';

/**
 * A counter of a resource the licence limits or the dashboard shows (entry ids `accounts`,
 * `domains`, …). The `system` plugin consumes them for `/api/system/stats`.
 */
export interface UsageCounter {
  /** Current number of resources. */
  count(): Promise<number>;
}

/** Extension point: usage counters, keyed by the resource they count (entry id). */
export const usageCounters = createExtensionPoint<UsageCounter>({ id: 'usage-counters', owner: 'system' });

/** Whether the kernel enforces one kind of account limit, how, and why not when it does not. */
export interface LimitEnforcement {
  enforced: boolean;
  /** e.g. `user-quota`, `btrfs-qgroup`, `cgroup-v1`, `cgroup-v2`, or `none`. */
  method: string;
  detail: string;
  [extra: string]: unknown;
}

/** What a provider of account limits reports (the `system` plugin shows it in `/api/system/info`). */
export interface ResourceLimitsStatus {
  status(): { disk_quota: LimitEnforcement; cgroups: LimitEnforcement };
}

/** Extension point: who enforces account disk quotas and CPU/memory/process limits (entry id: the provider). */
export const resourceLimits = createExtensionPoint<ResourceLimitsStatus>({ id: 'resource-limits', owner: 'system' });

/**
 * Disk usage of account homes as the operating system counts it (filesystem quotas), offered by
 * a plugin that manages OS quotas. Optional: without it the `files` plugin keeps its own
 * per-account counter (updated by its writes, corrected by a background walk); with it, the
 * OS figure replaces that counter in the quota pre-check of a write.
 */
export interface DiskUsageSource {
  /** Bytes the account's files take now, or null when the OS does not count them for this account. */
  usedBytes(account: { id: number; username: string; uid: number | null; home_dir: string }): Promise<number | null>;
}

/** Service reference of the optional {@link DiskUsageSource}. */
export const diskUsageSource = createServiceRef<DiskUsageSource>('disk-usage-source');
