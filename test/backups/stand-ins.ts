// Stand-ins for other plugins' services the backups plugin consumes (accounts, domains, the
// databases plugin's listing, PHP settings), for tests where those plugins are not the subject.
// Database engines themselves are the real ones (plugins/mysql) against the test bed.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  accountDatabases,
  accountDirectory,
  accountProvisioner,
  accountRef,
  accountSettingsSections,
  databaseEngines,
  definePlugin,
  domainDirectory,
  errors,
  Type,
  type AccountCreateInput,
  type AccountDatabase,
  type AccountInfo,
  type DomainInfo,
  type PluginContext,
} from '../../sdk/index.js';

/** What the stand-ins hold, for tests to arrange and inspect. */
export interface StandInState {
  accounts: Map<number, AccountInfo>;
  domains: DomainInfo[];
  databases: Map<number, AccountDatabase[]>;
  php: Map<number, unknown>;
  /** Licence-like account limit the provisioner enforces (seed message). */
  maxAccounts: number;
  createAccount(input: Partial<AccountInfo> & { username: string }): AccountInfo;
  /** Create a real database through the engine and record it for the account. */
  createDatabase(accountId: number, engine: string, name: string, password: string): Promise<AccountDatabase>;
  ctx(): PluginContext;
}

const PHP_INI = /^(memory_limit|upload_max_filesize|post_max_size|max_execution_time|display_errors)$/;

/**
 * Inline plugins providing accountDirectory, accountProvisioner, domainDirectory, `php` settings
 * and (unless the real databases plugin is loaded: `databases: false`) accountDatabases.
 */
/** Where the stand-in makes homes: its `home_base`, else `/home` in linux mode and `<data_dir>/home` otherwise. */
function homeBase(ctx: PluginContext): string {
  const fallback = ctx.settings.mode === 'linux' ? '/home' : path.join(ctx.settings.dataDir, 'home');
  return path.resolve(String(ctx.config.home_base || fallback));
}

