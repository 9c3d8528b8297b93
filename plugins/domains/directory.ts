import path from 'node:path';
import {
  accountDirectory,
  errors,
  fromContractPath,
  normalizeDomainName,
  resellerCapTable,
  type DomainCreate,
  type DomainDirectory,
  type DomainInfo,
  type PluginContext,
} from '../../sdk/index.js';
import { ensureDocumentRoot, removeCreated, resolveDocumentRoot } from './docroot.js';
import { checkOwnership, checkPanelName } from './ownership.js';
import { now, type DomainRow, type DomainStore } from './store.js';
import { wwwNameOf, type VhostSync } from './vhosts.js';

/** Where a new domain serves from, by type (an alias serves the root of its target, by default the primary). */
function plannedRoot(
  mode: 'local' | 'linux',
  given: DomainCreate,
  name: string,
  home: string,
  own: DomainRow[],
): { root: string; aliasOf: number | null } {
  // `/home/<username>/…` as the API reference writes it is the same place as the real home (local mode).
  const input =
    given.document_root === undefined
      ? given
      : { ...given, document_root: fromContractPath(mode, home, given.document_root) };
  if (input.domain_type === 'alias') {
    const target =
      input.alias_of === undefined
        ? own.find((d) => d.domain_type === 'primary')
        : own.find((d) => d.id === input.alias_of);
    if (!target && input.alias_of === undefined)
      throw errors.conflict(`Account ${input.account_id} has no primary domain to alias`);
    if (!target || target.domain_type === 'alias')
      throw errors.validation('alias_of: must be a domain of the same account that is not an alias');
    if (input.document_root !== undefined && path.posix.normalize(input.document_root) !== target.document_root)
      throw errors.validation(
        `document_root: an alias serves ${target.domain_type === 'primary' ? "its primary domain's" : `${target.domain_name}'s`} document root (${target.document_root})`,
      );
    return { root: target.document_root, aliasOf: target.id };
  }
  if (input.alias_of !== undefined) throw errors.validation('alias_of: only an alias serves another domain');
  if (input.domain_type === 'primary' && own.some((d) => d.domain_type === 'primary'))
    throw errors.conflict(`Account ${input.account_id} already has a primary domain`);
  if (
    input.domain_type === 'subdomain' &&
    !own.some((d) => d.domain_type !== 'alias' && name.endsWith(`.${d.domain_name}`))
  )
    throw errors.validation('domain_name: a subdomain must sit under a domain of the same account');
  const fallback = input.domain_type === 'primary' ? path.join(home, 'public_html') : path.join(home, name);
  return { root: resolveDocumentRoot(home, input.document_root ?? fallback), aliasOf: null };
}

/** For `www.<name>`: the row of <name> when its vhost would serve the www name, else null. */
async function wwwOwner(store: DomainStore, name: string): Promise<DomainRow | null> {
  if (!name.startsWith('www.')) return null;
  const apex = await store.byName(name.slice(4));
  return apex && wwwNameOf(apex) === name ? apex : null;
}

/** The domain cap an admin set on the account's reseller, with the reseller's account ids (read before the lock). */
async function resellerCap(
  ctx: PluginContext,
  resellerId: number | null,
): Promise<{ cap: number; accountIds: number[] } | undefined> {
  const cap = await resellerCapTable(ctx.db).of(resellerId);
  if (cap === null || resellerId === null) return undefined;
  const accounts = await ctx.services.get(accountDirectory).list({ resellerId });
  return { cap, accountIds: accounts.map((a) => a.id) };
}

