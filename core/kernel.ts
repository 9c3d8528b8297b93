import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { LicenceTerms, LicenceView } from '../sdk/licence.js';
import type { Logger } from '../sdk/logger.js';
import type { PanelSettings, PluginDefinition, UserDirectory } from '../sdk/plugin.js';
import type { RouteDefinition } from '../sdk/routes.js';
import type { PanelConfig } from './config/schema.js';
import { PgChangeFeed, QuietChangeFeed, type ChangeFeed } from './cluster/change-feed.js';
import { LeaseService, SCHEDULER_LEASE } from './cluster/leases.js';
import { PollingChangeFeed } from './cluster/polling-feed.js';
import { openDatabase, storeLocation, type DbClient } from './db/database.js';
import { runMigrations } from './db/migrations.js';
import { SystemExec } from './exec.js';
import { tightenModes } from './file-modes.js';
import { kernelPrivateFiles } from './private-files.js';
import { HookRegistry } from './hooks.js';
import { HttpKernel } from './http/server.js';
import type { AuditSink } from './http/types.js';
import { isLoopback } from './http/client-ip.js';
import { JobRunner } from './jobs/job-service.js';
import type { KernelModule, ModuleHost } from './kernel-module.js';
import { ScheduleRunner } from './jobs/scheduler.js';
import { allKernelMigrations } from './kernel-migrations.js';
import { communityLicence } from './licence/community.js';
import { TierTable } from './licence/tiers.js';
import { createLogger } from './logger.js';
import { PluginContextFactory } from './plugins/context.js';
import { discoverPlugins, firstPartyDir } from './plugins/discover.js';
import { ExtensionStore } from './plugins/extensions.js';
import { ConfigError } from './config/load.js';
import { PluginHost, type PluginSlot } from './plugins/loader.js';
import { undeclaredProvisions } from './plugins/order.js';
import { runInOrder } from './plugins/ready.js';
import { ServiceStore } from './plugins/services.js';
import { panelVersion, projectRoot } from './paths.js';
import { coreRoutes } from './routes/index.js';
import { provide, provided, providedAll, Tokens, type Token } from './tokens.js';

export type { KernelModule, ModuleHost } from './kernel-module.js';

export interface KernelOptions {
  config: PanelConfig;
  logger?: Logger;
  /** Restrict first-party plugins to these folder names (tests). */
  onlyPlugins?: string[];
  /** Extra plugin definitions (tests, embedding). */
  inlinePlugins?: PluginDefinition[];
  modules?: KernelModule[];
}

/**
 * Everything the kernel is made of. Its container (tsyringe) is how the parts meet: kernel
 * modules register what they provide under typed {@link Tokens} and the kernel attaches it; each
 * plugin gets a child container holding the services it provides.
 */
export class Kernel implements ModuleHost {
  readonly version = panelVersion();
  readonly container: DependencyContainer = rootContainer.createChildContainer();
  readonly logger: Logger;
  readonly knex: Knex;
  readonly dbClient: DbClient;
  readonly http: HttpKernel;
  readonly hooks: HookRegistry;
  readonly jobs: JobRunner;
  readonly scheduler: ScheduleRunner;
  /** Leases in the shared store: schedules run only on the node holding the scheduler lease. */
  readonly leases: LeaseService;
  /** What other nodes sharing the store changed (LISTEN/NOTIFY on PostgreSQL, rows read each second on MariaDB). */
  readonly changes: ChangeFeed;
  readonly exec = new SystemExec();
  readonly plugins: PluginHost;
  readonly extensions: ExtensionStore;
  readonly services: ServiceStore;
  readonly startedAt = Date.now();
  private readonly bootAt = performance.now();
  /** Tiers' features and limits, as plugins and kernel modules declare them. */
  readonly tiers = new TierTable();
  /** The licence in force: the one a module registered ({@link Tokens.Licence}), else Community. */
  private licenceSource: () => LicenceView = () => communityLicence(this.tiers);
  /** Tasks plugins asked to run once every plugin has started (`ctx.onReady`). */
  readonly readyTasks: { pluginId: string; fn: () => Promise<void> | void }[] = [];
  /** Settles once every ready task has (start-up reconciliations included); for benchmarks and tests. */
  readySettled: Promise<void> = Promise.resolve();
  private stopped = false;
  address: AddressInfo | null = null;

