import type { JobState } from '../../sdk/jobs.js';
import { certificateExpiries } from '../../sdk/points/certificate-expiries.js';
import { usageCounters } from '../../sdk/points/usage.js';
import type { ModuleHost } from '../kernel-module.js';
import type { PluginState } from '../plugins/loader.js';
import type { MetricFamily, Sample } from './exposition.js';

const JOB_STATES: JobState[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const PLUGIN_STATES: PluginState[] = ['active', 'disabled', 'locked'];

const gauge = (name: string, help: string, samples: Sample[]): MetricFamily => ({ name, help, type: 'gauge', samples });
const seconds = (iso: string) => Math.round(Date.parse(iso) / 1000);

/** Jobs in the store by state (every state listed, zeros included). */
export async function jobMetrics(k: Pick<ModuleHost, 'knex'>): Promise<MetricFamily[]> {
  const rows: { state: string; n: number | string }[] = await k
    .knex('core_jobs')
    .select('state')
    .count({ n: '*' })
    .groupBy('state');
  const counts = new Map(rows.map((r) => [r.state, Number(r.n)]));
  return [
    gauge(
      'velopanel_jobs',
      'Jobs known to the panel, by state.',
      JOB_STATES.map((state) => ({ labels: { state }, value: counts.get(state) ?? 0 })),
    ),
  ];
}

/**
 * Usage of each counted resource (the `usage-counters` point) beside the licence limit for it
 * (`max_<resource>`; `+Inf` when unlimited), and the licence's tier, state and expiry.
 */
export async function licenceMetrics(k: Pick<ModuleHost, 'licence' | 'extensions'>): Promise<MetricFamily[]> {
  const lic = k.licence();
  const usage = new Map<string, number>();
  for (const e of k.extensions.entries(usageCounters)) {
    if (!e.available) continue;
    usage.set(e.entryId, (usage.get(e.entryId) ?? 0) + (await e.value.count()));
  }
  const limits = Object.entries(lic.limits).map(([key, v]) => ({
    labels: { resource: key.replace(/^max_/, '') },
    value: v ?? Infinity,
  }));
  const families = [
    gauge('velopanel_license_info', 'The licence in force: tier and state.', [
      { labels: { tier: lic.tier, state: lic.state }, value: 1 },
    ]),
    gauge('velopanel_license_limit', 'Licence limit per resource (+Inf: unlimited).', limits),
    gauge(
      'velopanel_usage',
      'Resources in use, as counted for the licence limits.',
      [...usage].sort().map(([resource, value]) => ({ labels: { resource }, value })),
    ),
  ];
  if (lic.expires_at)
    families.push(
      gauge('velopanel_license_expiry_timestamp_seconds', 'When the licence expires (Unix time).', [
        { value: seconds(lic.expires_at) },
      ]),
    );
  return families;
}

/** Each plugin's state as an enum (1 for the state it is in, 0 for the others) and its version. */
export function pluginMetrics(k: Pick<ModuleHost, 'plugins'>): MetricFamily[] {
  const ids = [...k.plugins.slots.keys()].sort();
  const states = ids.flatMap((plugin) => {
    const now = k.plugins.state(plugin).state;
    return PLUGIN_STATES.map((state) => ({ labels: { plugin, state }, value: state === now ? 1 : 0 }));
  });
  const info = ids.map((plugin) => {
    const slot = k.plugins.slots.get(plugin)!;
    return {
      labels: {
        plugin,
        version: slot.manifest?.version ?? '',
        source: slot.source,
        tier: slot.manifest?.tier ?? 'community',
      },
      value: 1,
    };
  });
  return [
    gauge('velopanel_plugin_state', 'Plugin state: 1 for the state the plugin is in.', states),
    gauge('velopanel_plugin_info', 'Plugins known to the panel, with version, source and tier.', info),
  ];
}

/** Expiry of every certificate the provider of `certificate-expiries` lists (none without one). */
export async function certificateMetrics(k: Pick<ModuleHost, 'services'>): Promise<MetricFamily[]> {
  const provider = k.services.find(certificateExpiries);
  if (!provider) return [];
  const samples = (await provider.list())
    .filter((c) => !Number.isNaN(Date.parse(c.notAfter)))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => ({ labels: { name: c.name, source: c.source ?? '' }, value: seconds(c.notAfter) }));
  return [
    gauge(
      'velopanel_certificate_expiry_timestamp_seconds',
      'When each managed certificate expires (Unix time).',
      samples,
    ),
  ];
}

/** The panel process: version, start time, memory and CPU. */
export function processMetrics(k: Pick<ModuleHost, 'version' | 'startedAt'>): MetricFamily[] {
  const cpu = process.cpuUsage();
  return [
    gauge('velopanel_build_info', 'The running panel version.', [
      { labels: { version: k.version, node: process.version }, value: 1 },
    ]),
    gauge('process_start_time_seconds', 'Start time of the process (Unix time).', [
      { value: Math.round(k.startedAt / 1000) },
    ]),
    gauge('process_resident_memory_bytes', 'Resident memory of the process.', [{ value: process.memoryUsage().rss }]),
    {
      name: 'process_cpu_seconds_total',
      help: 'CPU time the process used (user and system).',
      type: 'counter',
      samples: [{ value: (cpu.user + cpu.system) / 1e6 }],
    },
  ];
}
