import type { PluginContext } from '../plugin.js';
import { checkPasswordSource, type DatabaseAdminConfig, readAdminPassword } from './database-admin.js';
import { managedServices } from './managed-services.js';

/**
 * The admin connection to one SQL server: a driver pool made on first use — so a wrong password
 * file shows up as an unavailable engine (with the reason) instead of a plugin that never starts —
 * and closed at shutdown (it reopens on next use). A subclass says how to open its driver's pool.
 *
 * @example
 * ```ts
 * class MyServer extends SqlAdminServer<typeof pg, pg.Pool> {
 *   protected driver() { return import('pg'); }
 *   protected makePool(d: typeof pg) { return new d.Pool({ password: this.password() }); }
 * }
 * ```
 */
export abstract class SqlAdminServer<Driver, Pool extends { end(): Promise<void> }> {
  private pool: Pool | null = null;

  /**
   * `engine` names the server in password errors; `usable` rejects with a 503 while a managed
   * server is not installed or not up.
   */
  constructor(
    readonly config: DatabaseAdminConfig,
    private readonly engine: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly usable?: () => Promise<void>,
  ) {}

  /** The admin password (read on each call so a fixed password file is picked up). */
  password(): string {
    return readAdminPassword(this.config, this.engine, this.env);
  }

  /** End the pool; the next query opens a new one. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.end().catch(() => undefined);
  }

  /** Load the driver module (lazily: a panel without this engine never loads it). */
  protected abstract driver(): Promise<Driver>;
  /** Make the admin pool with the loaded driver. */
  protected abstract makePool(driver: Driver): Pool;

  /** The pool, made on first use once the server is usable. */
  protected async getPool(): Promise<Pool> {
    await this.usable?.();
    const driver = await this.driver();
    if (this.pool) return this.pool;
    this.pool = this.makePool(driver);
    return this.pool;
  }
}

/**
 * The admin connection a SQL engine plugin starts on: its config (refused when it names both
 * password sources), or in local mode the panel's own managed `service` (root over its private
 * socket) in place of the config's server, with `usable` waiting for that server to be up.
 *
 * @example
 * ```ts
 * start(ctx) { const { config, usable } = engineAdminConnection(ctx, 'mariadb'); … }
 * ```
 */
export function engineAdminConnection(
  ctx: PluginContext<DatabaseAdminConfig>,
  service: string,
): { config: DatabaseAdminConfig; usable?: () => Promise<void> } {
  checkPasswordSource(ctx.config, `plugins.${ctx.id}`);
  const managed = ctx.services.find(managedServices);
  const at = managed?.endpoint(service);
  if (!managed || !at) return { config: ctx.config };
  const { socket, port, user } = at;
  return {
    config: { ...ctx.config, socket, host: '', port, user, password_file: '', password_env: '' },
    usable: () => managed.whenUsable(service),
  };
}
