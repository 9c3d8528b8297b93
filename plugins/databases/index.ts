import { accountDatabases, accountDirectory, definePlugin, usageCounters } from '../../sdk/index.js';
import { EngineCatalogue } from './engines.js';
import { migrations } from './migrations.js';
import { databaseRoutes } from './routes.js';
import { DatabaseService } from './service.js';
import { DatabaseRecords } from './store.js';

/**
 * Databases per hosting account on every engine of the `database-engines` extension point
 * (first-party: the `mysql` and `postgresql` plugins). Deleting an account drops its databases.
 */
export default definePlugin({
  manifest: {
    id: 'databases',
    name: 'Databases',
    version: '1.0.0',
    sdk: '^1.0.0',
    consumes: ['database-engines?', 'accounts.directory?'],
    provides: ['usage-counters', 'databases.accounts'],
    description: 'MySQL, MariaDB and PostgreSQL databases per hosting account',
  },
  migrations,
  async start(ctx) {
    const engines = new EngineCatalogue(ctx.extensions);
    const service = new DatabaseService(new DatabaseRecords(ctx.db), engines, ctx.logger, () =>
      ctx.services.get(accountDirectory),
    );
    for (const r of databaseRoutes(service, engines, () => ctx.services.get(accountDirectory))) ctx.route(r);
    ctx.hooks.before('account.delete', ({ account }) => service.removeAccount(account));
    ctx.extensions.provide(usageCounters, 'databases', { count: () => service.count() });
    ctx.services.provide(accountDatabases, {
      forAccount: (id) => service.forAccount(id),
      recreate: (id, db, o) => service.recreate(id, db, o),
    });
    // Read before the panel serves requests (so none of their own rows is taken), dropped once
    // every engine plugin has started.
    const unfinished = await service.unfinished();
    if (unfinished.length) ctx.onReady(() => service.reconcile(unfinished));
  },
});
