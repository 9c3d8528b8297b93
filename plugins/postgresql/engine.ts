import {
  type DatabaseCredential,
  type DatabaseCredentialRead,
  type DatabaseGrant,
  type DatabaseNames,
  type DatabaseStats,
  errors,
  type MadeSoFar,
  type PanelError,
  SqlEngineBase,
} from '../../sdk/index.js';
import { applyPgCredential, checkPgCredential, readPgCredential } from './credentials.js';
import { escapeIdentifier } from './driver.js';
import type { PgTools } from './dump.js';
import { passwordLiteral } from './scram.js';
import { type PgServer, pgError } from './server.js';

const TABLE_COUNT = `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;

const ident = (name: string) => escapeIdentifier(name);

/**
 * PostgreSQL databases: a login role per database that owns it, with `CONNECT` (and `TEMP`)
 * revoked from PUBLIC so no other role may connect. Passwords are sent as SCRAM verifiers.
 */
export class PgEngine extends SqlEngineBase {
  readonly aliases = ['postgres'] as const;

  constructor(
    private readonly server: PgServer,
    tools: PgTools,
  ) {
    super('postgresql', 'PostgreSQL', { database: 63, user: 63 }, server, tools);
  }

  checkCredential(credential: DatabaseCredential): void {
    checkPgCredential(credential);
  }

  protected fail(e: unknown, secrets?: string[]): PanelError {
    return pgError(e, this.label, secrets);
  }

  protected async version(): Promise<string> {
    const [row] = await this.server.rows<{ server_version: string }>('SHOW server_version');
    return String(row?.server_version ?? '');
  }

  protected async make({ database, user, password }: DatabaseGrant, made: MadeSoFar): Promise<void> {
    if (password.includes('\0')) throw errors.validation('password: must not contain NUL bytes');
    this.refuseTaken(await this.exists({ database, user }), { database, user });
    await this.server.rows(
      `CREATE ROLE ${ident(user)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD ${passwordLiteral(password)}`,
    );
    made.user = true;
    // CREATE DATABASE cannot run inside a transaction block: hence the manual undo.
    await this.server.rows(
      `CREATE DATABASE ${ident(database)} OWNER ${ident(user)} TEMPLATE template0 ENCODING 'UTF8'`,
    );
    made.database = true;
    await this.server.rows(`REVOKE ALL ON DATABASE ${ident(database)} FROM PUBLIC`);
  }

  protected async undo(made: MadeSoFar, names: DatabaseNames): Promise<void> {
    if (made.database)
      await this.server.rows(`DROP DATABASE IF EXISTS ${ident(names.database)} WITH (FORCE)`).catch(() => undefined);
    if (made.user) await this.server.rows(`DROP ROLE IF EXISTS ${ident(names.user)}`).catch(() => undefined);
  }

  protected async stats(databases: string[]): Promise<DatabaseStats[]> {
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
  }

  protected async existing(names: DatabaseNames): Promise<{ database: boolean; user: boolean }> {
    const [row] = await this.server.rows<{ db: boolean; role: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS db, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $2) AS role',
      [names.database, names.user],
    );
    return { database: Boolean(row?.db), user: Boolean(row?.role) };
  }

  protected async dropNames(names: DatabaseNames): Promise<void> {
    await this.server.rows(`DROP DATABASE IF EXISTS ${ident(names.database)} WITH (FORCE)`);
    await this.server.rows('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [names.user]);
    await this.server.rows(`DROP ROLE IF EXISTS ${ident(names.user)}`);
  }

  protected readVerifier(user: string): Promise<DatabaseCredentialRead> {
    return readPgCredential(this.server, user);
  }

  protected storeVerifier(user: string, credential: DatabaseCredential): Promise<void> {
    return applyPgCredential(this.server, user, credential);
  }
}
