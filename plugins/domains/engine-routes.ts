import { accountDirectory, type PluginContext, type RouteDefinition } from '../../sdk/index.js';
import type { DomainStore } from './store.js';
import type { SyncResult, VhostSync } from './vhosts.js';

/** What start-up reconciliation of vhosts found and fixed. */
export interface VhostReconciliation {
  state: 'pending' | 'done' | 'failed';
  /** Domain rows whose account no longer exists, removed. */
  orphan_domains: string[];
  result: SyncResult | null;
  error: string | null;
}

/** Rebuild every vhost from the database, dropping domain rows whose account is gone. */
export async function reconcileVhosts(ctx: PluginContext, store: DomainStore, vhosts: VhostSync, report: VhostReconciliation): Promise<void> {
  try {
    await vhosts.exclusive(async () => {
      const rows = await store.all();
      const accounts = await vhosts.accountsOf(rows);
      const orphans = rows.filter((r) => !accounts.has(r.account_id));
      await store.delete(orphans.map((r) => r.id));
      report.orphan_domains = orphans.map((r) => r.domain_name);
      report.result = await vhosts.syncNow();
    });
    report.state = 'done';
    const r = report.result!;
    if (r.changed || r.removed || report.orphan_domains.length) ctx.logger.warn('vhosts reconciled with the database', { ...r, orphan_domains: report.orphan_domains });
  } catch (e) {
    report.state = 'failed';
    report.error = (e as Error).message;
    ctx.logger.error('vhost reconciliation failed', { error: report.error });
  }
}

/** `/api/veloserve/*`: the seed's route names, acting on whichever engine is configured. */
export function engineRoutes(ctx: PluginContext, vhosts: VhostSync, report: VhostReconciliation): RouteDefinition[] {
  const admin = (scope: string) => ({ roles: ['admin' as const], scope });
  return [
    {
      method: 'GET', path: '/api/veloserve/status', summary: 'Web server installed/running/version/PID/uptime', access: admin('system:read'),
      handler: async () => ({
        ...(await vhosts.engine().status()),
        reconciliation: { vhosts: report, accounts: ctx.services.find(accountDirectory)?.reconciliation?.() ?? null },
      }),
    },
    {
      method: 'GET', path: '/api/veloserve/version', summary: 'Web server binary version string', access: admin('system:read'),
      handler: async () => {
        const engine = vhosts.engine();
        return { engine: engine.id, version: await engine.version() };
      },
    },
    {
      method: 'POST', path: '/api/veloserve/regenerate', summary: 'Regenerate all vhost configs from the database and reload',
      access: admin('system:write'), handler: () => vhosts.sync(),
    },
    {
      method: 'POST', path: '/api/veloserve/reload', summary: 'Reload the web server configuration', access: admin('system:write'),
      handler: async () => {
        const engine = vhosts.engine();
        return { engine: engine.id, ...(await vhosts.exclusive(() => engine.reload())) };
      },
    },
  ];
}
