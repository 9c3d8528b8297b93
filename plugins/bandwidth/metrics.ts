import type { AccountDirectory, PluginMetricFamily } from '../../sdk/index.js';
import { periodOf } from './log-reader.js';
import type { BandwidthStore } from './store.js';

/** Bytes each account sent this month and its quota in bytes, labelled by account id and username. */
export async function bandwidthMetrics(
  store: BandwidthStore,
  directory: AccountDirectory,
): Promise<PluginMetricFamily[]> {
  const accounts = await directory.list();
  const usage = await store.usage(periodOf(Date.now()));
  const labels = (a: { id: number; username: string }) => ({ account_id: String(a.id), account: a.username });
  return [
    {
      name: 'velopanel_account_bandwidth_bytes',
      help: 'Bytes the web server sent for each account this calendar month (UTC), from its access logs.',
      type: 'gauge',
      samples: accounts.map((a) => ({ labels: labels(a), value: usage.get(a.id) ?? 0 })),
    },
    {
      name: 'velopanel_account_bandwidth_quota_bytes',
      help: "Each account's monthly bandwidth quota in bytes.",
      type: 'gauge',
      samples: accounts.map((a) => ({ labels: labels(a), value: a.bandwidth_quota_mb * 1024 * 1024 })),
    },
  ];
}
