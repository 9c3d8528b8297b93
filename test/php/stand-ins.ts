// Stand-ins for the accounts and domains plugins in php unit tests: an account directory over a
// fixed list, and a domain directory whose engine capabilities the test chooses and whose
// regenerate() runs the vhost contributors (as the real one does) and records the specs.
import {
  accountDirectory,
  accountRef,
  definePlugin,
  domainDirectory,
  vhostContributors,
  type AccountInfo,
  type DomainDirectory,
  type EngineCapabilities,
  type HookBus,
  type PluginDefinition,
  type VhostSpec,
} from '../../sdk/index.js';

export function standInAccount(id: number, patch: Partial<AccountInfo> = {}): AccountInfo {
  return {
    id,
    username: `acct${id}`,
    primary_domain: `acct${id}.test`,
    email: `a${id}@example.com`,
    plan: 'free',
    status: 'active',
    home_dir: `/home/acct${id}`,
    uid: null,
    gid: null,
    disk_quota_mb: 500,
    bandwidth_quota_mb: 10_000,
    reseller_id: null,
    created_at: '2026-01-01 00:00:00',
    ...patch,
  };
}

/**
 * `accounts` stand-in over a fixed list (the test's account 1 is the `user` login's account);
 * `onStart` receives the hook bus so a test can fire account events.
 */
export function accountsStandIn(accounts: AccountInfo[], onStart?: (hooks: HookBus) => void): PluginDefinition {
  return definePlugin({
    manifest: { id: 'accounts', version: '1.0.0', sdk: '^1.0.0', provides: ['accounts.directory'] },
    start(ctx) {
      onStart?.(ctx.hooks);
      const find = (id: number) => accounts.find((a) => a.id === id) ?? null;
      ctx.services.provide(accountDirectory, {
        get: async (id) => find(id),
        byUsername: async (u) => accounts.find((a) => a.username === u) ?? null,
        list: async () => accounts,
        owner: async (id) => {
          const a = find(id);
          return a ? { ref: accountRef(a.id), resellerId: a.reseller_id } : null;
        },
      });
    },
  });
}

export interface DomainsStandIn {
  plugin: PluginDefinition;
  /** Specs rendered by the last regenerate() per account. */
  specs: Map<number, VhostSpec>;
  regenerations: number[];
}

/** `domains` stand-in rendering one vhost per account with the given engine capabilities. */
export function domainsStandIn(
  engine: { id: string; capabilities: EngineCapabilities },
  accounts: AccountInfo[],
): DomainsStandIn {
  const specs = new Map<number, VhostSpec>();
  const regenerations: number[] = [];
  const plugin = definePlugin({
    manifest: { id: 'domains', version: '1.0.0', sdk: '^1.0.0', provides: ['domains.directory'] },
    start(ctx) {
      const spec = async (a: AccountInfo): Promise<VhostSpec> => {
        const s: VhostSpec = {
          domain: a.primary_domain,
          aliases: [],
          documentRoot: `${a.home_dir}/public_html`,
          accountId: a.id,
          accountUsername: a.username,
          homeDir: a.home_dir,
          suspended: a.status === 'suspended',
        };
        for (const c of ctx.extensions.entries(vhostContributors).filter((e) => e.available))
          await c.value.contribute(s);
        return s;
      };
      const directory: Partial<DomainDirectory> = {
        engine: () => engine,
        regenerate: async (accountId?: number) => {
          for (const a of accounts.filter((x) => accountId === undefined || x.id === accountId)) {
            specs.set(a.id, await spec(a));
            regenerations.push(a.id);
          }
          return { changed: 1, unchanged: 0 };
        },
      };
      ctx.services.provide(domainDirectory, directory as DomainDirectory);
    },
  });
  return { plugin, specs, regenerations };
}

export const NGINX_CAPS: EngineCapabilities = {
  perHostPhp: true,
  phpModes: ['fpm', 'lsapi'],
  tls: true,
  acmeWhileSuspended: true,
};
export const VELOSERVE_CAPS: EngineCapabilities = {
  perHostPhp: false,
  phpModes: ['cgi', 'lsapi'],
  tls: true,
  acmeWhileSuspended: false,
};
