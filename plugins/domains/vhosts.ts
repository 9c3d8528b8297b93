import {
  accountDirectory, errors, vhostContributors, webServerEngines, type AccountInfo, type PluginContext, type VhostSpec,
  type WebServerEngine,
} from '../../sdk/index.js';
import type { DomainRow, DomainStore } from './store.js';

/** Outcome of a vhost sync. */
export interface SyncResult {
  engine: string;
  changed: number;
  unchanged: number;
  removed: number;
  reloaded: boolean;
}

/**
 * Renders vhosts from the database through the configured engine and applies only what differs
 * from the files on disk. All syncs (and the row changes that must go with them) run one at a
 * time, so two requests never interleave a compare and a write.
 */
export class VhostSync {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly ctx: PluginContext, private readonly store: DomainStore, private readonly engineId: string) {}

  /** The configured engine, or a 503 saying why it is not there. */
  engine(): WebServerEngine {
    const entry = this.ctx.extensions.find(webServerEngines, this.engineId);
    if (!entry) throw errors.unavailable(`Web-server engine '${this.engineId}' is not available: no active plugin provides it`);
    if (!entry.available) throw errors.unavailable(`Web-server engine '${this.engineId}' is not available: ${entry.reason}`);
    return entry.value;
  }

  /** Run `fn` exclusively with every other sync. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Specs of the given rows (aliases folded into the host they point at), contributors applied. */
  async specs(rows: DomainRow[], accounts: Map<number, AccountInfo>): Promise<VhostSpec[]> {
    const specs = new Map<number, VhostSpec>();
    for (const r of rows) {
      const a = accounts.get(r.account_id);
      if (!a || r.domain_type === 'alias') continue;
      specs.set(r.id, {
        domain: r.domain_name, aliases: [], documentRoot: r.document_root, accountId: a.id, accountUsername: a.username,
        homeDir: a.home_dir, suspended: a.status === 'suspended',
      });
    }
    for (const r of rows) if (r.domain_type === 'alias' && r.alias_of !== null) specs.get(r.alias_of)?.aliases.push(r.domain_name);
    const contributors = this.ctx.extensions.entries(vhostContributors).filter((e) => e.available);
    const list = [...specs.values()];
    for (const spec of list) {
      spec.aliases.sort();
      for (const c of contributors) await c.value.contribute(spec);
    }
    return list;
  }

  /** Accounts of the rows, by id (including one being created, which `list()` leaves out). */
  async accountsOf(rows: DomainRow[], accountId?: number): Promise<Map<number, AccountInfo>> {
    const dir = this.ctx.services.get(accountDirectory);
    const all = accountId !== undefined ? [await dir.get(accountId)] : await dir.list();
    const map = new Map(all.filter((a): a is AccountInfo => a !== null).map((a) => [a.id, a]));
    for (const id of new Set(rows.map((r) => r.account_id))) {
      if (map.has(id)) continue;
      const a = await dir.get(id);
      if (a) map.set(id, a);
    }
    return map;
  }

  /**
   * Compare and apply, for one account or (no `accountId`) the whole server. `without` are rows
   * about to be deleted: their fragments go. A whole-server sync also removes managed fragments
   * no domain renders any more.
   */
  async syncNow(scope: { accountId?: number; without?: DomainRow[] } = {}): Promise<SyncResult> {
    const engine = this.engine();
    const skip = new Set((scope.without ?? []).map((r) => r.id));
    const rows = (scope.accountId !== undefined ? await this.store.forAccount(scope.accountId) : await this.store.all()).filter((r) => !skip.has(r.id));
    const specs = await this.specs(rows, await this.accountsOf(rows, scope.accountId));
    const desired = new Map<string, string>();
    for (const spec of specs) {
      const f = engine.render(spec);
      desired.set(f.name, f.content);
    }
    const gone = (scope.without ?? []).filter((r) => r.domain_type !== 'alias').map((r) => engine.fragmentName(r.domain_name));
    const current = await engine.list(scope.accountId !== undefined || scope.without ? [...desired.keys(), ...gone] : undefined);
    const write = [...desired].filter(([name, content]) => current.get(name) !== content).map(([name, content]) => ({ name, content }));
    const remove = [...current.keys()].filter((name) => !desired.has(name));
    const applied = await engine.apply({ write, remove });
    return { engine: engine.id, changed: write.length, unchanged: desired.size - write.length, removed: remove.length, reloaded: applied.reloaded };
  }

  sync(scope: { accountId?: number } = {}): Promise<SyncResult> {
    return this.exclusive(() => this.syncNow(scope));
  }
}