  constructor(
    readonly config: PanelConfig,
    private readonly opts: KernelOptions,
  ) {
    this.logger = opts.logger ?? createLogger({ level: config.log_level, format: config.log_format });
    mkdirSync(config.data_dir, { recursive: true, mode: 0o750 });
    const db = openDatabase(config.database_url, config.data_dir);
    this.knex = db.knex;
    this.dbClient = db.client;
    this.plugins = new PluginHost(this.logger, () => this.licence());
    const active = (id: string) => this.plugins.isActive(id);
    this.hooks = new HookRegistry(this.logger, config.hook_timeout_ms, active);
    this.leases = new LeaseService(this.knex, this.logger, config.lease_ttl_ms);
    this.changes =
      this.dbClient === 'pg'
        ? new PgChangeFeed(config.database_url, this.knex, this.leases.nodeId, this.logger)
        : this.dbClient === 'mysql'
          ? new PollingChangeFeed(this.knex, this.leases.nodeId, this.logger)
          : new QuietChangeFeed();
    this.jobs = new JobRunner(this.knex, this.logger, this.leases.nodeId, this.changes);
    this.scheduler = new ScheduleRunner(this.logger);
    this.scheduler.mayRun = () => this.leases.acquire(SCHEDULER_LEASE);
    this.extensions = new ExtensionStore(
      () => this.licence(),
      (id) => {
        const s = this.plugins.state(id);
        return { ok: s.state === 'active', reason: s.reason ?? undefined };
      },
    );
    this.services = new ServiceStore(active);
    this.http = new HttpKernel({
      bodyLimit: config.body_limit_bytes,
      trustedProxies: config.trusted_proxies,
      logger: this.logger,
      licence: () => this.licence(),
      gate: (id, p) => this.plugins.gate(id, p),
      store: storeLocation(config.database_url, config.data_dir),
    });
    provide(this.container, Tokens.Config, config);
    provide(this.container, Tokens.Kernel, this);
  }

  /** The licence in force (its view changes as the licence file does). */
  licence(): LicenceView {
    return this.licenceSource();
  }

  /** The user directory the auth module registered, or null without one. */
  get users(): UserDirectory | null {
    return provided(this.container, Tokens.Users);
  }

  /** Where the audit record goes (the audit module's sink), or null without one. */
  get audit(): AuditSink | null {
    return provided(this.container, Tokens.AuditSink);
  }

  /** Register what a kernel module provides (a plugin's services go into its own child container instead). */
  provide<T>(token: Token<T>, value: T): void {
    provide(this.container, token, value);
  }

  /** Attach what the modules registered so far to the parts that use it (after each module installs). */
  private attachProvided(): void {
    const c = this.container;
    const licence = provided(c, Tokens.Licence);
    if (licence) this.licenceSource = licence;
    this.http.attach({
      authenticator: provided(c, Tokens.Authenticator),
      audit: this.audit,
      observers: providedAll(c, Tokens.ResponseObserver),
    });
    this.plugins.attachGates(providedAll(c, Tokens.PluginGate));
  }

  settings(): PanelSettings {
    const c = this.config;
    return {
      mode: c.mode,
      dataDir: c.data_dir,
      serverHostname: c.server_hostname,
      testMode: c.test_mode,
      version: this.version,
      templatesDir: path.join(projectRoot(), 'templates'),
    };
  }

  /** Register a kernel route (owned by `core`). */
  route(def: RouteDefinition): void {
    this.http.add('core', def);
  }

  /** Migrate, install kernel modules, load and start plugins, listen. */
  async start(): Promise<AddressInfo> {
    const modules = this.opts.modules ?? [];
    const fixed = tightenModes(kernelPrivateFiles(this.config));
    if (fixed.length) this.logger.warn('narrowed the modes of private files that had drifted', { files: fixed });
    if (this.config.tls_cert_path) {
      this.http.certificate.load(this.config.tls_cert_path, this.config.tls_key_path);
      this.http.certificate.watch(this.config.tls_cert_path, this.config.tls_key_path);
    }
    const core = await runMigrations(this.knex, 'core', allKernelMigrations(modules), (n) => `core_${n}`);
    if (!core.ok) throw new Error(`panel database: ${core.reason}`);
    await this.leases.start();
    await this.changes.start();
    // SQLite serves one node: whatever it ran before is over. A shared store keeps other live nodes' jobs.
    await this.jobs.recover(this.dbClient === 'sqlite' ? [] : await this.leases.liveNodes());
    // Jobs of a node that died while others run are failed by whichever node holds the scheduler lease.
    this.scheduler.schedule('core:orphaned-jobs', {
      name: 'orphaned-jobs',
      when: `every ${Math.ceil(this.config.lease_ttl_ms / 1000)}s`,
      run: async () => void (await this.jobs.recover(await this.leases.liveNodes())),
    });
    for (const m of modules) this.declareTerms(m.name, m.licence);
    for (const m of modules) {
      await m.install(this);
      this.attachProvided();
    }
    for (const r of coreRoutes(this)) this.route(r);
    const found = [
      ...(await discoverPlugins(firstPartyDir(), 'first-party', this.opts.onlyPlugins)),
      ...(this.config.plugins_dir ? await discoverPlugins(this.config.plugins_dir, 'third-party') : []),
      ...(this.opts.inlinePlugins ?? []).map((def) => ({ def, source: 'inline' as const, dir: null, problem: null })),
    ];
    this.logger.debug('plugins imported', { ms: Math.round(performance.now() - this.bootAt) });
    this.plugins.register(found);
    for (const slot of this.plugins.slots.values()) this.declareTerms(slot.id, slot.manifest?.licence);
    this.refuseUnclaimedKeys();
    await this.loadAdminChoices();
    const factory = this.container.resolve(PluginContextFactory);
    await this.plugins.startAll((slot) => factory.prepare(slot), this.config.plugin_start_timeout_ms);
    for (const slot of this.plugins.slots.values()) {
      if (slot.started) this.warnIfUndeclared(slot);
      if (!slot.failure) continue;
      this.hooks.removePlugin(slot.id);
      this.extensions.removePlugin(slot.id);
      this.services.removePlugin(slot.id);
    }
    this.warnIfPlainHttp();
    this.address = await this.http.listen(this.config.bind_port, this.config.bind_address);
    // Background work (reconciliations, scans that spawn programs) starts once the panel serves,
    // so it does not compete with start-up for the CPU; each plugin's after those of the plugins
    // it starts after (its vhosts are reconciled once the accounts they belong to are).
    const ready = this.readyTasks.splice(0);
    this.readySettled = new Promise((settle) =>
      setImmediate(() =>
        runInOrder(ready, this.plugins.after, (t) => {
          if (this.stopped || !this.plugins.isActive(t.pluginId)) return;
          const at = performance.now();
          return Promise.resolve()
            .then(t.fn)
            .then(() =>
              this.logger.debug('plugin ready task done', {
                plugin: t.pluginId,
                ms: Math.round(performance.now() - at),
              }),
            )
            .catch((e: Error) =>
              this.logger.error('plugin ready task failed', { plugin: t.pluginId, error: e?.message }),
            );
        }).then(settle),
      ),
    );
    return this.address;
  }

