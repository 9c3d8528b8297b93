import fs from 'node:fs';
import {
  accountDatabases,
  accountSettingsSections,
  databaseEngines,
  domainDirectory,
  errors,
  isPanelError,
  type AccountDatabase,
  type AccountInfo,
  type DatabaseEngine,
  type PluginContext,
} from '../../sdk/index.js';
import type { Manifest } from './manifest.js';

/** The engine serving an engine id or alias, or a 503 naming the database it was needed for. */
export function engineFor(ctx: PluginContext, engineId: string, database: string): DatabaseEngine {
  const entry = ctx.extensions
    .entries(databaseEngines)
    .find((e) => e.entryId === engineId || e.value.aliases?.includes(engineId));
  if (!entry || !entry.available)
    throw errors.unavailable(
      `Database ${database}: engine '${engineId}' is ${entry ? `unavailable (${entry.reason})` : 'not installed on this server'}`,
    );
  return entry.value;
}

/** What an account consists of besides its home: databases, domains and plugin settings. */
export interface AccountSnapshot {
  databases: { db: AccountDatabase; engine: DatabaseEngine }[];
  domains: Manifest['domains'];
  settings: Record<string, unknown>;
  warnings: string[];
}

/**
 * Gather everything of an account the archive must carry. A missing part is never left out
 * silently: a database whose engine cannot dump it fails the backup; a plugin that is not
 * active (so nothing of it can be recorded) becomes a warning in the manifest and the answer.
 */
export async function snapshotAccount(ctx: PluginContext, account: AccountInfo): Promise<AccountSnapshot> {
  const warnings: string[] = [];
  const dbService = ctx.services.find(accountDatabases);
  let databases: AccountSnapshot['databases'] = [];
  if (!dbService)
    warnings.push(
      "Databases were not backed up: no active plugin lists the account's databases (databases plugin not active)",
    );
  else
    databases = (await dbService.forAccount(account.id)).map((db) => ({
      db,
      engine: engineFor(ctx, db.engine, db.database),
    }));

  const domains: Manifest['domains'] = [];
  const dir = ctx.services.find(domainDirectory);
  if (!dir) warnings.push('Domains were not recorded: the domains plugin is not active');
  else {
    const list = await dir.forAccount(account.id);
    const home = account.home_dir;
    for (const d of list) {
      const root =
        d.document_root === home
          ? '/'
          : d.document_root.startsWith(home + '/')
            ? d.document_root.slice(home.length)
            : null;
      domains.push({
        domain_name: d.domain_name,
        domain_type: d.domain_type,
        document_root: root,
        alias_of: list.find((x) => x.id === d.alias_of)?.domain_name ?? null,
      });
    }
  }

  const settings: Record<string, unknown> = {};
  for (const entry of ctx.extensions.entries(accountSettingsSections)) {
    if (!entry.available) continue;
    try {
      settings[entry.entryId] = await entry.value.export(account);
    } catch (e) {
      warnings.push(
        `Settings '${entry.entryId}' were not recorded: ${isPanelError(e) ? e.message : 'the plugin failed to export them'}`,
      );
    }
  }
  return { databases, domains, settings, warnings };
}

/** Bytes of regular files under a home (lstat only, links not followed), for progress. */
export async function estimateHomeBytes(home: string, limitEntries = 2_000_000): Promise<number> {
  let total = 0;
  let seen = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 128 || seen > limitEntries) return;
    const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      seen++;
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) await walk(p, depth + 1);
      else if (e.isFile()) total += (await fs.promises.lstat(p).catch(() => null))?.size ?? 0;
    }
  };
  await walk(home, 0);
  return total;
}