export function standIns(opts: { databases?: boolean } = {}): {
  plugins: ReturnType<typeof definePlugin>[];
  state: StandInState;
} {
  let nextId = 1;
  let context: PluginContext | null = null;
  const state: StandInState = {
    accounts: new Map(),
    domains: [],
    databases: new Map(),
    php: new Map(),
    maxAccounts: 5,
    ctx: () => context!,
    createAccount(input) {
      if (state.accounts.size >= state.maxAccounts)
        throw errors.limitReached(
          `Account limit reached (${state.accounts.size}/${state.maxAccounts}). Upgrade your license for more.`,
        );
      if ([...state.accounts.values()].some((a) => a.username === input.username))
        throw errors.conflict(`Account ${input.username} already exists`);
      const id = nextId++;
      const home = path.join(homeBase(context!), input.username);
      fs.mkdirSync(path.join(home, 'public_html'), { recursive: true, mode: 0o750 });
      const a: AccountInfo = {
        id,
        username: input.username,
        primary_domain: input.primary_domain ?? `${input.username}.example.com`,
        email: input.email ?? `${input.username}@example.com`,
        plan: input.plan ?? 'free',
        status: 'active',
        home_dir: home,
        uid: input.uid ?? null,
        gid: input.gid ?? null,
        disk_quota_mb: input.disk_quota_mb ?? 500,
        bandwidth_quota_mb: 10000,
        reseller_id: input.reseller_id ?? null,
        created_at: '2026-02-28 15:44:05',
        identity: input.identity ?? randomBytes(16).toString('hex'),
      };
      state.accounts.set(id, a);
      state.domains.push({
        id: state.domains.length + 1,
        account_id: id,
        domain_name: a.primary_domain,
        domain_type: 'primary',
        document_root: `${home}/public_html`,
        alias_of: null,
        created_at: a.created_at,
      });
      return a;
    },
    async createDatabase(accountId, engineId, name, password) {
      const a = state.accounts.get(accountId)!;
      const engine = context!.extensions.find(databaseEngines, engineId)!.value;
      const db = { engine: engineId, database: `${a.username}_${name}`, user: `${a.username}_${name}` };
      await engine.create({ database: db.database, user: db.user, password });
      state.databases.set(accountId, [...(state.databases.get(accountId) ?? []), db]);
      return db;
    },
  };
  const accounts = definePlugin({
    manifest: { id: 'test-accounts', version: '1.0.0', sdk: '^1.0.0' },
    // Claims the top-level `home_base` as the accounts plugin does.
    configSchema: Type.Object({ home_base: Type.String({ default: '' }) }),
    start(ctx) {
      context = ctx;
      ctx.services.provide(accountDirectory, {
        get: async (id) => state.accounts.get(id) ?? null,
        byUsername: async (u) => [...state.accounts.values()].find((a) => a.username === u) ?? null,
        list: async () => [...state.accounts.values()],
        owner: async (id) => {
          const a = state.accounts.get(id);
          return a ? { ref: accountRef(id), resellerId: a.reseller_id } : null;
        },
        homeBase: homeBase(ctx),
      });
      ctx.services.provide(accountProvisioner, {
        create: async (input: AccountCreateInput) => {
          if (!/^[a-z][a-z0-9]{2,15}$/.test(input.username))
            throw errors.validation('username: must be 3–16 alphanumeric characters');
          return state.createAccount({
            username: input.username,
            primary_domain: input.domain,
            email: input.email,
            plan: input.plan,
            reseller_id: input.reseller_id ?? null,
            ...(input.identity ? { identity: input.identity } : {}),
          });
        },
        remove: async (id) => {
          const a = state.accounts.get(id);
          if (!a) return;
          state.accounts.delete(id);
          state.domains = state.domains.filter((d) => d.account_id !== id);
          fs.rmSync(a.home_dir, { recursive: true, force: true });
        },
      });
      ctx.services.provide(domainDirectory, {
        get: async (id) => state.domains.find((d) => d.id === id) ?? null,
        byName: async (n) => state.domains.find((d) => d.domain_name === n) ?? null,
        forAccount: async (id) => state.domains.filter((d) => d.account_id === id),
        list: async () => state.domains,
        regenerate: async () => ({ changed: 0, unchanged: 0 }),
        vhostSpec: async () => null,
        engine: () => null,
        removeForAccount: async (id) => {
          const n = state.domains.length;
          state.domains = state.domains.filter((d) => d.account_id !== id);
          return n - state.domains.length;
        },
        create: async (input) => {
          if (state.domains.some((d) => d.domain_name === input.domain_name))
            throw errors.conflict(`Domain ${input.domain_name} already exists on this server`);
          const d: DomainInfo = {
            id: state.domains.length + 100,
            account_id: input.account_id,
            domain_name: input.domain_name,
            domain_type: input.domain_type,
            document_root: input.document_root ?? '',
            alias_of: null,
            created_at: '2026-02-28 15:44:05',
          };
          state.domains.push(d);
          return d;
        },
      });
      if (opts.databases !== false)
        ctx.services.provide(accountDatabases, {
          forAccount: async (id) => state.databases.get(id) ?? [],
          recreate: async (id, db) => {
            const a = state.accounts.get(id)!;
            if (!db.database.startsWith(`${a.username}_`))
              throw errors.validation('db_name: must belong to the account');
            const engine = ctx.extensions.find(databaseEngines, db.engine)!.value;
            await engine.create({
              database: db.database,
              user: db.user,
              password: randomBytes(18).toString('base64url'),
            });
            state.databases.set(id, [...(state.databases.get(id) ?? []), db]);
            return db;
          },
        });
      const checkPhp = (v: unknown) => {
        const o = v as { version?: unknown; mode?: unknown; ini?: Record<string, unknown> };
        if (!o || typeof o !== 'object' || typeof o.version !== 'string' || !/^\d\.\d$/.test(o.version))
          throw errors.validation('version: must be like 8.2');
        if (!['cgi', 'fpm', 'lsapi'].includes(String(o.mode)))
          throw errors.validation('mode: must be cgi, fpm or lsapi');
        for (const [k, val] of Object.entries(o.ini ?? {}))
          if (!PHP_INI.test(k) || !/^[A-Za-z0-9.]{1,20}$/.test(String(val)))
            throw errors.validation(`ini.${k.slice(0, 40)}: not an allowed setting or value`);
      };
      ctx.extensions.provide(accountSettingsSections, 'php', {
        export: async (a) => state.php.get(a.id) ?? { version: '8.2', mode: 'fpm', ini: {} },
        validate: async (v) => checkPhp(v),
        import: async (a, v) => {
          checkPhp(v);
          state.php.set(a.id, v);
        },
      });
    },
  });
  return { plugins: [accounts], state };
}
