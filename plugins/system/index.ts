import os from 'node:os';
import {
  accountDirectory,
  definePlugin,
  resourceLimits,
  Type,
  usageCounters,
  type PluginContext,
} from '../../sdk/index.js';
import { historyMigrations, ResourceHistory, takeSample } from './history.js';
import { topProcesses } from './processes.js';
import { cpuUsagePercent, diskMb, memoryMb, osName } from './stats.js';

async function count(ctx: PluginContext, resource: string): Promise<number> {
  const entries = ctx.extensions.entries(usageCounters).filter((e) => e.entryId === resource && e.available);
  const counts = await Promise.all(entries.map((e) => e.value.count()));
  return counts.reduce((a, b) => a + b, 0);
}

const HistoryQuery = Type.Object({
  hours: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 24, 'x-error': 'must be a whole number of hours from 1 to 24' }),
  ),
});

/**
 * Server information and dashboard statistics from real numbers (/proc, statfs, os), a sample of
 * CPU, memory and load every `sample_interval_secs` kept for a day, and the busiest processes.
 */
export default definePlugin<{ sample_interval_secs: number }>({
  manifest: { id: 'system', name: 'System', version: '1.0.0', sdk: '^1.0.0', consumes: ['accounts.directory?'] },
  configSchema: Type.Object({
    sample_interval_secs: Type.Integer({
      default: 60,
      minimum: 10,
      maximum: 3600,
      'x-error': 'must be a whole number of seconds from 10 to 3600',
    }),
  }),
  migrations: historyMigrations,
  start(ctx) {
    const history = new ResourceHistory(ctx.db);
    const interval = ctx.config.sample_interval_secs;
    let inFlight: Promise<void> = Promise.resolve();
    const sample = () =>
      (inFlight = takeSample()
        .then((s) => history.record(s))
        .catch((e: Error) => ctx.logger.warn('resource sample failed', { error: e.message })));
    void sample();
    ctx.scheduler.schedule({ name: 'resource-sample', when: `every ${interval}s`, run: sample });
    ctx.onStop(() => inFlight);
    // The disk holding the homes when a plugin manages accounts, else the panel's data.
    const disk = () =>
      diskMb(ctx.services.find(accountDirectory)?.homeBase ?? ctx.settings.dataDir).catch(() =>
        diskMb(ctx.settings.dataDir),
      );
    const nameClashes = async () => {
      let users: PluginContext['users'] | null = null;
      try {
        users = ctx.users;
      } catch {
        // No user directory in this panel: no logins to clash.
      }
      return (await users?.nameClashes?.()) ?? [];
    };
    const limits = () => ctx.extensions.entries(resourceLimits).find((e) => e.available)?.value;
    ctx.route({
      method: 'GET',
      path: '/api/system/info',
      summary: 'Server hostname, OS, CPU, RAM, disk',
      access: { scope: 'system:read' },
      handler: async (req) => {
        const [cpu, mem, d, osLabel] = await Promise.all([cpuUsagePercent(), memoryMb(), disk(), osName()]);
        return {
          hostname: ctx.settings.serverHostname || os.hostname(),
          os: osLabel,
          kernel: os.release(),
          arch: os.arch(),
          cpu_count: os.cpus().length,
          cpu_model: os.cpus()[0]?.model ?? null,
          cpu_usage_percent: cpu,
          memory_total_mb: mem.total_mb,
          memory_used_mb: mem.used_mb,
          disk_total_mb: d.total_mb,
          disk_used_mb: d.used_mb,
          uptime_secs: Math.round(os.uptime()),
          load_average: os.loadavg().map((x) => Math.round(x * 100) / 100),
          panel_version: ctx.settings.version,
          mode: ctx.settings.mode,
          // What the kernel enforces for accounts (null: no plugin manages accounts).
          ...(limits()?.status() ?? { disk_quota: null, cgroups: null }),
          // Names of other logins: for admins only.
          ...(req.principal?.role === 'admin' ? { login_name_clashes: await nameClashes() } : {}),
        };
      },
    });
    ctx.route({
      method: 'GET',
      path: '/api/system/stats',
      summary: 'Dashboard stats (accounts, domains, limits, resource usage)',
      access: { scope: 'system:read' },
      handler: async () => {
        const lic = ctx.licence();
        const [accounts, domains, cpu, mem, d] = await Promise.all([
          count(ctx, 'accounts'),
          count(ctx, 'domains'),
          cpuUsagePercent(),
          memoryMb(),
          disk(),
        ]);
        return {
          accounts: { count: accounts, limit: lic.limits.max_accounts ?? null },
          domains: { count: domains, limit: lic.limits.max_domains ?? null },
          cpu: { count: os.cpus().length, usage_percent: cpu },
          memory: mem,
          disk: d,
          license: {
            tier: lic.tier,
            valid: lic.state === 'valid' || lic.state === 'grace' || lic.state === 'none',
            state: lic.state,
            expires_at: lic.expires_at,
          },
          uptime_secs: Math.round(os.uptime()),
          load_average: os.loadavg().map((x) => Math.round(x * 100) / 100),
        };
      },
    });
    ctx.route({
      method: 'GET',
      path: '/api/system/history',
      summary: 'CPU, memory and load samples of the last day (admin)',
      schema: { query: HistoryQuery },
      access: { roles: ['admin'], scope: 'system:read' },
      handler: async (req) => ({ interval_secs: interval, samples: await history.since(req.query.hours ?? 24) }),
    });
    ctx.route({
      method: 'GET',
      path: '/api/system/processes',
      summary: 'The busiest processes by CPU and memory (admin)',
      access: { roles: ['admin'], scope: 'system:read' },
      handler: () => topProcesses(),
    });
  },
});
