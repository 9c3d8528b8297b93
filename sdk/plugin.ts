import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TSchema } from 'typebox';
import type { Role } from './auth.js';
import type { Migration, PluginDatabase } from './database.js';
import type { ExecService } from './exec.js';
import type { ExtensionRegistry } from './extension-points.js';
import type { HookBus } from './hooks.js';
import type { JobService, Scheduler } from './jobs.js';
import type { Leases } from './leases.js';
import type { LicenceTerms, LicenceView, Tier } from './licence.js';
import type { Logger } from './logger.js';
import type { ApiRequest, RouteDefinition } from './routes.js';
import type { ServiceRegistry } from './services.js';

/** The version of this SDK; manifests declare a semver range of it. */
export const SDK_VERSION = '1.0.0';

/** A plugin's manifest, validated by the loader before anything else runs. */
export interface PluginManifest {
  /** Lowercase id, `[a-z][a-z0-9-]*`, unique on the panel; also the table prefix. */
  id: string;
  name?: string;
  /** Semver of the plugin. */
  version: string;
  /** Semver range of the SDK it was written for, e.g. `^1.0.0`. */
  sdk: string;
  /** Minimum licence tier (default community). */
  tier?: Tier;
  /** Licence feature required to run at all. */
  feature?: string;
  /** Plugins that must be active first. */
  dependencies?: string[];
  /** Plugins started first when present; absence is fine. */
  optionalDependencies?: string[];
  /**
   * What this plugin provides: the ids of its services (`accounts.directory`) and of the extension
   * points it contributes to (`usage-counters`). Plugins that consume them start after it; the
   * kernel warns when a plugin provides something it does not declare here.
   */
  provides?: string[];
  /**
   * What this plugin needs another plugin to provide (service or extension point ids). The loader
   * starts their providers first (and runs its ready tasks after theirs), and refuses the plugin
   * when no plugin provides one; `id?` marks what it can do without (ordering only). A point's
   * owner does not list its own point: its contributors start whenever they like.
   */
  consumes?: string[];
  /** Licence features this plugin checks and usage limits it enforces, with their per-tier values. */
  licence?: LicenceTerms;
  description?: string;
}

/**
 * Panel-wide settings plugins may read (the kernel's top-level config keys). A plugin's own
 * top-level keys (as the API reference documents them) arrive in its `config` instead.
 */
export interface PanelSettings {
  mode: 'local' | 'linux';
  dataDir: string;
  serverHostname: string;
  /** True when the panel runs with `test_mode` (test licences accepted). */
  testMode: boolean;
  /** The panel's version. */
  version: string;
  /** The project's `templates/` folder (vhost, pool and page templates). */
  templatesDir: string;
}

/**
 * The caps an admin set on a reseller, by field (`max_accounts`, `max_domains`, …), as the plugins
 * offering them keep them (`null`: no cap of its own; the licence still applies).
 */
export type ResellerCaps = Record<string, number | null>;

/** Panel logins (users table) as plugins manage them, e.g. the `user` login of a hosting account. */
export interface UserDirectory {
  /**
   * Create a login. Username: 3–64 letters, digits, `.`, `_`, `-` (unique, case-insensitively; a
   * clash is a 409). Give `password` (8–1024 characters) or a `passwordHash` from
   * {@link UserDirectory.hashPassword}. `resellerId` must name a reseller.
   */
  create(user: {
    username: string;
    password?: string;
    passwordHash?: string;
    role: Role;
    resellerId?: number | null;
    subject?: string | null;
  }): Promise<{ id: number }>;
  /**
   * The login of a name, in any letter case (names are unique case-insensitively; on a store still
   * holding names that differ only in case, see {@link UserDirectory.nameClashes}, only the exact
   * name finds one of them). Null when none.
   */
  findByUsername(username: string): Promise<{
    id: number;
    username: string;
    role: Role;
    resellerId: number | null;
    subject: string | null;
    disabled: boolean;
  } | null>;
  /** Disable (suspend) or re-enable a login; disabling ends its sessions and API tokens at once. */
  setDisabled(userId: number, disabled: boolean): Promise<void>;
  /**
   * Set a new password; every existing session of the login ends and its API tokens are deleted
   * (the answer counts them), so nothing the old password opened outlives it.
   */
  setPassword(userId: number, password: string): Promise<{ sessions_ended: true; api_tokens_revoked: number }>;
  /**
   * Check the current password of a login that is changing its own: 400 `<field>: is incorrect`
   * (field defaults to `current_password`) when wrong. Attempts count against the login throttle
   * for `clientIp` (pass `req.ip`) as logins do, so a stolen session cannot guess it.
   *
   * @example
   * ```ts
   * if (req.principal!.userId === row.user_id) await ctx.users.checkPassword(row.user_id, req.body.current_password ?? '', req.ip);
   * ```
   */
  checkPassword(userId: number, password: string, clientIp: string, field?: string): Promise<void>;
  /** Delete a login with its API tokens; its sessions stop working at once. */
  remove(userId: number): Promise<void>;
  /** Hash a password with the panel's scheme (Argon2id), for storing elsewhere. */
  hashPassword(password: string): Promise<string>;
  /**
   * Every cap the active plugins offer on a reseller (see the `reseller-caps` extension point),
   * or null when `resellerId` is not a reseller: for reading another plugin's cap. A plugin
   * checks its own through its own table, inside its check-and-insert lock.
   *
   * @example
   * ```ts
   * const domainCap = (await ctx.users.resellerCaps(resellerId))?.max_domains ?? null;
   * ```
   */
  resellerCaps(resellerId: number): Promise<ResellerCaps | null>;
  /**
   * "Open as": a one-hour session of the `user` login `userId` for the caller of `req`, naming
   * the caller as its impersonator (`Principal.impersonator`, `impersonator` in the audit log).
   * The answer's cookie replaces the caller's session in a browser, which keeps its own session
   * for `POST /api/auth/impersonation/end`. Refused (403) to API tokens and to sessions already
   * opened as someone; 409 for a disabled login. Who may open which login is the caller's
   * check (the route's owner check): the kernel only issues the session. Absent without an auth module.
   *
   * @example
   * ```ts
   * return ctx.users.openSessionAs!(req, row.user_id);
   * ```
   */
  openSessionAs?(req: ApiRequest, userId: number): Promise<OpenedSession>;
  /**
   * Login names that differ only in letter case (each group sorted; none on a clean store). Names
   * are unique case-insensitively, but a store that held such names before keeps them until an
   * admin leaves one of each: meanwhile only its exact name logs in to each, and the store cannot
   * enforce unique names. For admins only (it names other logins). Absent without an auth module.
   *
   * @example
   * ```ts
   * const clashes = (await ctx.users.nameClashes?.()) ?? [];
   * ```
   */
  nameClashes?(): Promise<string[][]>;
}

