import { existsSync } from 'node:fs';
import {
  accountDirectory,
  isPanelError,
  type AccountInfo,
  type PluginContext,
  type RouteDefinition,
  type WebServerEngine,
} from '../../sdk/index.js';
import { ensureDocumentRoot } from './docroot.js';
import type { DomainRow, DomainStore } from './store.js';
import type { SyncResult, VhostSync } from './vhosts.js';

/** What start-up reconciliation of vhosts found and fixed (part of `GET /api/veloserve/status`). */
export interface VhostReconciliation {
  state: 'pending' | 'done' | 'failed';
  /** Domain rows whose account no longer exists, removed with their vhosts. */
  orphan_domains: string[];
  /** Document roots that were missing, made again (empty) inside their account's home. */
  recreated_roots: string[];
  /** Fragments that were missing or differed from the database, written again. */
  rewritten: string[];
  /** Managed fragments no domain row accounts for: kept (they may be another panel's), reported. */
  orphan_vhosts: string[];
  /** Repairs that failed, with the reason. */
  failed: { domain: string; error: string }[];
  result: SyncResult | null;
  error: string | null;
}

/** The whole failure, engine output included: this report is shown to admins only (the status route). */
const forAdmins = (e: unknown): string => (isPanelError(e) ? e.messageFor({ role: 'admin' }) : (e as Error).message);

/** Make missing document roots again (only where the home exists: a missing home is the accounts plugin's to report). */
async function repairRoots(
  ctx: PluginContext,
  rows: DomainRow[],
  accounts: Map<number, AccountInfo>,
  report: VhostReconciliation,
): Promise<void> {
  // Domains of one account share a home and often a root: each path is looked at once per pass.
  const seen = new Map<string, boolean>();
  const exists = (p: string) => seen.get(p) ?? seen.set(p, existsSync(p)).get(p)!;
  let looked = 0;
  for (const r of rows) {
    // Synchronous checks of 50,000 rows: requests get in every 1,000.
    if (++looked % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
    const a = accounts.get(r.account_id);
    if (!a || a.deleting || r.domain_type === 'alias' || exists(r.document_root) || !exists(a.home_dir)) continue;
    try {
      await ensureDocumentRoot(a, r.document_root, ctx.exec);
      seen.set(r.document_root, true);
      report.recreated_roots.push(r.document_root);
    } catch (e) {
      report.failed.push({ domain: r.domain_name, error: forAdmins(e) });
    }
  }
}

/**
 * Start-up reconciliation: drop domain rows whose account is gone, make missing document roots
 * again, and bring every vhost in line with the database (missing or differing fragments written,
 * one test and reload). Fragments the database does not know are reported, never removed here
 * (an explicit `POST /api/veloserve/regenerate` prunes them).
 */
export async function reconcileVhosts(
  ctx: PluginContext,
  store: DomainStore,
  vhosts: VhostSync,
  report: VhostReconciliation,
): Promise<void> {
  try {
    await vhosts.exclusive(async () => {
      const rows = await store.all();
      const accounts = await vhosts.accountsOf(rows);
      const orphans = rows.filter((r) => !accounts.has(r.account_id));
      await repairRoots(
        ctx,
        rows.filter((r) => accounts.has(r.account_id)),
        accounts,
        report,
      );
      const detail = await vhosts.syncNow({ without: orphans, prune: false });
      await store.delete(orphans.map((r) => r.id));
      report.orphan_domains = orphans.map((r) => r.domain_name);
      report.rewritten = detail.written;
      report.orphan_vhosts = detail.orphans;
      report.result = {
        engine: detail.engine,
        changed: detail.changed,
        unchanged: detail.unchanged,
        removed: detail.removed,
        reloaded: detail.reloaded,
      };
    });
    report.state = 'done';
    const said = [
      report.rewritten.length ? `rewrote ${report.rewritten.join(', ')}` : '',
      report.result!.removed
        ? `removed ${report.result!.removed} fragment(s) no domain renders any more (account gone or being deleted)`
        : '',
      report.orphan_domains.length ? `dropped domain rows without an account: ${report.orphan_domains.join(', ')}` : '',
      report.recreated_roots.length ? `made missing document roots again: ${report.recreated_roots.join(', ')}` : '',
      report.orphan_vhosts.length ? `kept fragments no domain accounts for: ${report.orphan_vhosts.join(', ')}` : '',
      report.failed.length
        ? `could not repair: ${report.failed.map((f) => `${f.domain} (${f.error})`).join(', ')}`
        : '',
    ].filter(Boolean);
    if (said.length) ctx.logger.warn(`vhosts reconciled with the database: ${said.join('; ')}`, { ...report });
  } catch (e) {
    report.state = 'failed';
    report.error = forAdmins(e);
    ctx.logger.error('vhost reconciliation failed', { error: report.error });
  }
}

/** Whether the engine serves a tenant's symlink into another home, said plainly (DESIGN: tenancy). */
function symlinkPolicy(engine: WebServerEngine): { refused: boolean; note: string } {
  if (engine.capabilities.foreignSymlinksRefused)
    return {
      refused: true,
      note: `${engine.label} refuses a symlink in an account's home whose owner differs from its target's`,
    };
  return {
    refused: false,
    note: `${engine.label} cannot refuse symlinks (its configuration has no symlink policy): a link an account plants to another account's file is served when the web server can read that file`,
  };
}

/**
 * The web server's routes under `/api/webserver/*` (engine-neutral, the primary names) and again
 * under `/api/veloserve/*`, the contract's names: both act on whichever engine is configured.
 */
export function engineRoutes(ctx: PluginContext, vhosts: VhostSync, report: VhostReconciliation): RouteDefinition[] {
  const routes = webServerRoutes(ctx, vhosts, report);
  const contractNames = routes.map((r) => ({ ...r, path: r.path.replace('/api/webserver/', '/api/veloserve/') }));
  return [...routes, ...contractNames];
}

function webServerRoutes(ctx: PluginContext, vhosts: VhostSync, report: VhostReconciliation): RouteDefinition[] {
  const admin = (scope: string) => ({ roles: ['admin' as const], scope });
  return [
    {
      method: 'GET',
      path: '/api/webserver/status',
      summary: 'Web server installed/running/version/PID/uptime',
      access: admin('system:read'),
      handler: async () => ({
        ...(await vhosts.engine().status()),
        tenant_symlinks: symlinkPolicy(vhosts.engine()),
        reconciliation: { vhosts: report, accounts: ctx.services.find(accountDirectory)?.reconciliation?.() ?? null },
      }),
    },
    {
      method: 'GET',
      path: '/api/webserver/version',
      summary: 'Web server binary version string',
      access: admin('system:read'),
      handler: async () => {
        const engine = vhosts.engine();
        return { engine: engine.id, version: await engine.version() };
      },
    },
    {
      method: 'POST',
      path: '/api/webserver/regenerate',
      summary: 'Regenerate all vhost configs from the database and reload',
      access: admin('system:write'),
      handler: () => vhosts.sync(),
    },
    {
      method: 'POST',
      path: '/api/webserver/reload',
      summary: 'Reload the web server configuration',
      access: admin('system:write'),
      handler: async () => {
        const engine = vhosts.engine();
        return { engine: engine.id, ...(await vhosts.exclusive(() => engine.reload())) };
      },
    },
  ];
}
