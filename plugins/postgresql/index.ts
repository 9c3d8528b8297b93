import { checkPasswordSource, databaseAdminConfigSchema, databaseEngines, definePlugin, type DatabaseAdminConfig, type ExecService } from '../../sdk/index.js';
import { PgTools } from './dump.js';
import { PgEngine } from './engine.js';
import { PgServer } from './server.js';

/** The `postgresql` engine on its admin connection. */
export function postgresqlEngine(config: DatabaseAdminConfig, exec: ExecService, env: NodeJS.ProcessEnv = process.env): PgEngine {
  const server = new PgServer(config, env);
  return new PgEngine(server, new PgTools(exec, server));
}

/** PostgreSQL databases over pg: engine id `postgresql` (the API also accepts `postgres`). */
export default definePlugin<DatabaseAdminConfig>({
  manifest: {
    id: 'postgresql', name: 'PostgreSQL', version: '1.0.0', sdk: '^1.0.0', provides: ['database-engines'],
    description: 'PostgreSQL database engine',
  },
  configSchema: databaseAdminConfigSchema({ socket: '/var/run/postgresql', port: 5432, user: 'postgres' }),
  start(ctx) {
    checkPasswordSource(ctx.config, `plugins.${ctx.id}`);
    const engine = postgresqlEngine(ctx.config, ctx.exec);
    ctx.extensions.provide(databaseEngines, 'postgresql', engine);
    ctx.onStop(() => engine.close());
  },
});
