import {
  accountDirectory,
  errors,
  normalizeDomainName,
  SerialQueue,
  vhostContributors,
  webServerEngines,
  type AccountInfo,
  type PluginContext,
  type VhostSpec,
  type WebServerEngine,
} from '../../sdk/index.js';
import { SyncBatcher } from './batch.js';
import type { DomainRow, DomainStore } from './store.js';

/** Outcome of a vhost sync (the `POST /api/veloserve/regenerate` answer). */
export interface SyncResult {
  engine: string;
  changed: number;
  unchanged: number;
  removed: number;
  reloaded: boolean;
}

/** A sync's outcome with the fragment names, for the start-up report. */
export interface SyncDetail extends SyncResult {
  written: string[];
  removedNames: string[];
  /** Managed fragments no domain row accounts for (left in place when not pruning). */
  orphans: string[];
}

/** Which vhosts a sync covers. */
export interface SyncScope {
  /** Only these accounts' vhosts (none: the whole server). */
  accountIds?: number[];
  /** Rows about to be deleted: their fragments go. */
  without?: DomainRow[];
  /** Whole-server sync: also remove managed fragments no row accounts for (default true). */
  prune?: boolean;
}

/** The `www.` name a primary or addon domain also serves, or null (subdomain, alias, already www, too long). */
export function wwwNameOf(row: DomainRow): string | null {
  if ((row.domain_type !== 'primary' && row.domain_type !== 'addon') || row.domain_name.startsWith('www.')) return null;
  return normalizeDomainName(`www.${row.domain_name}`);
}

/**
 * Renders vhosts from the database through the configured engine and applies only what differs
 * from the files on disk. All syncs (and the row changes that must go with them) run one at a
 * time, so two requests never interleave a compare and a write.
 */
export class VhostSync {
  private readonly queue = new SerialQueue();
  /** Domain adds and removals, applied in batches (see {@link SyncBatcher}). */
  readonly changes: SyncBatcher;

  constructor(
    private readonly ctx: PluginContext,
    private readonly store: DomainStore,
    private readonly engineId: string,
    windowMs = 0,
    holdMs = 0,
  ) {
    this.changes = new SyncBatcher(this, windowMs, holdMs);
  }

  /** The configured engine, or a 503 saying why it is not there. */
  engine(): WebServerEngine {
    const entry = this.ctx.extensions.find(webServerEngines, this.engineId);
    if (!entry)
      throw errors.unavailable(`Web-server engine '${this.engineId}' is not available: no active plugin provides it`);
    if (!entry.available)
      throw errors.unavailable(`Web-server engine '${this.engineId}' is not available: ${entry.reason}`);
    return entry.value;
  }

  /** Run `fn` exclusively with every other sync. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }

  /**
   * Specs of the given rows, contributors applied. Aliases fold into the host they point at; a
   * primary or addon domain also serves its `www.` name unless that name is a domain row of its own
   * (anyone's). Accounts being deleted render nothing. `complete`: the rows are the whole table;
   * `gone`: names of rows about to be deleted.
   */
  async specs(
    rows: DomainRow[],
    accounts: Map<number, AccountInfo>,
    complete = false,
    gone = new Set<string>(),
  ): Promise<VhostSpec[]> {
    const specs = new Map<number, VhostSpec>();
    for (const r of rows) {
      const a = accounts.get(r.account_id);
      if (!a || a.deleting || r.domain_type === 'alias') continue;
      specs.set(r.id, {
        domain: r.domain_name,
        aliases: [],
        documentRoot: r.document_root,
        accountId: a.id,
        accountUsername: a.username,
        homeDir: a.home_dir,
        suspended: a.status === 'suspended',
      });
    }
    for (const r of rows)
      if (r.domain_type === 'alias' && r.alias_of !== null) specs.get(r.alias_of)?.aliases.push(r.domain_name);
    const www = rows
      .filter((r) => specs.has(r.id))
      .map((r) => [r.id, wwwNameOf(r)] as const)
      .filter((e): e is [number, string] => e[1] !== null);
    const taken = new Set(rows.map((r) => r.domain_name));
    if (!complete)
      for (const n of await this.store.existingNames(www.map(([, n]) => n).filter((n) => !taken.has(n))))
        if (!gone.has(n)) taken.add(n);
    for (const [id, name] of www) if (!taken.has(name)) specs.get(id)!.aliases.push(name);
    const contributors = this.ctx.extensions.entries(vhostContributors).filter((e) => e.available);
    const list = [...specs.values()];
    for (const spec of list) spec.aliases.sort();
    // Contributors touch fields of their own (tls, php): one after the other over the whole list,
    // in one call where a contributor can do a list at once (a query per spec was 50,000 queries).
    for (const c of contributors)
      if (c.value.contributeAll && list.length > 1) await c.value.contributeAll(list);
      else for (const spec of list) await c.value.contribute(spec);
    return list;
  }

