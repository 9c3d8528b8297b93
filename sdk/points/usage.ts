import { createExtensionPoint } from '../extension-points.js';

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
