import type * as Mysql from 'mysql2/promise';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { engineError, SqlAdminServer, type DatabaseAdminConfig, type PanelError } from '../../sdk/index.js';
import { mysqlDriver } from './driver.js';

/** mysql2 error codes meaning the server cannot be used at all, as opposed to one failed statement (socket errors: the SDK's). */
const UNREACHABLE = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ER_ACCESS_DENIED_ERROR',
  'ER_CON_COUNT_ERROR',
  'ER_HOST_NOT_PRIVILEGED',
  'ER_SERVER_SHUTDOWN',
  'ER_NOT_SUPPORTED_AUTH_MODE',
]);

/** Statement errors that mean a name is already taken. */
const TAKEN = new Set(['ER_DB_CREATE_EXISTS', 'ER_CANNOT_USER']);

/**
 * The admin connection to one MySQL/MariaDB server, shared by the `mysql` and `mariadb` engine
 * entries. The pool is made on first use so a wrong password file shows up as an unavailable
 * engine (with the reason) instead of a plugin that never starts.
 */
export class MysqlServer extends SqlAdminServer<typeof Mysql, Pool> {
  /** `usable` rejects with a 503 while a managed server is not installed or not up. */
  constructor(config: DatabaseAdminConfig, env: NodeJS.ProcessEnv = process.env, usable?: () => Promise<void>) {
    super(config, 'MySQL', env, usable);
  }

  /** Run work on one admin connection. */
  async withConnection<R>(work: (conn: PoolConnection) => Promise<R>): Promise<R> {
    const conn = await (await this.getPool()).getConnection();
    try {
      return await work(conn);
    } finally {
      conn.release();
    }
  }

  /** Rows of one admin query (values escaped by the driver). */
  async rows<T = RowDataPacket>(sql: string, values: unknown[] = []): Promise<T[]> {
    const [rows] = await (await this.getPool()).query<RowDataPacket[]>(sql, values);
    return rows as T[];
  }

  protected driver(): Promise<typeof Mysql> {
    return mysqlDriver();
  }

  protected makePool({ createPool }: typeof Mysql): Pool {
    const c = this.config;
    return createPool({
      ...(c.host ? { host: c.host, port: c.port } : { socketPath: c.socket }),
      user: c.user,
      password: this.password(),
      connectionLimit: 4,
      connectTimeout: 5000,
      multipleStatements: false,
      supportBigNumbers: true,
      charset: 'utf8mb4_general_ci',
    });
  }
}

/** Map a driver error to a catalogue error naming the engine. */
export function mysqlError(e: unknown, engine: string, secrets: string[] = []): PanelError {
  return engineError(e, engine, { unreachable: UNREACHABLE, taken: TAKEN }, secrets);
}
