import { metricSources } from '../../sdk/points/metrics.js';
import type { Kernel } from '../kernel.js';
import type { MetricFamily } from './exposition.js';

// Family names the kernel writes itself: a plugin may not shadow them.
const KERNEL_PREFIXES = ['velopanel_http_', 'velopanel_jobs', 'velopanel_license_', 'velopanel_usage', 'velopanel_plugin_', 'velopanel_certificate_', 'velopanel_build_', 'velopanel_scrape_', 'process_'];

/**
 * One collector per available `metric-sources` entry, named `<plugin>/<entry>`. A family whose
 * name is outside `velopanel_…` or belongs to the kernel is refused (that collector fails), so a
 * plugin can neither break the exposition nor pass its numbers off as the kernel's.
 */
export function pluginSourceCollectors(k: Kernel): [string, () => Promise<MetricFamily[]>][] {
  return k.extensions.entries(metricSources).filter((e) => e.available).map((e) => [
    `${e.pluginId}/${e.entryId}`,
    async () => {
      const families = await e.value.collect();
      for (const f of families) {
        if (!/^velopanel_[a-z0-9_]+$/.test(f.name) || KERNEL_PREFIXES.some((p) => f.name.startsWith(p)))
          throw new Error(`metric family '${f.name}' is not a plugin's to write`);
      }
      return families.map((f) => ({ name: f.name, help: f.help, type: f.type, samples: f.samples.map((s) => ({ labels: s.labels, value: s.value })) }));
    },
  ]);
}
