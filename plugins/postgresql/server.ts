import type pg from 'pg';
import { pgDriver } from './driver.js';
import { engineError, readAdminPassword, type DatabaseAdminConfig, type PanelError } from '../../sdk/index.js';

/** SQLSTATEs (and socket errors) meaning the server cannot be used at all. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
  'EACCES',
  'ENOTFOUND',
  'EPIPE',
  '28P01',
  '28000',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '3D000',
  '08001',
  '08006',
]);

/** duplicate_database, duplicate_object (role). */
const TAKEN = new Set(['42P04', '42710']);

/** What the pg driver needs to reach the server as the admin. */
export function adminConnection(config: DatabaseAdminConfig, password: string, database = 'postgres'): pg.ClientConfig {
  return {
    // pg reads a host starting with `/` as the socket directory.
    host: config.host || config.socket,
    port: config.port,
    user: config.user,
    password,
    database,
    connectionTimeoutMillis: 5000,
  };
}

/**
 * The admin connection to one PostgreSQL server: a small pool on the `postgres` database, plus
 * short-lived clients on a given database where a catalogue is per database (table counts,
 * ownership hand-over after a restore).
 */
export class PgServer {
  private pool: pg.Pool | null = null;

  /** `usable` rejects with a 503 while a managed server is not installed or not up. */
  constructor(
    readonly config: DatabaseAdminConfig,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly usable?: () => Promise<void>,
  ) {}

  /** The admin password (read on each call so a fixed password file is picked up). */
  password(): string {
    return readAdminPassword(this.config, 'PostgreSQL', this.env);
  }

  async rows<T = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<T[]> {
    const res = await (await this.getPool()).query(sql, values);
    return res.rows as T[];
  }

  /** Run work on an admin client connected to `database`. */
  async onDatabase<R>(database: string, work: (client: pg.Client) => Promise<R>): Promise<R> {
    const { Client } = await pgDriver();
    const client = new Client(adminConnection(this.config, this.password(), database));
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.end().catch(() => undefined);
  }

  private async getPool(): Promise<pg.Pool> {
    await this.usable?.();
    const { Pool } = await pgDriver();
    if (this.pool) return this.pool;
    this.pool = new Pool({ ...adminConnection(this.config, this.password()), max: 4, idleTimeoutMillis: 10_000 });
    this.pool.on('error', () => undefined);
    return this.pool;
  }
}

/** Map a driver error to a catalogue error naming the engine. */
export function pgError(e: unknown, engine: string, secrets: string[] = []): PanelError {
  return engineError(e, engine, { unreachable: UNREACHABLE, taken: TAKEN }, secrets);
}
