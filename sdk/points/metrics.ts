import { createExtensionPoint } from '../extension-points.js';

/** One sample of a metric a plugin contributes: labels and a value. */
export interface PluginMetricSample {
  labels?: Record<string, string>;
  value: number;
}

/** A metric family a plugin contributes to `GET /metrics` (Prometheus text format). */
export interface PluginMetricFamily {
  /** `velopanel_<something>`, letters, digits and `_` (a family name the kernel does not use). */
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: PluginMetricSample[];
}

/**
 * Metrics a plugin adds to `GET /metrics`. The kernel asks every available entry at each scrape;
 * one that throws is reported as `velopanel_scrape_collector_success{collector="<plugin>/<entry>"} 0`
 * and the scrape still answers. Keep `collect` cheap (read what a scheduled task stored).
 *
 * @example
 * ```ts
 * ctx.extensions.provide(metricSources, 'bandwidth', {
 *   collect: async () => [{ name: 'velopanel_account_bandwidth_bytes', help: 'Bytes sent this month.', type: 'gauge', samples }],
 * });
 * ```
 */
export interface MetricSource {
  collect(): Promise<PluginMetricFamily[]> | PluginMetricFamily[];
}

/** Extension point: plugin metrics, read by the kernel's `/metrics` (owner `kernel`: no plugin consumes it). */
export const metricSources = createExtensionPoint<MetricSource>({ id: 'metric-sources', owner: 'kernel' });
