import { mkdirSync } from 'node:fs';
import {
  accountDirectory,
  acmeChallengeProviders,
  definePlugin,
  dnsServerEngines,
  domainDirectory,
  errors,
  isPanelError,
  KeyedLock,
  managedServices,
  type DnsServerEngine,
} from '../../sdk/index.js';
import { Dns01ZoneProvider } from './challenge.js';
import { DnsConfig, dnsSettings } from './config.js';
import { BindEngine } from './engines/bind.js';
import { PowerDnsEngine } from './engines/powerdns.js';
import { pendingReport, reconcileZones } from './reconcile.js';
import { RecordEditor } from './records.js';
import { dnsRoutes } from './routes.js';
import { DnsStore, migrations } from './store.js';
import { ZoneSync } from './zones.js';

/**
 * DNS zones for the panel's domains on an authoritative server reached through the
 * `dns-servers` extension point (first engine: PowerDNS over its HTTP API): zones follow domain
 * events, a records API with strict validation, start-up reconciliation of drift, and a DNS-01
 * challenge provider for wildcard certificates. Without a reachable server the panel still
 * starts and every DNS route answers 503 naming what to install.
 */
export default definePlugin<DnsConfig>({
  manifest: {
    id: 'dns',
    name: 'DNS zones',
    version: '1.0.0',
    sdk: '^1.0.0',
    dependencies: ['accounts', 'domains'],
    optionalDependencies: ['local-services'],
    provides: ['dns-servers', 'acme-challenges'],
    consumes: ['accounts.directory', 'domains.directory', 'local-services.managed?'],
    description: 'DNS zones for the domains, through a DNS-server engine (PowerDNS)',
  },
  configSchema: DnsConfig,
  migrations,
  start(ctx) {
    const s = dnsSettings(ctx.config, ctx.settings);
    // In local mode the panel's own PowerDNS (its API and key) replaces the configured server.
    const managed = ctx.services.find(managedServices);
    const pdns = managed?.endpoint('pdns');
    const powerdns = pdns
      ? {
          ...s.powerdns,
          apiUrl: pdns.apiUrl!,
          apiKey: pdns.apiKey!,
          serverId: 'localhost',
          usable: () => managed!.whenUsable('pdns'),
        }
      : s.powerdns;
    ctx.extensions.provide(dnsServerEngines, 'powerdns', new PowerDnsEngine(powerdns));
    if (s.engine === 'bind') mkdirSync(s.bind.zoneDir, { recursive: true, mode: 0o755 });
    ctx.extensions.provide(dnsServerEngines, 'bind', new BindEngine({ ...s.bind, exec: ctx.exec }));
    const engine = (): DnsServerEngine => {
      const entry = ctx.extensions.find(dnsServerEngines, s.engine);
      if (!entry)
        throw errors.unavailable(
          `DNS engine '${s.engine}' is not installed: no plugin provides it ([plugins.dns] engine)`,
        );
      if (!entry.available)
        throw errors.unavailable(
          `DNS engine '${s.engine}' is not available: ${entry.reason ?? 'its plugin is not active'}`,
        );
      return entry.value;
    };
    const store = new DnsStore(ctx.db);
    const locks = new KeyedLock();
    const sync = new ZoneSync({ engine, store, settings: s, hooks: ctx.hooks, locks });
    const editor = new RecordEditor({
      engine,
      store,
      accounts: () => ctx.services.get(accountDirectory),
      settings: s,
      hooks: ctx.hooks,
      locks,
    });
    // Wildcard certificates: the ssl plugin picks this provider for names in these zones.
    ctx.extensions.provide(acmeChallengeProviders, 'dns-01-zones', new Dns01ZoneProvider({ engine, store, locks }));
    const report = pendingReport();
    const reconcile = () =>
      reconcileZones(
        { engine, store, sync, domains: () => ctx.services.get(domainDirectory).list(), logger: ctx.logger },
        report,
      );

    /** Hooks never fail a domain change: a DNS server that is down is repaired by reconciliation. */
    const tolerant = (what: string, work: () => Promise<unknown>) => async () => {
      try {
        await work();
      } catch (e) {
        const level = isPanelError(e) && e.code === 'UNAVAILABLE' ? 'warn' : 'error';
        ctx.logger[level](
          `DNS: ${what} did not reach the DNS server; start-up reconciliation (or POST /api/dns/reconcile) repairs it`,
          { error: (e as Error).message },
        );
      }
    };
    // A primary is made inside an account's creation, which may still fail and be undone (without
    // a domain.deleted): its zone waits for account.created, which comes only when all went well.
    ctx.hooks.after('domain.created', ({ domain }) =>
      domain.domain_type === 'primary'
        ? undefined
        : tolerant(`zone for ${domain.domain_name}`, () => sync.place(domain))(),
    );
    ctx.hooks.after('account.created', ({ account }) =>
      tolerant(`zone for ${account.primary_domain}`, async () => {
        const primary = (await ctx.services.get(domainDirectory).forAccount(account.id)).find(
          (x) => x.domain_type === 'primary',
        );
        if (primary) await sync.place(primary);
      })(),
    );
    ctx.hooks.after('domain.deleted', ({ domain }) =>
      tolerant(`removing the DNS of ${domain.domain_name}`, () => sync.unplace(domain.id))(),
    );
    ctx.hooks.after('account.deleted', ({ account }) =>
      tolerant(`removing the zones of ${account.username}`, () => sync.unplaceAccount(account.id))(),
    );

    for (const r of dnsRoutes(ctx, { store, editor, engine, report, reconcile })) ctx.route(r);
    // The kernel runs it after the accounts and domains plugins' own start-up repairs.
    ctx.onReady(async () => void (await reconcile()));
  },
});
