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
