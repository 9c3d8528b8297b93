import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { mysqlDriver } from './driver.js';
import { engineError, readAdminPassword, type DatabaseAdminConfig, type PanelError } from '../../sdk/index.js';

/** mysql2 error codes meaning the server cannot be used at all, as opposed to one failed statement. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
  'EACCES',
  'ENOTFOUND',
  'EPIPE',
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
export class MysqlServer {
  private pool: Pool | null = null;

  /** `usable` rejects with a 503 while a managed server is not installed or not up. */
  constructor(
    readonly config: DatabaseAdminConfig,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly usable?: () => Promise<void>,
  ) {}

  /** The admin password (read on each call so a fixed password file is picked up). */
  password(): string {
    return readAdminPassword(this.config, 'MySQL', this.env);
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

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.end().catch(() => undefined);
  }

  private async getPool(): Promise<Pool> {
    await this.usable?.();
    const { createPool } = await mysqlDriver();
    if (this.pool) return this.pool;
    const c = this.config;
    this.pool = createPool({
      ...(c.host ? { host: c.host, port: c.port } : { socketPath: c.socket }),
      user: c.user,
      password: this.password(),
      connectionLimit: 4,
      connectTimeout: 5000,
      multipleStatements: false,
      supportBigNumbers: true,
      charset: 'utf8mb4_general_ci',
    });
    return this.pool;
  }
}

/** Map a driver error to a catalogue error naming the engine. */
export function mysqlError(e: unknown, engine: string, secrets: string[] = []): PanelError {
  return engineError(e, engine, { unreachable: UNREACHABLE, taken: TAKEN }, secrets);
}
