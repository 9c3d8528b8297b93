import type pg from 'pg';
import { engineError, SqlAdminServer, type DatabaseAdminConfig, type PanelError } from '../../sdk/index.js';
import { pgDriver } from './driver.js';

/** SQLSTATEs meaning the server cannot be used at all (socket errors: the SDK's). */
const UNREACHABLE = new Set(['28P01', '28000', '57P01', '57P02', '57P03', '53300', '3D000', '08001', '08006']);

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
export class PgServer extends SqlAdminServer<typeof pg, pg.Pool> {
  /** `usable` rejects with a 503 while a managed server is not installed or not up. */
  constructor(config: DatabaseAdminConfig, env: NodeJS.ProcessEnv = process.env, usable?: () => Promise<void>) {
    super(config, 'PostgreSQL', env, usable);
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

  protected driver(): Promise<typeof pg> {
    return pgDriver();
  }

  protected makePool({ Pool }: typeof pg): pg.Pool {
    const pool = new Pool({ ...adminConnection(this.config, this.password()), max: 4, idleTimeoutMillis: 10_000 });
    pool.on('error', () => undefined);
    return pool;
  }
}

/** Map a driver error to a catalogue error naming the engine. */
export function pgError(e: unknown, engine: string, secrets: string[] = []): PanelError {
  return engineError(e, engine, { unreachable: UNREACHABLE, taken: TAKEN }, secrets);
}
