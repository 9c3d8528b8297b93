import path from 'node:path';
import {
  accountDatabases,
  accountSettingsSections,
  domainDirectory,
  errors,
  type AccountInfo,
  type DatabaseEngine,
  type PluginContext,
} from '../../sdk/index.js';
import { keepCredential, type CredentialOutcome } from './credentials.js';
import { failure, type ItemFailure } from './failure.js';
import type { Manifest } from './manifest.js';
import { engineFor } from './snapshot.js';

/** One line of a restore report. */
export interface RestoreItem {
  /** `account`, `files`, `database:<name>`, `settings:<section>`, `domain:<name>`. */
  item: string;
  status: 'restored' | 'failed';
  detail?: string;
  /** Why it failed, written for the account: a tool's words, paths or SQL are never in it. */
  error?: string;
  /** Admins only (the job's reader and the route leave it out for anyone else): the server's own words. */
  error_detail?: string;
  /** Databases only: whether the user kept its password, got a new one, or was not touched. */
  credentials?: CredentialOutcome;
}

/** Where each database of the manifest will be loaded, or why it cannot be. */
export type DatabasePlan = Map<
  string,
  | { engine: DatabaseEngine; names: { database: string; user: string }; credentials: CredentialOutcome; note: string }
  | ItemFailure
>;

/**
 * Prepare every database of the manifest: the engine must be installed, and the database must
 * belong to the account — or not exist at all, then it is recreated through the databases
 * plugin (validated there like `POST /api/databases`; another tenant's name fails with 409)
 * and its user given back the password hash the backup carries.
 */
export async function planDatabases(
  ctx: PluginContext,
  account: AccountInfo,
  manifest: Manifest,
): Promise<DatabasePlan> {
  const plan: DatabasePlan = new Map();
  if (manifest.databases.length === 0) return plan;
  const svc = ctx.services.find(accountDatabases);
  const owned = svc ? await svc.forAccount(account.id) : [];
  for (const d of manifest.databases) {
    try {
      const engine = engineFor(ctx, d.engine, d.database);
      if (!svc) throw errors.unavailable('no active plugin records databases (the databases plugin is not active)');
      const mine = owned.find((o) => o.database === d.database);
      if (mine && engineFor(ctx, mine.engine, mine.database) !== engine)
        throw errors.conflict(`${d.database} exists on engine ${mine.engine}, the backup holds a ${d.engine} dump`);
      const names = { database: d.database, user: mine?.user ?? d.user };
      if (mine) {
        plan.set(d.database, {
          engine,
          names,
          credentials: 'unchanged',
          note: `existing database; user ${names.user} and its password left as they were`,
        });
        continue;
      }
      await svc.recreate(account.id, { engine: d.engine, database: d.database, user: d.user });
      const kept = await keepCredential(engine, names.user, d);
      plan.set(d.database, { engine, names, credentials: kept.outcome, note: `database recreated; ${kept.note}` });
    } catch (e) {
      plan.set(d.database, failure(e));
    }
  }
  return plan;
}

/** Hand each settings section back to the plugin owning it (which validates it like API input). */
export async function restoreSettings(
  ctx: PluginContext,
  account: AccountInfo,
  manifest: Manifest,
): Promise<RestoreItem[]> {
  const items: RestoreItem[] = [];
  const entries = ctx.extensions.entries(accountSettingsSections);
  for (const [name, value] of Object.entries(manifest.settings)) {
    const entry = entries.find((e) => e.entryId === name);
    if (!entry || !entry.available) {
      items.push({
        item: `settings:${name}`,
        status: 'failed',
        error: `no active plugin handles '${name}' settings${entry?.reason ? ` (${entry.reason})` : ''}`,
      });
      continue;
    }
    try {
      await entry.value.import(account, value);
      items.push({ item: `settings:${name}`, status: 'restored' });
    } catch (e) {
      items.push({ item: `settings:${name}`, status: 'failed', ...failure(e) });
    }
  }
  return items;
}

/** Refuse hostile settings before anything changes (sections that can check without applying). */
export async function validateSettings(ctx: PluginContext, manifest: Manifest): Promise<void> {
  const entries = ctx.extensions.entries(accountSettingsSections);
  for (const [name, value] of Object.entries(manifest.settings)) {
    const entry = entries.find((e) => e.entryId === name && e.available);
    if (entry?.value.validate) {
      try {
        await entry.value.validate(value);
      } catch (e) {
        const why = failure(e, `manifest: settings.${name}: `);
        throw errors.validation(why.error).withAdminDetail(why.error_detail ?? '');
      }
    }
  }
}

/** Order of re-creation: what others hang on comes first (addons, then subdomains shallow to deep, then aliases). */
function creationOrder(a: Manifest['domains'][number], b: Manifest['domains'][number]): number {
  const rank = (d: Manifest['domains'][number]) => ({ primary: 0, addon: 1, subdomain: 2, alias: 3 })[d.domain_type];
  return rank(a) - rank(b) || a.domain_name.split('.').length - b.domain_name.split('.').length;
}

/**
 * Add the domains of the backup the account no longer has, through the domains plugin's checks:
 * each with its type and document root, an alias on the restored row of the domain it served.
 */
export async function restoreDomains(
  ctx: PluginContext,
  account: AccountInfo,
  manifest: Manifest,
): Promise<RestoreItem[]> {
  const missing = manifest.domains.filter((d) => d.domain_name !== account.primary_domain);
  if (missing.length === 0) return [];
  const dir = ctx.services.find(domainDirectory);
  if (!dir) return [{ item: 'domains', status: 'failed', error: 'the domains plugin is not active' }];
  const existing = new Set((await dir.forAccount(account.id)).map((d) => d.domain_name));
  const items: RestoreItem[] = [];
  for (const d of [...missing].sort(creationOrder)) {
    if (existing.has(d.domain_name)) continue;
    const item = `domain:${d.domain_name}`;
    if (d.domain_type === 'primary') {
      items.push({
        item,
        status: 'failed',
        error: `was the primary domain; the account's primary is now ${account.primary_domain}`,
      });
      continue;
    }
    try {
      const document_root = d.document_root ? path.posix.join(account.home_dir, d.document_root) : undefined;
      let alias_of: number | undefined;
      if (d.domain_type === 'alias' && d.alias_of !== null) {
        const target = (await dir.forAccount(account.id)).find((x) => x.domain_name === d.alias_of);
        if (!target) throw errors.conflict(`the domain it served, ${d.alias_of}, was not restored`);
        alias_of = target.id;
      }
      await dir.create({
        account_id: account.id,
        domain_name: d.domain_name,
        domain_type: d.domain_type,
        document_root,
        ...(alias_of ? { alias_of } : {}),
      });
      items.push({ item, status: 'restored' });
    } catch (e) {
      items.push({ item, status: 'failed', ...failure(e) });
    }
  }
  return items;
}
