import type { Readable, Writable } from 'node:stream';
import {
  assertDatabaseNames,
  errors,
  type DatabaseCredential,
  type DatabaseCredentialRead,
  type DatabaseEngine,
  type DatabaseEngineHealth,
  type DatabaseGrant,
  type DatabaseNameLimits,
  type DatabaseStats,
} from '../../sdk/index.js';
import { applyPgCredential, checkPgCredential, readPgCredential } from './credentials.js';
import { escapeIdentifier } from './driver.js';
import type { PgTools } from './dump.js';
import { passwordLiteral } from './scram.js';
import { pgError, type PgServer } from './server.js';

const TABLE_COUNT = `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;

const ident = (name: string) => escapeIdentifier(name);

/**
 * PostgreSQL databases: a login role per database that owns it, with `CONNECT` (and `TEMP`)
 * revoked from PUBLIC so no other role may connect. Passwords are sent as SCRAM verifiers.
 */
export class PgEngine implements DatabaseEngine {
  readonly id = 'postgresql';
  readonly aliases = ['postgres'] as const;
  readonly name = 'PostgreSQL';
  readonly limits: DatabaseNameLimits = { database: 63, user: 63 };
  readonly clientHost: string;
  private readonly label = 'PostgreSQL (postgresql)';

  constructor(
    private readonly server: PgServer,
    private readonly tools: PgTools,
  ) {
    this.clientHost = server.config.client_host;
  }

  async health(): Promise<DatabaseEngineHealth> {
    try {
      const [row] = await this.server.rows<{ server_version: string }>('SHOW server_version');
      return { available: true, version: String(row?.server_version ?? '') };
    } catch (e) {
      const err = pgError(e, this.label);
      return { available: false, version: null, error: err.message, detail: err.adminDetail };
    }
  }

  async create(grant: DatabaseGrant): Promise<void> {
    const { database, user, password } = grant;
    this.check({ database, user });
    if (password.includes('\0')) throw errors.validation('password: must not contain NUL bytes');
    const made = { database: false, user: false };
    try {
      const taken = await this.exists({ database, user });
      if (taken.database) throw errors.conflict(`Database ${database} already exists on ${this.label}`);
      if (taken.user) throw errors.conflict(`User ${user} already exists on ${this.label}`);
      await this.server.rows(
        `CREATE ROLE ${ident(user)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD ${passwordLiteral(password)}`,
      );
      made.user = true;
      // CREATE DATABASE cannot run inside a transaction block: hence the manual undo below.
      await this.server.rows(
        `CREATE DATABASE ${ident(database)} OWNER ${ident(user)} TEMPLATE template0 ENCODING 'UTF8'`,
      );
      made.database = true;
      await this.server.rows(`REVOKE ALL ON DATABASE ${ident(database)} FROM PUBLIC`);
    } catch (e) {
      if (made.database)
        await this.server.rows(`DROP DATABASE IF EXISTS ${ident(database)} WITH (FORCE)`).catch(() => undefined);
      if (made.user) await this.server.rows(`DROP ROLE IF EXISTS ${ident(user)}`).catch(() => undefined);
      throw pgError(e, this.label, [password]);
    }
  }

  async list(databases: string[]): Promise<DatabaseStats[]> {
    if (databases.length === 0) return [];
    databases.forEach((d) => this.check({ database: d }));
    try {
      const rows = await this.server.rows<{ datname: string; size: string }>(
        'SELECT datname, pg_database_size(oid)::text AS size FROM pg_database WHERE datname = ANY($1::text[])',
        [databases],
      );
      const stats: DatabaseStats[] = [];
      for (const r of rows) {
        const tables = await this.server.onDatabase(
          r.datname,
          async (c) => (await c.query<{ n: number }>(TABLE_COUNT)).rows[0]?.n ?? 0,
        );
        stats.push({ database: r.datname, size: Number(r.size), tables });
      }
      return stats;
    } catch (e) {
      throw pgError(e, this.label);
    }
  }

  async exists(names: { database: string; user: string }): Promise<{ database: boolean; user: boolean }> {
    this.check(names);
    try {
      const [row] = await this.server.rows<{ db: boolean; role: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS db, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $2) AS role',
        [names.database, names.user],
      );
      return { database: Boolean(row?.db), user: Boolean(row?.role) };
    } catch (e) {
      throw pgError(e, this.label);
    }
  }

  async drop(names: { database: string; user: string }): Promise<void> {
    this.check(names);
    try {
      await this.server.rows(`DROP DATABASE IF EXISTS ${ident(names.database)} WITH (FORCE)`);
      await this.server.rows('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [names.user]);
      await this.server.rows(`DROP ROLE IF EXISTS ${ident(names.user)}`);
    } catch (e) {
      throw pgError(e, this.label);
    }
  }

  dump(database: string, into: Writable): Promise<void> {
    this.check({ database });
    return this.tools.dump(this.label, database, into);
  }

  restore(names: { database: string; user: string }, from: Readable): Promise<void> {
    this.check(names);
    return this.tools.restore(this.label, names, from);
  }

  async readCredential(user: string): Promise<DatabaseCredentialRead> {
    this.check({ user });
    try {
      return await readPgCredential(this.server, user);
    } catch (e) {
      throw pgError(e, this.label);
    }
  }

  checkCredential(credential: DatabaseCredential): void {
    checkPgCredential(credential);
  }

  async applyCredential(user: string, credential: DatabaseCredential): Promise<void> {
    this.check({ user });
    try {
      await applyPgCredential(this.server, user, credential);
    } catch (e) {
      throw pgError(e, this.label, [credential.hash]);
    }
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private check(names: { database?: string; user?: string }): void {
    assertDatabaseNames(names, this.limits);
  }
}