  /** Add a plugin's or module's licence features and limits to the tier table. */
  private declareTerms(owner: string, terms: LicenceTerms | undefined): void {
    for (const problem of this.tiers.declare(owner, terms)) this.logger.warn(problem, { plugin: owner });
  }

  /** A top-level config key neither the kernel nor any plugin's config schema names is a mistake (a typo): stop with one line. */
  private refuseUnclaimedKeys(): void {
    const schemas = [...this.plugins.slots.values()].map((s) => s.def?.configSchema).filter((s) => s !== undefined);
    const unclaimed = Object.keys(this.config.top_level ?? {}).find(
      (key) => !schemas.some((s) => Object.hasOwn((s as { properties?: object }).properties ?? {}, key)),
    );
    if (unclaimed) throw new ConfigError(`config: ${unclaimed}: unknown field`);
  }

  /** Consumers order themselves by manifests: what a plugin provides without declaring it may be used before it starts. */
  private warnIfUndeclared(slot: PluginSlot): void {
    const extra = undeclaredProvisions(slot.manifest!, [
      ...this.services.providedBy(slot.id),
      ...this.extensions.providedBy(slot.id),
    ]);
    if (extra.length)
      this.logger.warn(
        `plugin '${slot.id}' provides ${extra.map((x) => `'${x}'`).join(', ')} without declaring it in its manifest's provides`,
        { plugin: slot.id },
      );
  }

  /** Tokens and passwords would cross the network in clear text: say so loudly (start-up still proceeds). */
  private warnIfPlainHttp(): void {
    const c = this.config;
    if (
      this.http.certificate.active ||
      c.allow_plain_http ||
      c.bind_address === 'localhost' ||
      isLoopback(c.bind_address)
    )
      return;
    this.logger.warn(
      `INSECURE: the panel listens on ${c.bind_address}:${c.bind_port} over plain HTTP, so passwords and session tokens cross the network in clear text. ` +
        "Set tls_cert_path and tls_key_path (or let a plugin manage the panel's certificate), or bind to 127.0.0.1 behind a TLS proxy; " +
        'set allow_plain_http = true to accept plain HTTP and silence this warning.',
      { bind: `${c.bind_address}:${c.bind_port}` },
    );
  }

  private async loadAdminChoices(): Promise<void> {
    for (const row of await this.knex('core_plugin_state').select('plugin_id', 'enabled')) {
      const slot = this.plugins.slots.get(row.plugin_id);
      if (slot) slot.adminDisabled = !row.enabled;
    }
  }

  /** Graceful stop: no new requests, bounded wait for jobs, plugins in reverse order, modules, database. */
  async stop(jobGraceMs = 10_000): Promise<void> {
    this.stopped = true;
    await this.http.close();
    this.scheduler.stop();
    await this.jobs.drain(jobGraceMs);
    await this.plugins.stopAll();
    for (const m of [...(this.opts.modules ?? [])].reverse()) await m.stop?.();
    await this.changes.stop();
    await this.leases.stop();
    await this.knex.destroy();
  }
}
