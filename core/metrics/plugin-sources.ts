import { metricSources } from '../../sdk/points/metrics.js';
import type { ModuleHost } from '../kernel-module.js';
import type { MetricFamily } from './exposition.js';

// Family names the kernel writes itself: a plugin may not shadow them.
const KERNEL_PREFIXES = [
  'velopanel_http_',
  'velopanel_jobs',
  'velopanel_license_',
  'velopanel_usage',
  'velopanel_plugin_',
  'velopanel_certificate_',
  'velopanel_build_',
  'velopanel_scrape_',
  'process_',
];
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Why a plugin's family cannot be served, or null when it can. */
function problem(f: MetricFamily, taken: Set<string>): string | null {
  if (!/^velopanel_[a-z0-9_]+$/.test(f.name) || KERNEL_PREFIXES.some((p) => f.name.startsWith(p)))
    return `metric family '${f.name}' is not a plugin's to write`;
  if (taken.has(f.name)) return `metric family '${f.name}' is written by another source`;
  if (
    !Array.isArray(f.samples) ||
    f.samples.some((s) => typeof s.value !== 'number' || Object.keys(s.labels ?? {}).some((k) => !LABEL.test(k)))
  )
    return `metric family '${f.name}' has a sample with a bad label name or a value that is not a number`;
  return null;
}

/**
 * One collector per available `metric-sources` entry (for one scrape), named `<plugin>/<entry>`.
 * A source whose families would not render (a bad name or label, a kernel family, a name another
 * source wrote first) fails as a whole, so a plugin can neither break the exposition nor pass its
 * numbers off as the kernel's.
 */
export function pluginSourceCollectors(k: Pick<ModuleHost, 'extensions'>): [string, () => Promise<MetricFamily[]>][] {
  const taken = new Set<string>();
  return k.extensions
    .entries(metricSources)
    .filter((e) => e.available)
    .map((e) => [
      `${e.pluginId}/${e.entryId}`,
      async () => {
        const families: MetricFamily[] = (await e.value.collect()).map((f) => ({
          name: f.name,
          help: String(f.help),
          type: f.type === 'counter' ? 'counter' : 'gauge',
          samples: f.samples?.map((s) => ({ labels: s.labels, value: s.value })),
        }));
        for (const f of families) {
          const why = problem(f, taken);
          if (why) throw new Error(why);
        }
        for (const f of families) taken.add(f.name);
        return families;
      },
    ]);
}
