import type { Readable, Writable } from 'node:stream';
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
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
import { applyCredentialSql, checkMysqlCredential, readMysqlCredential } from './credentials.js';
import { escapeId } from './driver.js';
import type { MysqlTools } from './dump.js';
import { accounts, createUsers, grantTarget } from './grants.js';
import { mysqlError, type MysqlServer } from './server.js';

/** One engine entry (`mysql` or `mariadb`) on a shared {@link MysqlServer}. */
export class MysqlEngine implements DatabaseEngine {
  readonly limits: DatabaseNameLimits;
  readonly clientHost: string;
  private readonly label: string;

  constructor(
    readonly id: string,
    readonly name: string,
    userLimit: number,
    private readonly server: MysqlServer,
    private readonly tools: MysqlTools,
  ) {
    this.limits = { database: 64, user: userLimit };
    this.clientHost = server.config.client_host;
    this.label = `${name} (${id})`;
  }

  async health(): Promise<DatabaseEngineHealth> {
    try {
      const [row] = await this.server.rows<{ version: string }>('SELECT VERSION() AS version');
      return { available: true, version: String(row?.version ?? '') };
    } catch (e) {
      const err = mysqlError(e, this.label);
      return { available: false, version: null, error: err.message, detail: err.adminDetail };
    }
  }

  async create(grant: DatabaseGrant): Promise<void> {
    const { database, user, password } = grant;
    this.check({ database, user });
    const made = { database: false, user: false };
    try {
      await this.server.withConnection(async (c) => {
        const taken = await this.existing(c, { database, user });
        if (taken.database) throw errors.conflict(`Database ${database} already exists on ${this.label}`);
        if (taken.user) throw errors.conflict(`User ${user} already exists on ${this.label}`);
        await c.query(`CREATE DATABASE ${escapeId(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
        made.database = true;
        // MariaDB creates the accounts it can even when one fails: treat the user as made from here.
        made.user = true;
        await c.query(createUsers(user, password));
        await c.query(`GRANT ALL PRIVILEGES ON ${grantTarget(database)} TO ${accounts(user)}`);
      });
    } catch (e) {
      await this.undo(made, { database, user });
      throw mysqlError(e, this.label, [password]);
    }
  }

  async list(databases: string[]): Promise<DatabaseStats[]> {
    if (databases.length === 0) return [];
    databases.forEach((d) => this.check({ database: d }));
    try {
      return await this.server.withConnection(async (c) => {
        const [[v]] = await c.query<RowDataPacket[]>('SELECT VERSION() AS version');
        // MySQL 8 caches table statistics for a day by default; ask for current numbers.
        if (!String(v?.version).includes('MariaDB')) await c.query('SET SESSION information_schema_stats_expiry = 0');
        const [rows] = await c.query<RowDataPacket[]>(
          `SELECT s.SCHEMA_NAME AS db, COALESCE(SUM(t.DATA_LENGTH + t.INDEX_LENGTH), 0) AS size, COUNT(t.TABLE_NAME) AS tables
           FROM information_schema.SCHEMATA s
           LEFT JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = s.SCHEMA_NAME AND t.TABLE_TYPE = 'BASE TABLE'
           WHERE s.SCHEMA_NAME IN (?) GROUP BY s.SCHEMA_NAME`,
          [databases],
        );
        return rows.map((r) => ({ database: String(r.db), size: Number(r.size), tables: Number(r.tables) }));
      });
    } catch (e) {
      throw mysqlError(e, this.label);
    }
  }

  async exists(names: { database: string; user: string }): Promise<{ database: boolean; user: boolean }> {
    this.check(names);
    try {
      return await this.server.withConnection((c) => this.existing(c, names));
    } catch (e) {
      throw mysqlError(e, this.label);
    }
  }

  async drop(names: { database: string; user: string }): Promise<void> {
    this.check(names);
    try {
      await this.server.withConnection(async (c) => {
        await c.query(`DROP USER IF EXISTS ${accounts(names.user)}`);
        // A dropped user's open sessions live on (and hold table locks); end them before the drop.
        const [sessions] = await c.query<RowDataPacket[]>(
          'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = ?',
          [names.user],
        );
        for (const s of sessions) await c.query('KILL CONNECTION ?', [Number(s.id)]).catch(() => undefined);
        await c.query(`DROP DATABASE IF EXISTS ${escapeId(names.database)}`);
      });
    } catch (e) {
      throw mysqlError(e, this.label);
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
      return await readMysqlCredential(this.server, user);
    } catch (e) {
      throw mysqlError(e, this.label);
    }
  }

  checkCredential(credential: DatabaseCredential): void {
    checkMysqlCredential(credential);
  }

  async applyCredential(user: string, credential: DatabaseCredential): Promise<void> {
    this.check({ user });
    const sql = applyCredentialSql(user, credential);
    try {
      await this.server.rows(sql);
    } catch (e) {
      throw mysqlError(e, this.label, [credential.hash]);
    }
  }

  /** Close the shared admin pool (it reopens on next use). */
  close(): Promise<void> {
    return this.server.close();
  }

  private check(names: { database?: string; user?: string }): void {
    assertDatabaseNames(names, this.limits);
  }

  private async existing(c: PoolConnection, names: { database: string; user: string }) {
    const [[db]] = await c.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [names.database],
    );
    const [[u]] = await c.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM mysql.user WHERE User = ?', [names.user]);
    return { database: Number(db?.n) > 0, user: Number(u?.n) > 0 };
  }

  /** Roll back a half-made create: only what this call made, never what existed before. */
  private async undo(
    made: { database: boolean; user: boolean },
    names: { database: string; user: string },
  ): Promise<void> {
    await this.server
      .withConnection(async (c) => {
        if (made.user) await c.query(`DROP USER IF EXISTS ${accounts(names.user)}`);
        if (made.database) await c.query(`DROP DATABASE IF EXISTS ${escapeId(names.database)}`);
      })
      .catch(() => undefined);
  }
}
