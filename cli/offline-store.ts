import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { ConfigError, loadConfig } from '../core/config/load.js';
import { PRODUCTION_COST, TEST_COST } from '../core/auth/passwords.js';
import { UserStore, type AuthTables } from '../core/auth/user-store.js';
import { openDatabase } from '../core/db/database.js';
import { runMigrations } from '../core/db/migrations.js';
import { allKernelMigrations } from '../core/kernel-migrations.js';
import { kernelModules } from '../core/modules.js';
import { CliError, Exit } from './exit-codes.js';

/** The panel's store opened without the panel: its config, database and logins. */
export interface OfflineStore {
  /** Where the store is, for messages (`SQLite <file>` or the URL without credentials). */
  where: string;
  users: UserStore;
  tables: AuthTables;
  knex: Knex;
  close(): Promise<void>;
}

// Same names as the auth module gives its tables (core/auth/module.ts).
const tables: AuthTables = {
  users: 'core_users',
  revokedTokens: 'core_revoked_tokens',
  apiTokens: 'core_api_tokens',
  resellerPlugins: 'core_reseller_plugins',
  twoFactor: 'core_user_2fa',
  authSettings: 'core_auth_settings',
};

function describeStore(url: string, dataDir: string): string {
  if (!url) return `SQLite in ${dataDir}`;
  if (/^(sqlite|file):/.test(url)) return `SQLite ${url.replace(/^(sqlite|file):(\/\/)?/, '')}`;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url.split(':')[0] ?? 'database';
  }
}

/** The config the installed service uses (scripts/install-service.sh). */
export const SYSTEM_CONFIG = '/etc/velopanel/velopanel.toml';

/**
 * The panel's own lookup (VELOPANEL_CONFIG, else config/velopanel.toml), then the installed
 * service's config: an operator's shell has no VELOPANEL_CONFIG, and the embedded defaults would
 * point at an empty store in ./data instead of the panel's.
 */
function configEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (
    env.VELOPANEL_CONFIG !== undefined ||
    existsSync(path.resolve('config/velopanel.toml')) ||
    !existsSync(SYSTEM_CONFIG)
  )
    return env;
  return { ...env, VELOPANEL_CONFIG: SYSTEM_CONFIG };
}

/**
 * Open the store the panel uses — the same config file and `VELOPANEL_CONFIG`,
 * `VELOPANEL_DATA_DIR`, `VELOPANEL_DATABASE_URL` — bring its kernel tables up to date exactly as
 * the panel would at start, and hand back the auth module's user store (same scrypt cost).
 */
export async function openOfflineStore(env: NodeJS.ProcessEnv): Promise<OfflineStore> {
  let config;
  try {
    config = loadConfig({ env: configEnv(env) });
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(e.message, Exit.USAGE, 'CONFIG');
    throw e;
  }
  const where = describeStore(config.database_url, config.data_dir);
  let db: ReturnType<typeof openDatabase>;
  try {
    db = openDatabase(config.database_url, config.data_dir);
  } catch (e) {
    throw new CliError(`cannot open the panel database (${where}): ${(e as Error).message}`, Exit.UNREACHABLE);
  }
  const close = () => db.knex.destroy();
  try {
    const migrations = allKernelMigrations(kernelModules());
    const done = await runMigrations(db.knex, 'core', migrations, (n) => `core_${n}`);
    if (!done.ok) throw new CliError(`panel database (${where}): ${done.reason}`, Exit.ERROR);
  } catch (e) {
    await close();
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot use the panel database (${where}): ${(e as Error).message}`, Exit.UNREACHABLE);
  }
  const users = new UserStore(db.knex, tables, config.test_mode ? TEST_COST : PRODUCTION_COST, () => undefined);
  return { where, users, tables, knex: db.knex, close };
}
