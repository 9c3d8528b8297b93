import type { Readable, Writable } from 'node:stream';
import { errors, isPanelError, type PanelError } from '../errors.js';
import { createExtensionPoint } from '../extension-points.js';
import type { DatabaseCredentialSupport } from './database-credentials.js';

/** Longest names an engine accepts, in characters (names are ASCII, so also bytes). */
export interface DatabaseNameLimits {
  /** Longest database name (MySQL/MariaDB 64, PostgreSQL 63). */
  database: number;
  /** Longest user/role name (MySQL 32, MariaDB 80, PostgreSQL 63). */
  user: number;
}

/** What {@link DatabaseEngine.health} reports. */
export interface DatabaseEngineHealth {
  /** True when the admin connection works. */
  available: boolean;
  /** Server version string, e.g. `10.11.6-MariaDB-0+deb12u1`; null when unavailable. */
  version: string | null;
  /** Why the engine is unavailable (names the engine; never carries a password, a path or a socket). */
  error?: string;
  /** The driver's own words for admins only (e.g. `connect ENOENT /run/mysqld/mysqld.sock`). */
  detail?: string;
}

/** A database and its dedicated user, as an engine creates it. */
export interface DatabaseGrant {
  /** Database name, already validated (`[A-Za-z0-9_]`) and within {@link DatabaseNameLimits}. */
  database: string;
  /** User (role) name, same rules; the user may use this database and nothing else. */
  user: string;
  /** The user's password. Never logged, never put in argv, never interpolated without the driver's escaping. */
  password: string;
}

/** Size and table count of one database. */
export interface DatabaseStats {
  database: string;
  /** Bytes on disk as the server reports them. */
  size: number;
  /** Number of tables (not views) outside the system schemas. */
  tables: number;
}

/**
 * A database server the panel creates per-account databases on. The `databases` plugin consumes
 * every entry of {@link databaseEngines}; first-party entries are `mysql`, `mariadb` (plugin
 * `mysql`) and `postgresql` (plugin `postgresql`). Every method throws the SDK's `errors`:
 * `conflict` when a name is taken, `unavailable` (naming the engine) when the server cannot be
 * reached, `externalCommand` when a dump or restore tool fails.
 *
 * The optional {@link DatabaseCredentialSupport} methods let backups keep a user's password when a
 * restore has to recreate the user.
 *
 * Run {@link describeDatabaseEngineConformance} from `sdk/testing` against any implementation.
 *
 * @example
 * ```ts
 * ctx.extensions.provide(databaseEngines, 'mysql', new MysqlEngine({ id: 'mysql', ... }));
 * ```
 */
export interface DatabaseEngine extends DatabaseCredentialSupport {
  /** Entry id, e.g. `mysql`; also what the API's `engine` field names. */
  readonly id: string;
  /** Other names the API accepts for this engine (e.g. `postgres`). */
  readonly aliases?: readonly string[];
  /** Human name, e.g. `MariaDB`. */
  readonly name: string;
  readonly limits: DatabaseNameLimits;
  /** Host a customer's application connects to (answered as `host` on create), e.g. `localhost`. */
  readonly clientHost: string;
  /** Whether the admin connection works, and the server version. Never throws. */
  health(): Promise<DatabaseEngineHealth>;
  /**
   * Create the database and its user with rights on that database only (MySQL/MariaDB: the user
   * for `localhost` and `127.0.0.1`; PostgreSQL: a login role owning the database, `CONNECT`
   * revoked from PUBLIC). All or nothing: on failure, whatever was made is removed.
   * Throws `conflict` if the database or the user already exists.
   */
  create(grant: DatabaseGrant): Promise<void>;
  /** Stats of those of `databases` that exist on the server (missing ones are left out). */
  list(databases: string[]): Promise<DatabaseStats[]>;
  /** Whether a database or a user of that name exists on the server. */
  exists(names: { database: string; user: string }): Promise<{ database: boolean; user: boolean }>;
  /** Drop the database and its user. Idempotent: what is already gone is skipped. */
  drop(names: { database: string; user: string }): Promise<void>;
  /**
   * Write a plain SQL dump of the database (no `CREATE DATABASE`, no owner or grant statements)
   * into `into`, which is ended when the dump ends. Streams; never buffers the whole dump.
   */
  dump(database: string, into: Writable): Promise<void>;
  /**
   * Load a dump made by {@link dump} from `from` into an existing database. Runs with the rights
   * of that database only — never as the server's admin — so a hostile dump cannot reach
   * anything else. `user` is the database's own user, which keeps owning what is restored; views,
   * triggers and routines the dump defines for another user (MySQL `DEFINER`) should come back
   * defined by `user`, so they work without that other user.
   */
  restore(names: { database: string; user: string }, from: Readable): Promise<void>;
  /** Close admin connections (called at shutdown). */
  close?(): Promise<void>;
}

/** Extension point: database engines, keyed by engine id (`mysql`, `mariadb`, `postgresql`, …). */
export const databaseEngines = createExtensionPoint<DatabaseEngine>({ id: 'database-engines', owner: 'databases' });

/**
 * Guard for engines: throws a 400 unless each given name is 1–limit ASCII letters, digits or `_`
 * — the only names the panel hands to engines, checked again where they meet SQL and tool argv.
 *
 * @example
 * ```ts
 * assertDatabaseNames({ database: grant.database, user: grant.user }, this.limits);
 * ```
 */
export function assertDatabaseNames(names: { database?: string; user?: string }, limits: DatabaseNameLimits): void {
  for (const field of ['database', 'user'] as const) {
    const name = names[field];
    if (name === undefined) continue;
    const max = limits[field];
    if (typeof name !== 'string' || name.length < 1 || name.length > max || !/^[A-Za-z0-9_]+$/.test(name))
      throw errors.validation(`${field}: must be 1–${max} letters, digits or underscores`);
  }
}

/**
 * Turn a driver error into a catalogue error naming the engine: a code in `unreachable` (or no
 * code at all) → 503 `unavailable`, a code in `taken` → 409 `conflict` with the server's message,
 * anything else → 502. The driver's own text of a 503 or 502 (sockets, hosts, server paths) is
 * admin-only detail ({@link PanelError.withAdminDetail}). Every secret is scrubbed from the text.
 * Catalogue errors pass through.
 *
 * @example
 * ```ts
 * catch (e) { throw engineError(e, 'MariaDB (mariadb)', { unreachable: new Set(['ECONNREFUSED']), taken: new Set(['ER_DB_CREATE_EXISTS']) }, [password]); }
 * ```
 */
export function engineError(
  e: unknown,
  engine: string,
  codes: { unreachable: ReadonlySet<string>; taken: ReadonlySet<string> },
  secrets: string[] = [],
): PanelError {
  if (isPanelError(e)) return e;
  const err = e as { code?: unknown; message?: unknown; sqlMessage?: unknown };
  let text = String(err?.sqlMessage ?? err?.message ?? e);
  for (const s of secrets) if (s) text = text.split(s).join('***');
  const code = typeof err?.code === 'string' ? err.code : '';
  // The driver's words name sockets, hosts and server paths: admins read them, tenants only what failed.
  if (!code || codes.unreachable.has(code)) return errors.unavailable(`${engine} is unreachable`).withAdminDetail(text);
  if (codes.taken.has(code)) return errors.conflict(`${engine}: ${text}`);
  return errors.externalCommand(`${engine} refused the operation`).withAdminDetail(text);
}
