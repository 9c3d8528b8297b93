import {
  accountCgroups,
  accountDirectory,
  accountHomes,
  accountOperations,
  accountProvisioner,
  definePlugin,
  loginSubjects,
  resellerCapsMigration,
  resellerCaps,
  resellerCapTable,
  resourceLimits,
  usageCounters,
  type AccountReconciliation,
} from '../../sdk/index.js';
import { createAccountHomes } from './account-homes.js';
import { createAccountCgroups } from './account-cgroups.js';
import { accountSettings, AccountsConfig } from './config.js';
import type { AccountDeps } from './create.js';
import { detectEnforcement, enforcementStatus, reconcileLimits, usageFromQuota } from './limits.js';
import { limitHooks } from './limit-hooks.js';
import { panelLogins } from './logins.js';
import { measureDiskUsage } from './maintenance.js';
import { migrations } from './migrations.js';
import { PlanStore } from './plan-store.js';
import {
  operationClaimsMigration,
  operationRunningMigration,
  operationStopMigration,
  sharedClaims,
} from './operation-claims.js';
import { sharedImportSlot } from './import-claims.js';
import { ImportSlot } from './import-slot.js';
import { createAccountOperations } from './operations.js';
import { createAccountProvisioner } from './provisioner.js';
import { interruptedAtStart, reconcileAccounts } from './reconcile.js';
import { accountRoutes } from './routes.js';
import { AccountStore } from './store.js';
import { provideSuspension } from './suspension.js';
import { linuxUsers, localUsers } from './system-users.js';

/**
 * Hosting accounts: a system user (linux mode) with a home, a primary domain and a vhost that
 * serves, created and removed as one unit; suspend/unsuspend; licence limits; disk usage.
 */
export default definePlugin<AccountsConfig>({
  manifest: {
    id: 'accounts',
    name: 'Accounts',
    version: '1.0.0',
    sdk: '^1.0.0',
    provides: [
      'usage-counters',
      'resource-limits',
      'reseller-caps',
      'login-subjects',
      'accounts.directory',
      'accounts.provisioner',
      'accounts.operations',
      'accounts.suspension',
      'accounts.homes',
      'accounts.cgroups',
    ],
    licence: {
      limits: {
        max_accounts: {
          counter: 'accounts',
          tiers: { community: 5, pro: 50, business: null },
          communitySetting: 'max_accounts_free',
        },
      },
    },
    description: 'Hosting accounts: system users, homes, suspension and deletion',
  },
  configSchema: AccountsConfig,
  // Reseller caps on accounts: this plugin's table, the values the kernel kept before moved in.
  migrations: [
    ...migrations,
    resellerCapsMigration('006_reseller_caps', 'max_accounts'),
    operationClaimsMigration,
    operationRunningMigration,
    operationStopMigration,
  ],
  async start(ctx) {
    const settings = accountSettings(ctx);
    const store = new AccountStore(ctx.db);
    const plans = new PlanStore(ctx.db, store.table);
    await plans.seed(settings);
    const ttl = ctx.config.operation_claim_ttl_ms;
    // A delete waits for another node's backup it cancelled at most twice the claim TTL: a node that
    // died or lost the store lets its claim lapse within one.
    const operations = createAccountOperations(sharedClaims(ctx, ttl), {
      cancel: (jobId, reason) => ctx.jobs.cancel(jobId, reason),
      waitMs: ctx.config.operation_wait_ms,
      deleteWaitMs: Math.max(30_000, 2 * ttl),
    });
    const deps: AccountDeps = {
      ctx,
      store,
      settings,
      users: settings.mode === 'linux' ? linuxUsers(ctx.exec, settings.shell) : localUsers,
      logins: panelLogins(ctx, ctx.logger),
      limits: await detectEnforcement(ctx.exec, settings, ctx.logger),
      plans,
    };
    const interrupted = await interruptedAtStart(deps);
    let report: AccountReconciliation | null = null;
    ctx.onReady(async () => {
      try {
        const r = await reconcileAccounts(deps, interrupted);
        await reconcileLimits(deps.limits, plans, store, r);
        report = r;
        if (report.notes.length)
          ctx.logger.warn(`accounts reconciled with the system: ${report.notes.join('; ')}`, { ...report });
        else if (report.failed.length)
          ctx.logger.error('account reconciliation: repairs failed', { failed: report.failed });
      } catch (e) {
        ctx.logger.error('account reconciliation failed', { error: e });
      }
    });
    ctx.services.provide(accountDirectory, {
      ...store.directory(plans),
      reconciliation: () => report,
      homeBase: settings.homeBase,
    });
    ctx.services.provide(accountProvisioner, createAccountProvisioner(deps));
    ctx.services.provide(accountOperations, operations);
    provideSuspension(deps);
    ctx.services.provide(accountHomes, createAccountHomes(deps));
    ctx.services.provide(accountCgroups, createAccountCgroups(deps));
    ctx.extensions.provide(usageCounters, 'accounts', { count: () => store.count() });
    ctx.extensions.provide(resellerCaps, 'max_accounts', resellerCapTable(ctx.db));
    // Each account has a panel login (`account:<id>`): the kernel's messages about logins say "accounts".
    ctx.extensions.provide(loginSubjects, 'account', { one: 'account', many: 'accounts' });
    ctx.extensions.provide(resourceLimits, 'accounts', { status: () => enforcementStatus(deps.limits) });
    limitHooks(deps);
    // The import slot lapses after the same TTL as the operation claims when its node died.
    const imports = new ImportSlot(sharedImportSlot(ctx, ttl), (jobId, reason) =>
      ctx.jobs
        .cancel(jobId, reason)
        .catch((e: Error) => ctx.logger.warn('account import: cancel failed', { error: e })),
    );
    for (const r of accountRoutes(deps, operations, imports)) ctx.route(r);
    ctx.scheduler.schedule({
      name: 'disk-usage',
      when: ctx.config.disk_usage_every,
      run: async () => {
        const unread = await usageFromQuota(deps.limits, store, await store.list());
        if (unread.length) await measureDiskUsage(deps, unread);
      },
    });
  },
});
