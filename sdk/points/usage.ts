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
