import {
  accountDirectory,
  accountFields,
  accountSuspension,
  definePlugin,
  metricSources,
  Type,
  type Static,
} from '../../sdk/index.js';
import { collectOnce, type LastCollection } from './collector.js';
import { engineLogs } from './engine-logs.js';
import { periodOf } from './log-reader.js';
import { migrations } from './migrations.js';
import { bandwidthMetrics } from './metrics.js';
import { enforceQuotas, liftedByPerson, REASON_PREFIX, toMb } from './quota-actions.js';
import { bandwidthRoutes } from './routes.js';
import { BandwidthStore, stamp } from './store.js';

const BandwidthConfig = Type.Object({
  /** How often the web server's access logs are read (one node of a cluster runs it: the scheduler's). */
  collect_every: Type.String({
    default: 'every 5m',
    pattern: '^every [0-9]{1,6}(s|m|h)$',
    'x-error': "must be 'every <n>s|m|h'",
  }),
  /** What happens when an account passes its bandwidth_quota_mb in a calendar month. */
  bandwidth_action: Type.Union([Type.Literal('warn'), Type.Literal('suspend')], {
    default: 'warn',
    'x-error': "must be 'warn' or 'suspend'",
  }),
});
type BandwidthConfig = Static<typeof BandwidthConfig>;

/**
 * Bandwidth accounting: reads the web-server engine's per-domain access logs incrementally
 * (positions kept in the store, rotation-safe), adds the bytes sent per account and calendar
 * month, shows `bandwidth_used_mb` on accounts and in `/metrics`, and runs the configured action
 * when an account passes its `bandwidth_quota_mb`.
 */
export default definePlugin<BandwidthConfig>({
  manifest: {
    id: 'bandwidth',
    name: 'Bandwidth',
    version: '1.0.0',
    sdk: '^1.0.0',
    dependencies: ['accounts'],
    optionalDependencies: ['domains'],
    provides: ['account-fields', 'metric-sources'],
    consumes: ['accounts.directory', 'accounts.suspension?', 'domains.directory?'],
    description: 'Bandwidth per account and month from the web server access logs, with a quota action',
  },
  configSchema: BandwidthConfig,
  migrations,
  start(ctx) {
    const store = new BandwidthStore(ctx.db);
    const directory = ctx.services.get(accountDirectory);
    const logs = engineLogs(ctx);
    let last: LastCollection | null = null;
    let queue: Promise<unknown> = Promise.resolve();
    // One run at a time in this process; across nodes the store's positions keep counts exact.
    const run = (): Promise<LastCollection> => {
      const next = queue.then(async () => {
        const report = await collectOnce({
          store,
          logger: ctx.logger,
          logs: async () => (await logs.current())?.files ?? [],
          accountIds: async () => new Set((await directory.list()).map((a) => a.id)),
        });
        await enforceQuotas({
          ctx,
          store,
          directory,
          suspension: () => ctx.services.find(accountSuspension),
          action: ctx.config.bandwidth_action,
        });
        last = { at: stamp(), ...report };
        return last;
      });
      queue = next.catch(() => undefined);
      return next;
    };
    ctx.scheduler.schedule({
      name: 'collect',
      when: ctx.config.collect_every,
      run: async () => {
        await run();
      },
    });
    ctx.extensions.provide(accountFields, 'bandwidth', {
      fields: async (ids) => {
        const measured = logs.measured();
        const usage = measured ? await store.usage(periodOf(Date.now()), ids) : new Map<number, number>();
        return new Map(ids.map((id) => [id, { bandwidth_used_mb: measured ? toMb(usage.get(id) ?? 0) : null }]));
      },
    });
    ctx.extensions.provide(metricSources, 'bandwidth', { collect: () => bandwidthMetrics(store, directory) });
    ctx.hooks.after('account.unsuspended', async ({ account, reason }) => {
      if (!reason?.startsWith(REASON_PREFIX)) await liftedByPerson(store, account.id);
    });
    ctx.hooks.after('account.deleted', async ({ account }) => store.forget(account.id));
    for (const r of bandwidthRoutes({ run, last: () => last, logs, action: ctx.config.bandwidth_action })) ctx.route(r);
  },
});
