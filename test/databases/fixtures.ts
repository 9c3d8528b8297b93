// Shared by the database spec files: admin configs for the bed's servers and customer sessions
// opened the way an application opens them (TCP on 127.0.0.1, or the MariaDB socket).
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { DatabaseAdminConfig, DatabaseGrant } from '../../sdk/index.js';
import { startTestPanel, type TenantSession, type TestPanel, type TestPanelOptions } from '../../sdk/testing/index.js';
import { accountsStandIn } from './accounts-stand-in.js';
import type { MariadbInfo, PostgresInfo } from '../bed/types.js';

export function adminConfig(over: Partial<DatabaseAdminConfig>): DatabaseAdminConfig {
  return {
    socket: '',
    host: '',
    port: 3306,
    user: 'root',
    password_file: '',
    password_env: '',
    client_host: 'localhost',
    ...over,
  };
}

/** MariaDB as root over the bed's socket (no password: unix root). */
export const mariadbBySocket = (m: MariadbInfo) => adminConfig({ socket: m.socket, port: m.port, user: 'root' });

/** PostgreSQL as the superuser over TCP with scram; the password comes from env var `envName`. */
export function postgresByTcp(p: PostgresInfo, envName: string): DatabaseAdminConfig {
  process.env[envName] = p.adminPassword;
  return adminConfig({ host: '127.0.0.1', port: p.port, user: p.adminUser, password_env: envName });
}

export async function mysqlSession(
  m: { port: number; socket?: string },
  login: DatabaseGrant,
  via: 'tcp' | 'socket' = 'tcp',
): Promise<TenantSession> {
  const conn = await mysql.createConnection({
    ...(via === 'tcp' ? { host: '127.0.0.1', port: m.port } : { socketPath: m.socket }),
    user: login.user,
    password: login.password,
    database: login.database,
    connectTimeout: 5000,
  });
  return {
    async query(sql) {
      const [rows] = await conn.query(sql);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    },
    close: () => conn.end(),
  };
}

export async function pgSession(p: { port: number }, login: DatabaseGrant): Promise<TenantSession> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: p.port,
    user: login.user,
    password: login.password,
    database: login.database,
    connectionTimeoutMillis: 5000,
  });
  client.on('error', () => undefined);
  await client.connect();
  return {
    async query(sql) {
      return (await client.query(sql)).rows;
    },
    close: () => client.end(),
  };
}

/** Names other spec files make and drop while this one runs: `<account>_…`, throwaway restore users. */
const ARTEFACT = /^(db|user|grant|role):(?!information_schema|performance_schema|pg_)[A-Za-z0-9]+\\?_/;

/** The entries of {@link serverState} that no test creates or drops (system databases, users, roles, ACLs). */
export function systemEntries(state: { mariadb: string[]; postgres: string[] }): string[] {
  return [...state.mariadb, ...state.postgres].filter((n) => !ARTEFACT.test(n));
}

/** Every database and user/role on both servers, to prove a rejected request changed nothing. */
export async function serverState(m: MariadbInfo, p: PostgresInfo): Promise<{ mariadb: string[]; postgres: string[] }> {
  const my = await mysql.createConnection({ socketPath: m.socket, user: 'root' });
  const [dbs] = await my.query('SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA');
  const [users] = await my.query("SELECT CONCAT(User, '@', Host) AS n FROM mysql.user");
  const [grants] = await my.query("SELECT CONCAT(Db, ':', User, '@', Host) AS n FROM mysql.db");
  await my.end();
  const client = new pg.Client({
    host: '127.0.0.1',
    port: p.port,
    user: p.adminUser,
    password: p.adminPassword,
    database: 'postgres',
  });
  await client.connect();
  const pdbs = await client.query("SELECT 'db:' || datname || ':' || coalesce(datacl::text, '') AS n FROM pg_database");
  const roles = await client.query("SELECT 'role:' || rolname AS n FROM pg_roles");
  await client.end();
  const names = (rows: unknown) => (rows as { n: string }[]).map((r) => String(r.n)).sort();
  return {
    mariadb: [
      ...names(dbs).map((n) => `db:${n}`),
      ...names(users).map((n) => `user:${n}`),
      ...names(grants).map((n) => `grant:${n}`),
    ],
    postgres: [...names(pdbs.rows), ...names(roles.rows)],
  };
}

/**
 * A panel with the databases, mysql and postgresql plugins on the bed's servers, admin logins over
 * TCP — MariaDB's password from a 0600 file, PostgreSQL's from an environment variable — and two
 * accounts: 1 owned by the test reseller (whose user login is bound to it), 2 admin-owned. Each
 * spec file names its own accounts, as the files share the servers and run in parallel.
 */
export async function startDatabasePanel(
  m: MariadbInfo,
  p: PostgresInfo,
  usernames: [string, string],
  extra: Partial<TestPanelOptions> & { mysql?: Partial<DatabaseAdminConfig> } = {},
): Promise<TestPanel> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'velopanel-dbtest-'));
  const passwordFile = path.join(dir, 'mysql.pass');
  writeFileSync(passwordFile, m.adminPassword + '\n');
  chmodSync(passwordFile, 0o600);
  const envName = `VELOPANEL_TEST_PG_${path.basename(dir).replace(/\W/g, '_')}`;
  process.env[envName] = p.adminPassword;
  const panel = await startTestPanel({
    plugins: ['databases', 'mysql', 'postgresql'],
    ...extra,
    inline: [
      accountsStandIn([
        { id: 1, username: usernames[0], reseller_id: 2 },
        { id: 2, username: usernames[1] },
      ]),
      ...(extra.inline ?? []),
    ],
    config: {
      ...extra.config,
      plugins: {
        mysql: adminConfig({
          host: '127.0.0.1',
          port: m.port,
          user: m.adminUser,
          password_file: passwordFile,
          ...extra.mysql,
        }),
        postgresql: adminConfig({ host: '127.0.0.1', port: p.port, user: p.adminUser, password_env: envName }),
      },
    },
  });
  const stop = panel.stop;
  panel.stop = async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    delete process.env[envName];
  };
  return panel;
}