  /** Accounts of the rows, by id (including one being created, which `list()` leaves out). */
  async accountsOf(rows: DomainRow[], accountIds?: number[]): Promise<Map<number, AccountInfo>> {
    const dir = this.ctx.services.get(accountDirectory);
    const all = accountIds !== undefined ? await Promise.all(accountIds.map((id) => dir.get(id))) : await dir.list();
    const map = new Map(all.filter((a): a is AccountInfo => a !== null).map((a) => [a.id, a]));
    for (const id of new Set(rows.map((r) => r.account_id))) {
      if (map.has(id)) continue;
      const a = await dir.get(id);
      if (a) map.set(id, a);
    }
    return map;
  }

  /**
   * Compare and apply, for some accounts or the whole server. Every fragment a row of the scope
   * could have (or a row in `without`) is compared, so a host that renders nothing any more loses
   * its file. A whole-server sync also finds managed fragments no row accounts for: removed when
   * pruning, otherwise only reported.
   */
  async syncNow(scope: SyncScope = {}): Promise<SyncDetail> {
    const engine = this.engine();
    const ids = scope.accountIds;
    const skip = new Set((scope.without ?? []).map((r) => r.id));
    const rows = (ids !== undefined ? await this.store.forAccounts(ids) : await this.store.all()).filter(
      (r) => !skip.has(r.id),
    );
    const gone = new Set((scope.without ?? []).map((r) => r.domain_name));
    const specs = await this.specs(rows, await this.accountsOf(rows, ids), ids === undefined, gone);
    const desired = new Map<string, string>();
    for (const spec of specs) {
      const f = engine.render(spec);
      desired.set(f.name, f.content);
    }
    const known = new Set([
      ...desired.keys(),
      ...[...rows, ...(scope.without ?? [])]
        .filter((r) => r.domain_type !== 'alias')
        .map((r) => engine.fragmentName(r.domain_name)),
    ]);
    const current = await engine.list(ids !== undefined ? [...known] : undefined);
    const orphans = [...current.keys()].filter((name) => !known.has(name)).sort();
    const write = [...desired]
      .filter(([name, content]) => current.get(name) !== content)
      .map(([name, content]) => ({ name, content }));
    const remove = [...current.keys()].filter(
      (name) => !desired.has(name) && (known.has(name) || scope.prune !== false),
    );
    const applied = await engine.apply({ write, remove });
    return {
      engine: engine.id,
      changed: write.length,
      unchanged: desired.size - write.length,
      removed: remove.length,
      reloaded: applied.reloaded,
      written: write.map((w) => w.name).sort(),
      removedNames: remove.sort(),
      orphans: scope.prune === false ? orphans : [],
    };
  }

  /** Sync exclusively (one account, several in one reload, or the whole server); answers the plain {@link SyncResult}. */
  async sync(scope: { accountId?: number | readonly number[] } = {}): Promise<SyncResult> {
    const ids = scope.accountId;
    const r = await this.exclusive(() =>
      this.syncNow(ids === undefined ? {} : { accountIds: typeof ids === 'number' ? [ids] : [...ids] }),
    );
    return { engine: r.engine, changed: r.changed, unchanged: r.unchanged, removed: r.removed, reloaded: r.reloaded };
  }
}