/** The {@link DomainDirectory} service: domain rows plus vhost regeneration through the engine. */
export function domainService(
  ctx: PluginContext,
  store: DomainStore,
  vhosts: VhostSync,
): DomainDirectory & { remove(id: number): Promise<DomainRow> } {
  /** Domains whose removal is under way (a second removal of one is a 404, as after it). */
  const removing = new Set<number>();
  const service = {
    get: (id: number) => store.get(id),
    byName: async (name: string) => {
      const n = normalizeDomainName(name);
      return n ? store.byName(n) : null;
    },
    forAccount: (accountId: number) => store.forAccount(accountId),
    list: () => store.all(),
    // One account's vhosts join the batch of changes (see SyncBatcher): concurrent creates and
    // suspends then share one config test and one reload instead of queueing one each.
    regenerate: async (accountId?: number | readonly number[]) => {
      if (typeof accountId !== 'number') return vhosts.sync({ accountId });
      const r = await vhosts.changes.request({ accountIds: [accountId] });
      return { engine: r.engine, changed: r.changed, unchanged: r.unchanged, removed: r.removed, reloaded: r.reloaded };
    },

    expectChange: () => vhosts.changes.expect(),

    async vhostSpec(domainId: number) {
      const row = await store.get(domainId);
      if (!row) return null;
      const target = row.domain_type === 'alias' && row.alias_of !== null ? await store.get(row.alias_of) : row;
      if (!target) return null;
      const rows = await store.forAccount(target.account_id);
      const specs = await vhosts.specs(rows, await vhosts.accountsOf(rows, [target.account_id]));
      return specs.find((s) => s.domain === target.domain_name) ?? null;
    },

    async checkNewName(domain: string, opts: { asAdmin?: boolean; allowCrossAccount?: boolean } = {}): Promise<void> {
      const name = normalizeDomainName(domain);
      if (!name) throw errors.validation('domain: must be a fully qualified domain name');
      checkPanelName(name, ctx.settings.serverHostname);
      if (await store.byName(name)) throw errors.conflict(`Domain ${name} already exists on this server`);
      await checkOwnership(store, { name, accountId: null, ...opts });
    },

    async create(input: DomainCreate, opts: { apply?: boolean; asAdmin?: boolean } = {}): Promise<DomainInfo> {
      const account = await ctx.services.get(accountDirectory).get(input.account_id);
      if (!account) throw errors.notFound(`Account ${input.account_id} not found`);
      if (account.deleting) throw errors.conflict(`Account ${account.id} is being deleted`);
      const name = normalizeDomainName(input.domain_name);
      if (!name) throw errors.validation('domain_name: must be a fully qualified domain name');
      const { root, aliasOf } = plannedRoot(
        ctx.settings.mode,
        input,
        name,
        account.home_dir,
        await store.forAccount(account.id),
      );
      checkPanelName(name, ctx.settings.serverHostname);
      if (await store.byName(name)) throw errors.conflict(`Domain ${name} already exists on this server`);
      const apex = await wwwOwner(store, name);
      if (apex && apex.account_id !== account.id)
        throw errors.conflict(
          `Domain ${name} already exists on this server (it is the www name of ${apex.domain_name})`,
        );
      const claim = {
        name,
        accountId: account.id,
        asAdmin: opts.asAdmin,
        allowCrossAccount: input.allow_cross_account,
      };
      await checkOwnership(store, claim);
      const reseller = await resellerCap(ctx, account.reseller_id);
      const created = aliasOf === null ? await ensureDocumentRoot(account, root, ctx.exec) : [];
      let row: DomainRow;
      try {
        row = await store.insertWithinLimit(
          {
            account_id: account.id,
            domain_name: name,
            domain_type: input.domain_type,
            document_root: root,
            alias_of: aliasOf,
            created_at: now(),
          },
          ctx.licence().limits.max_domains ?? null,
          reseller,
          (trx) => checkOwnership(store, claim, trx),
          account.plan_limits?.max_domains ?? null,
        );
      } catch (e) {
        removeCreated(created);
        throw e;
      }
      if (opts.apply !== false) {
        try {
          await vhosts.changes.request({ accountIds: [account.id], added: [row] });
        } catch (e) {
          await store.delete([row.id]);
          removeCreated(created);
          throw e;
        }
      }
      await ctx.hooks.runAfter('domain.created', { domain: row });
      return row;
    },

    async remove(id: number): Promise<DomainRow> {
      const row = await store.get(id);
      if (!row || removing.has(id)) throw errors.notFound(`Domain ${id} not found`);
      removing.add(id);
      try {
        if (row.domain_type === 'primary')
          throw errors.conflict('The primary domain cannot be deleted; delete the account instead');
        const aliases = (await store.forAccount(row.account_id))
          .filter((d) => d.alias_of === row.id)
          .map((d) => d.domain_name);
        if (aliases.length)
          throw errors.conflict(`Domain ${row.domain_name} has aliases (${aliases.join(', ')}); delete them first`);
        // A freed `www.<name>` goes back to the vhost of <name>, even when another account has it.
        const apex = await wwwOwner(store, row.domain_name);
        const accountIds = [...new Set([row.account_id, ...(apex ? [apex.account_id] : [])])];
        // The row goes in the sync queue right after its vhost, so no later sync renders it again.
        await vhosts.changes.request({ accountIds, without: [row], commit: () => store.delete([row.id]) });
      } finally {
        removing.delete(id);
      }
      await ctx.hooks.runAfter('domain.deleted', { domain: row });
      return row;
    },

    async removeForAccount(accountId: number): Promise<number> {
      return vhosts.exclusive(async () => {
        const rows = await store.forAccount(accountId);
        if (rows.length === 0) return 0;
        await vhosts.syncNow({ accountIds: [accountId], without: rows });
        await store.delete(rows.map((r) => r.id));
        return rows.length;
      });
    },

    engine() {
      try {
        const e = vhosts.engine();
        return { id: e.id, capabilities: e.capabilities };
      } catch {
        return null;
      }
    },
  };
  return service;
}
