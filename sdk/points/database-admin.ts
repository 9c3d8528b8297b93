import { readFileSync, statSync } from 'node:fs';
import Type, { type Static } from 'typebox';

const ENV_NAME = '^([A-Za-z_][A-Za-z0-9_]*)?$';

/**
 * Schema of a database engine's admin connection (`[plugins.<engine>]`): a unix socket, or a
 * host and port when `host` is set; the admin user; its password from a file that only the
 * panel may read (mode 0600 or stricter) or from an environment variable named here — never
 * the password itself in the config file.
 *
 * @example
 * ```ts
 * export default definePlugin({ manifest, configSchema: databaseAdminConfigSchema({ socket: '/run/mysqld/mysqld.sock', port: 3306, user: 'root' }), start(ctx) { … } });
 * ```
 */
export function databaseAdminConfigSchema(defaults: { socket: string; port: number; user: string }) {
  return Type.Object({
    socket: Type.String({
      default: defaults.socket,
      pattern: '^(/[^\\x00-\\x1f]*)?$',
      'x-error': 'must be the absolute path of the server socket (its directory for PostgreSQL)',
    }),
    host: Type.String({
      default: '',
      maxLength: 255,
      pattern: '^[A-Za-z0-9.:\\-\\[\\]]*$',
      'x-error': 'must be a host name or address (empty: use the socket)',
    }),
    port: Type.Integer({
      default: defaults.port,
      minimum: 1,
      maximum: 65535,
      'x-error': 'must be a port number 1–65535',
    }),
    user: Type.String({
      default: defaults.user,
      pattern: '^[A-Za-z0-9_.@-]{1,80}$',
      'x-error': 'must be 1–80 letters, digits or _ . @ -',
    }),
    password_file: Type.String({
      default: '',
      'x-error': 'must be the path of a file readable only by the panel (0600)',
    }),
    password_env: Type.String({
      default: '',
      pattern: ENV_NAME,
      'x-error': 'must be the name of an environment variable',
    }),
    client_host: Type.String({
      default: 'localhost',
      pattern: '^[A-Za-z0-9.:\\-\\[\\]]{1,255}$',
      'x-error': 'must be the host customers connect to',
    }),
  });
}

/** An engine's admin connection settings, as {@link databaseAdminConfigSchema} validates them. */
export type DatabaseAdminConfig = Static<ReturnType<typeof databaseAdminConfigSchema>>;

/**
 * Refuse a config that names both password sources. `where` names the setting in the message:
 * the plugin's config key at start (`plugins.mysql`), the engine when reading the password.
 *
 * @example
 * ```ts
 * start(ctx) { checkPasswordSource(ctx.config, `plugins.${ctx.id}`); … }
 * ```
 */
export function checkPasswordSource(
  config: Pick<DatabaseAdminConfig, 'password_file' | 'password_env'>,
  where: string,
): void {
  if (config.password_file && config.password_env)
    throw new Error(`${where}: set either password_file or password_env, not both`);
}

/**
 * The admin password of an engine: the first line of `password_file` (refused when the group or
 * others may read it), or the variable `password_env`, or '' when neither is set. Throws an
 * Error whose message names the engine and the setting, never the secret.
 *
 * @example
 * ```ts
 * const password = readAdminPassword(ctx.config, 'MySQL');
 * ```
 */
export function readAdminPassword(
  config: Pick<DatabaseAdminConfig, 'password_file' | 'password_env'>,
  engine: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  checkPasswordSource(config, engine);
  if (config.password_env) {
    const value = env[config.password_env];
    if (value === undefined)
      throw new Error(`${engine}: environment variable ${config.password_env} (password_env) is not set`);
    return value;
  }
  if (!config.password_file) return '';
  let mode: number;
  try {
    mode = statSync(config.password_file).mode;
  } catch {
    throw new Error(`${engine}: password_file ${config.password_file} cannot be read`);
  }
  if ((mode & 0o077) !== 0)
    throw new Error(
      `${engine}: password_file ${config.password_file} must not be readable by group or others (chmod 600)`,
    );
  return readFileSync(config.password_file, 'utf8').split(/\r?\n/)[0] ?? '';
}
