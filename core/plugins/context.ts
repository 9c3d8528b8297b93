import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'tsyringe';
import type { PluginContext, UserDirectory } from '../../sdk/plugin.js';
import type { PanelConfig } from '../config/schema.js';
import { pluginDatabase, tablePrefix } from '../db/database.js';
import { runMigrations } from '../db/migrations.js';
import type { Kernel } from '../kernel.js';
import { provided, Tokens } from '../tokens.js';
import { compileValidator } from '../validation.js';
import type { PluginSlot } from './loader.js';

/** The top-level config keys a plugin's config schema names. */
export function topLevelFor(
  schema: { properties?: Record<string, unknown> },
  topLevel: Record<string, unknown> = {},
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(topLevel).filter(([key]) => Object.hasOwn(schema.properties ?? {}, key)));
}

/**
 * Builds each plugin's context: its config section (validated), its prefixed database handle
 * after running its migrations, and plugin-scoped views of hooks, jobs, services, extension
 * points and routes. Each plugin gets a child of the kernel's container: the services it provides
 * are registered there, and what kernel modules provide (the user directory, the audit sink) is
 * resolved through it. Returns a reason string when it cannot.
 */
@injectable()
export class PluginContextFactory {
  constructor(
    @inject(Tokens.Config) private readonly config: PanelConfig,
    @inject(Tokens.Kernel) private readonly kernel: Kernel,
  ) {}

  async prepare(slot: PluginSlot): Promise<PluginContext | string> {
    const k = this.kernel;
    const id = slot.id;
    const def = slot.def!;
    let section: unknown = this.config.plugins[id] ?? {};
    if (def.configSchema) {
      // A top-level key the plugin's schema names (as the API reference documents `acme_email`) fills its section; the section wins.
      section = { ...topLevelFor(def.configSchema, this.config.top_level), ...(section as Record<string, unknown>) };
      try {
        section = compileValidator(def.configSchema, { where: `plugins.${id}` }).parse(section);
      } catch (e) {
        return `misconfigured: plugins.${id}.${(e as Error).message}`;
      }
      // A limit whose Community figure is a setting of this plugin takes it now.
      k.tiers.configure(id, section as Record<string, unknown>);
    }
    const db = pluginDatabase(k.knex, k.dbClient, id);
    const migrated = await runMigrations(k.knex, tablePrefix(id), def.migrations ?? [], db.table);
    if (!migrated.ok) return migrated.reason;
    const child = k.container.createChildContainer();
    let users: UserDirectory | null = null;
    const ctx: PluginContext = {
      id,
      config: section as Record<string, unknown>,
      settings: k.settings(),
      db,
      logger: k.logger.child({ plugin: id }),
      jobs: k.jobs.forPlugin(id),
      scheduler: k.scheduler.forPlugin(id),
      leases: {
        acquire: (name) => k.leases.acquire(`${id}:${name}`),
        holds: (name) => k.leases.holds(`${id}:${name}`),
        release: (name) => k.leases.release(`${id}:${name}`),
      },
      exec: k.exec,
      hooks: k.hooks.forPlugin(id),
      services: k.services.forPlugin(id, child),
      extensions: k.extensions.forPlugin(id),
      get users() {
        users ??= provided(child, Tokens.Users);
        if (!users) throw new Error('user directory is not available');
        return users;
      },
      licence: () => k.licence(),
      route: (r) => k.http.add(id, r),
      setPanelCertificate: (cert, key) => k.http.setCertificate(cert, key),
      fallback: (fn) => k.http.fallbacks.push((req, res) => (k.plugins.isActive(id) ? fn(req, res) : false)),
      onStop: (fn) => slot.stops.push(fn),
      onReady: (fn) => k.readyTasks.push({ pluginId: id, fn }),
      audit: (e) =>
        provided(child, Tokens.AuditSink)?.record({
          time: new Date().toISOString(),
          user_id: null,
          username: null,
          role: null,
          reseller_id: null,
          method: 'TASK',
          route: e.action,
          path: e.detail ?? '',
          target: e.target ?? null,
          status: e.ok ? 200 : 500,
          ok: e.ok,
          ip: '-',
          request_id: randomUUID(),
          plugin: id,
        }),
    };
    return ctx;
  }
}
