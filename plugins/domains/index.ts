import {
  accountDomains,
  definePlugin,
  domainDirectory,
  managedServices,
  resellerCaps,
  resellerCapsMigration,
  resellerCapTable,
  Type,
  usageCounters,
  type Static,
} from '../../sdk/index.js';
import { domainService } from './directory.js';
import { engineRoutes, reconcileVhosts, type VhostReconciliation } from './engine-routes.js';
import { migrations } from './migrations.js';
import { domainRoutes } from './routes.js';
import { DomainStore } from './store.js';
import { VhostSync } from './vhosts.js';

const DomainsConfig = Type.Object({
  /**
   * Entry id of the web-server engine rendering vhosts (`veloserve`, `nginx`, or a third-party one);
   * empty: `nginx` when the panel runs its own nginx (local mode), else `veloserve`.
   */
  engine: Type.String({
    default: '',
    pattern: '^([a-z0-9][a-z0-9_-]{0,63})?$',
    'x-error': 'must be an engine id such as "veloserve" or "nginx"',
  }),
  /**
   * Domain adds and removals arriving within this many ms (or while a batch is applied) share one
   * main-file rebuild, config test and reload.
   */
  change_window_ms: Type.Integer({ default: 5, minimum: 0, maximum: 1000 }),
  /**
   * How long past its window a batch may wait for changes announced as coming (account creates
   * under way) before it goes without them; 0: it does not wait.
   */
  change_hold_ms: Type.Integer({ default: 100, minimum: 0, maximum: 5000 }),
  /** Domains a panel without a paid licence may hold (a top-level key of the TOML, as the API reference documents it). */
  max_domains_free: Type.Integer({ default: 10, minimum: 0 }),
});
type DomainsConfig = Static<typeof DomainsConfig>;

/**
 * Domains (primary, addon, subdomain, alias) and their virtual hosts, rendered by the configured
 * web-server engine with compare-first, test-then-swap regeneration.
 */
export default definePlugin<DomainsConfig>({
  manifest: {
    id: 'domains',
    name: 'Domains',
    version: '1.0.0',
    sdk: '^1.0.0',
    dependencies: ['accounts'],
    optionalDependencies: ['veloserve', 'nginx', 'local-services'],
    provides: ['usage-counters', 'reseller-caps', 'domains.directory', 'account-domains'],
    consumes: ['accounts.directory', 'webserver-engines', 'local-services.managed?'],
    licence: {
      limits: {
        max_domains: {
          counter: 'domains',
          tiers: { community: 10, pro: null, business: null },
          communitySetting: 'max_domains_free',
        },
      },
    },
    description: 'Domains and virtual hosts through a web-server engine',
  },
  configSchema: DomainsConfig,
  // Reseller caps on domains: this plugin's table, the values the kernel kept before moved in.
  migrations: [...migrations, resellerCapsMigration('003_reseller_caps', 'max_domains')],
  start(ctx) {
    const store = new DomainStore(ctx.db);
    const engine = ctx.config.engine || (ctx.services.find(managedServices)?.endpoint('nginx') ? 'nginx' : 'veloserve');
    const vhosts = new VhostSync(ctx, store, engine, ctx.config.change_window_ms, ctx.config.change_hold_ms);
    const service = domainService(ctx, store, vhosts);
    ctx.services.provide(domainDirectory, service);
    ctx.extensions.provide(accountDomains, 'domains', service);
    ctx.extensions.provide(usageCounters, 'domains', { count: () => store.count() });
    ctx.extensions.provide(resellerCaps, 'max_domains', resellerCapTable(ctx.db));
    const report: VhostReconciliation = {
      state: 'pending',
      orphan_domains: [],
      recreated_roots: [],
      rewritten: [],
      orphan_vhosts: [],
      failed: [],
      result: null,
      error: null,
    };
    for (const r of [...domainRoutes(ctx, store, service), ...engineRoutes(ctx, vhosts, report)]) ctx.route(r);
    // Once every plugin has started (engines and contributors included), off the start-up path.
    // The kernel runs it after the accounts plugin's own repairs (restored statuses, homes made again).
    ctx.onReady(() => reconcileVhosts(ctx, store, vhosts, report));
  },
});