/** The session {@link UserDirectory.openSessionAs} opened. */
export interface OpenedSession {
  token: string;
  username: string;
  role: Role;
  /** ISO time the session ends (one hour). */
  expires_at: string;
  impersonator: { id: number; username: string };
}

/** Everything a plugin receives when it starts. */
export interface PluginContext<C = Record<string, unknown>> {
  id: string;
  /** This plugin's config section, validated against `configSchema` with defaults applied. */
  config: C;
  settings: PanelSettings;
  db: PluginDatabase;
  logger: Logger;
  jobs: JobService;
  scheduler: Scheduler;
  /** Cluster-wide leases, named per plugin, for work that must run on one panel node at a time. */
  leases: Leases;
  exec: ExecService;
  hooks: HookBus;
  services: ServiceRegistry;
  extensions: ExtensionRegistry;
  users: UserDirectory;
  /** Current licence (live: re-read when the licence file changes). */
  licence(): LicenceView;
  /** Register an HTTP route. */
  route(def: RouteDefinition): void;
  /**
   * Handle requests that no route matched (pages and static assets outside `/api`). Return true
   * when the handler answered; false passes the request on (and finally to the 404). Called only
   * while the plugin is active.
   */
  fallback(handler: FallbackHandler): void;
  /** Register a function run at shutdown (reverse order across plugins). */
  onStop(fn: () => Promise<void> | void): void;
  /**
   * Run `fn` once every plugin has started and the panel listens, in the background (not awaited;
   * errors are logged; requests may arrive while it runs),
   * for start-up work that needs the services, extension entries and hooks of plugins that start
   * later — e.g. reconciling configuration files with the database.
   */
  onReady(fn: () => Promise<void> | void): void;
  /**
   * Hand the panel's own listener (:7070) a new certificate chain and private key (PEM). Throws
   * when the pair is unusable (unparseable, key not matching) and the old pair stays. Called
   * during `start`, the panel then listens over HTTPS; later calls swap the pair into the running
   * listener for new connections, without a restart.
   */
  setPanelCertificate(certPem: string, keyPem: string): void;
  /**
   * Record in the audit log something that happened outside a request — a scheduled task's
   * outcome, above all a failure — beside the entries of mutating requests.
   *
   * @example
   * ```ts
   * ctx.audit({ action: 'backup.scheduled', target: 'account:7', ok: false, detail: e.message });
   * ```
   */
  audit(event: AuditEvent): void;
}

/** An audit entry a plugin records outside a request (see {@link PluginContext.audit}). */
export interface AuditEvent {
  /** What happened, e.g. `backup.scheduled` (shown as the route; the method is `TASK`). */
  action: string;
  /** What it concerned, e.g. `account:7`. */
  target?: string | null;
  ok: boolean;
  /** Short human detail, e.g. the reason of a failure (never a secret). */
  detail?: string;
}

/** A handler for unmatched requests, see {@link PluginContext.fallback}; true when it answered. */
export type FallbackHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** A plugin definition. `start` may register routes, hooks, services and extension entries. */
export interface PluginDefinition<C = any> {
  manifest: PluginManifest;
  /** Schema of the plugin's config section (`[plugins.<id>]`). */
  configSchema?: TSchema;
  migrations?: Migration[];
  start(ctx: PluginContext<C>): Promise<void> | void;
}

/**
 * Define a plugin. The default export of `plugins/<id>/index.ts` (or a third-party package's main).
 *
 * @example
 * ```ts
 * export default definePlugin({
 *   manifest: { id: 'hello', version: '1.0.0', sdk: '^1.0.0' },
 *   start(ctx) { ctx.route({ method: 'GET', path: '/api/hello', access: {}, handler: () => ({ hi: true }) }); },
 * });
 * ```
 */
export function definePlugin<C = any>(def: PluginDefinition<C>): PluginDefinition<C> {
  return def;
}
