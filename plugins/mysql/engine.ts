import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import {
  type DatabaseCredential,
  type DatabaseCredentialRead,
  type DatabaseGrant,
  type DatabaseNames,
  type DatabaseStats,
  type MadeSoFar,
  type PanelError,
  SqlEngineBase,
} from '../../sdk/index.js';
import { applyCredentialSql, checkMysqlCredential, readMysqlCredential } from './credentials.js';
import { escapeId } from './driver.js';
import type { MysqlTools } from './dump.js';
import { accounts, createUsers, grantTarget } from './grants.js';
import { type MysqlServer, mysqlError } from './server.js';

/** One engine entry (`mysql` or `mariadb`) on a shared {@link MysqlServer}. */
export class MysqlEngine extends SqlEngineBase {
  constructor(
    id: string,
    name: string,
    userLimit: number,
    private readonly server: MysqlServer,
    tools: MysqlTools,
  ) {
    super(id, name, { database: 64, user: userLimit }, server, tools);
  }

  checkCredential(credential: DatabaseCredential): void {
    checkMysqlCredential(credential);
  }

  protected fail(e: unknown, secrets?: string[]): PanelError {
    return mysqlError(e, this.label, secrets);
  }

  protected async version(): Promise<string> {
    const [row] = await this.server.rows<{ version: string }>('SELECT VERSION() AS version');
    return String(row?.version ?? '');
  }

  protected async make({ database, user, password }: DatabaseGrant, made: MadeSoFar): Promise<void> {
    await this.server.withConnection(async (c) => {
      this.refuseTaken(await this.existingOn(c, { database, user }), { database, user });
      await c.query(`CREATE DATABASE ${escapeId(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      made.database = true;
      // MariaDB creates the accounts it can even when one fails: treat the user as made from here.
      made.user = true;
      await c.query(createUsers(user, password));
      await c.query(`GRANT ALL PRIVILEGES ON ${grantTarget(database)} TO ${accounts(user)}`);
    });
  }

  /** Roll back a half-made create: only what this call made, never what existed before. */
  protected async undo(made: MadeSoFar, names: DatabaseNames): Promise<void> {
    await this.server
      .withConnection(async (c) => {
        if (made.user) await c.query(`DROP USER IF EXISTS ${accounts(names.user)}`);
        if (made.database) await c.query(`DROP DATABASE IF EXISTS ${escapeId(names.database)}`);
      })
      .catch(() => undefined);
  }

  protected stats(databases: string[]): Promise<DatabaseStats[]> {
    return this.server.withConnection(async (c) => {
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
  }

  protected existing(names: DatabaseNames): Promise<{ database: boolean; user: boolean }> {
    return this.server.withConnection((c) => this.existingOn(c, names));
  }

  protected async dropNames(names: DatabaseNames): Promise<void> {
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
  }

  protected readVerifier(user: string): Promise<DatabaseCredentialRead> {
    return readMysqlCredential(this.server, user);
  }

  protected async storeVerifier(user: string, credential: DatabaseCredential): Promise<void> {
    await this.server.rows(applyCredentialSql(user, credential));
  }

  private async existingOn(c: PoolConnection, names: DatabaseNames) {
    const [[db]] = await c.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [names.database],
    );
    const [[u]] = await c.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM mysql.user WHERE User = ?', [names.user]);
    return { database: Number(db?.n) > 0, user: Number(u?.n) > 0 };
  }
}
