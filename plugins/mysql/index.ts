import {
  checkPasswordSource,
  databaseAdminConfigSchema,
  databaseEngines,
  definePlugin,
  managedServices,
  type DatabaseAdminConfig,
  type ExecService,
} from '../../sdk/index.js';
import { MysqlTools } from './dump.js';
import { MysqlEngine } from './engine.js';
import { MysqlServer } from './server.js';

/** The `mysql` and `mariadb` engines on one admin connection (close them with `close()` of either). */
export function mysqlEngines(
  config: DatabaseAdminConfig,
  exec: ExecService,
  env: NodeJS.ProcessEnv = process.env,
  usable?: () => Promise<void>,
) {
  const server = new MysqlServer(config, env, usable);
  const tools = new MysqlTools(exec, server);
  return {
    mysql: new MysqlEngine('mysql', 'MySQL', 32, server, tools),
    mariadb: new MysqlEngine('mariadb', 'MariaDB', 80, server, tools),
    close: () => server.close(),
  };
}

/**
 * MySQL and MariaDB databases over mysql2: one admin connection (`[plugins.mysql]`) serves the
 * engine ids `mysql` (user names up to 32 characters) and `mariadb` (up to 80).
 */
export default definePlugin<DatabaseAdminConfig>({
  manifest: {
    id: 'mysql',
    name: 'MySQL / MariaDB',
    version: '1.0.0',
    sdk: '^1.0.0',
    provides: ['database-engines'],
    optionalDependencies: ['local-services'],
    consumes: ['local-services.managed?'],
    description: 'MySQL and MariaDB database engines',
  },
  configSchema: databaseAdminConfigSchema({ socket: '/run/mysqld/mysqld.sock', port: 3306, user: 'root' }),
  start(ctx) {
    checkPasswordSource(ctx.config, `plugins.${ctx.id}`);
    // In local mode the panel's own MariaDB (root over its private socket) replaces the config's server.
    const managed = ctx.services.find(managedServices);
    const at = managed?.endpoint('mariadb');
    const config = at
      ? { ...ctx.config, socket: at.socket, host: '', user: at.user, password_file: '', password_env: '' }
      : ctx.config;
    const engines = mysqlEngines(config, ctx.exec, process.env, at ? () => managed!.whenUsable('mariadb') : undefined);
    ctx.extensions.provide(databaseEngines, 'mysql', engines.mysql);
    ctx.extensions.provide(databaseEngines, 'mariadb', engines.mariadb);
    ctx.onStop(engines.close);
  },
});
