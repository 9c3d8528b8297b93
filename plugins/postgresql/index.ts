import {
  checkPasswordSource,
  databaseAdminConfigSchema,
  databaseEngines,
  definePlugin,
  managedServices,
  type DatabaseAdminConfig,
  type ExecService,
} from '../../sdk/index.js';
import { PgTools } from './dump.js';
import { PgEngine } from './engine.js';
import { PgServer } from './server.js';

/** The `postgresql` engine on its admin connection. */
export function postgresqlEngine(
  config: DatabaseAdminConfig,
  exec: ExecService,
  env: NodeJS.ProcessEnv = process.env,
  usable?: () => Promise<void>,
): PgEngine {
  const server = new PgServer(config, env, usable);
  return new PgEngine(server, new PgTools(exec, server));
}

/** PostgreSQL databases over pg: engine id `postgresql` (the API also accepts `postgres`). */
export default definePlugin<DatabaseAdminConfig>({
  manifest: {
    id: 'postgresql',
    name: 'PostgreSQL',
    version: '1.0.0',
    sdk: '^1.0.0',
    provides: ['database-engines'],
    optionalDependencies: ['local-services'],
    consumes: ['local-services.managed?'],
    description: 'PostgreSQL database engine',
  },
  configSchema: databaseAdminConfigSchema({ socket: '/var/run/postgresql', port: 5432, user: 'postgres' }),
  start(ctx) {
    checkPasswordSource(ctx.config, `plugins.${ctx.id}`);
    // In local mode the panel's own PostgreSQL (over its private socket directory) replaces the config's server.
    const managed = ctx.services.find(managedServices);
    const at = managed?.endpoint('postgresql');
    const config = at
      ? {
          ...ctx.config,
          socket: at.socket,
          host: '',
          port: at.port,
          user: at.user,
          password_file: '',
          password_env: '',
        }
      : ctx.config;
    const engine = postgresqlEngine(
      config,
      ctx.exec,
      process.env,
      at ? () => managed!.whenUsable('postgresql') : undefined,
    );
    ctx.extensions.provide(databaseEngines, 'postgresql', engine);
    ctx.onStop(() => engine.close());
  },
});
