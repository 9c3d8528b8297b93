import { randomBytes } from 'node:crypto';
import {
  resellerCapTable,
  accountRef,
  errors,
  type AccountInfo,
  type PluginContext,
  type Principal,
} from '../../sdk/index.js';
import { domainsOf } from './account-domains.js';
import type { AccountSettings } from './config.js';
import { assertHomeFree, createHome, homeFor } from './home.js';
import { removeHome } from './home-removal.js';
import { withFreshId } from './ids.js';
import type { Enforcement } from './limits.js';
import { applyLimits } from './limits.js';
import type { PanelLogins } from './logins.js';
import type { PlanStore } from './plan-store.js';
import { now, toInfo, type AccountRow, type AccountStore } from './store.js';
import { groupId, type SystemUsers } from './system-users.js';
import { checkUsername, primaryDomain, type CreateAccountBody } from './validate.js';

/** What the account flows work with. */
export interface AccountDeps {
  ctx: PluginContext;
  store: AccountStore;
  settings: AccountSettings;
  users: SystemUsers;
  logins: PanelLogins;
  /** Disk quota and cgroups the kernel enforces (found at start). */
  limits: Enforcement;
  /** The plans accounts are on (their quotas and limits). */
  plans: PlanStore;
}

/** Reserve the account's licence slot and username: count and insert under one lock. */
async function reserve(d: AccountDeps, row: Omit<AccountRow, 'id'>): Promise<number> {
  // Read before the lock: the user directory has its own queries, which must not wait on this transaction.
  const cap = await resellerCapTable(d.ctx.db).of(row.reseller_id);
  return d.ctx.db.withLock('account-limit', async (trx) => {
    const limit = d.ctx.licence().limits.max_accounts ?? null;
    const n = Number((await d.store.q(trx).count({ n: '*' }).first())?.n ?? 0);
    if (limit !== null && n >= limit)
      throw errors.limitReached(`Account limit reached (${n}/${limit}). Upgrade your license for more.`);
    if (cap !== null) {
      const owned = Number(
        (await d.store.q(trx).where({ reseller_id: row.reseller_id }).count({ n: '*' }).first())?.n ?? 0,
      );
      if (owned >= cap) throw errors.limitReached(`Reseller account limit reached (${owned}/${cap}).`);
    }
    if (await d.store.q(trx).where({ username: row.username }).first())
      throw errors.conflict(`Account '${row.username}' already exists`);
    await d.plans.assertStillThere(row.plan, row.reseller_id, trx);
    const holder = await d.store.q(trx).where({ identity: row.identity }).first();
    if (holder) throw errors.conflict(`Account identity ${row.identity} is held by account ${holder.id}`);
    const [inserted] = await d.store.q(trx).insert(row as AccountRow, ['id']);
    return typeof inserted === 'object' ? (inserted as { id: number }).id : Number(inserted);
  });
}

/** How a create makes its vhost live; a bulk import shares one sync among all its accounts. */
export interface CreateOptions {
  identity?: string;
  /** Applies the new account's vhost (default: its own regenerate, one reload per account). */
  vhost?: (accountId: number) => Promise<unknown>;
  /** Once aborted (an import cancelled), the create stops before its next step and undoes those before. */
  signal?: AbortSignal;
}

/**
 * Create an account: reserve → system user → home skeleton → password → primary domain row →
 * vhost (tested, swapped, reloaded) → panel login → active. Every step is atomic on its own, and a
 * failure undoes the steps before it in reverse order, so nothing is left half-made.
 */
export async function createAccount(
  d: AccountDeps,
  body: CreateAccountBody,
  principal: Principal | null,
  opts: CreateOptions = {},
): Promise<AccountRow> {
  const { identity } = opts;
  const { ctx, store, settings } = d;
  checkUsername(body.username);
  const domain = primaryDomain(body.domain);
  const domains = domainsOf(ctx);
  const asAdmin = principal?.role === 'admin';
  if (body.allow_cross_account && !asAdmin)
    throw errors.forbidden("allow_cross_account: only an admin may place a name under another account's domain");
  const allowCrossAccount = body.allow_cross_account;
  if (domains.checkNewName) await domains.checkNewName(domain, { asAdmin, allowCrossAccount });
  else if (await domains.byName(domain)) throw errors.conflict(`Domain ${domain} already exists on this server`);
  if (await store.q().where({ username: body.username }).first())
    throw errors.conflict(`Account '${body.username}' already exists`);
  const resellerId = principal?.role === 'reseller' ? principal.userId : null;
  const plan = await d.plans.usable(body.plan, resellerId);
  const home = homeFor(settings.homeBase, body.username);
  assertHomeFree(home);
  const stamp = now();
  const row: Omit<AccountRow, 'id'> = {
    username: body.username,
    primary_domain: domain,
    email: body.email,
    plan: body.plan,
    status: 'creating',
    pre_delete_status: null,
    home_dir: home,
    uid: null,
    gid: null,
    disk_quota_mb: plan.disk_quota_mb,
    bandwidth_quota_mb: plan.bandwidth_quota_mb,
    disk_used_mb: 0,
    reseller_id: resellerId,
    user_id: null,
    created_at: stamp,
    updated_at: stamp,
    identity: identity ?? randomBytes(16).toString('hex'),
  };
  await ctx.hooks.runBefore('account.create', { account: toInfo({ ...row, id: 0 }) as AccountInfo });

  const undo: { step: string; fn: () => unknown }[] = [];
  const step = async <T>(name: string, run: () => Promise<T> | T, revert?: (result: T) => unknown): Promise<T> => {
    // Between steps is where a create can stop: each step is whole, and the undo list is exact.
    if (opts.signal?.aborted) throw errors.conflict(`Cancelled before step '${name}'; the steps before it were undone`);
    const result = await run();
    if (revert) undo.push({ step: name, fn: () => revert(result) });
    if (settings.failAt === name) throw errors.internal(`Injected failure after step '${name}'`);
    return result;
  };
  let id = 0;
  let loginHash: Promise<string | null> = Promise.resolve(null);
  // Creates arriving together reach their vhost step some ms apart: announced, they share one reload.
  let requested = () => {};
  try {
    id = await step(
      'reserve',
      () => reserve(d, row),
      (reserved) => store.q().where({ id: reserved }).delete(),
    );
    if (!opts.vhost) requested = domains.expectChange?.() ?? requested;
    // The login's hash (the one CPU-heavy step) is made off the main thread while the steps below
    // and the vhost reload run, instead of after them; a failed create just drops it.
    loginHash = d.logins.hash(body.password);
    loginHash.catch(() => undefined);
    const makeUser = () =>
      settings.mode === 'linux'
        ? withFreshId(ctx.db, store.table, (sysId) => d.users.create(body.username, home, sysId))
        : d.users.create(body.username, home, null);
    const sys = await step('user', makeUser, () => d.users.remove(body.username));
    await store.update(id, { uid: sys.uid, gid: sys.gid });
    const webGid = sys.uid === null ? null : groupId(settings.webGroup);
    await step(
      'dirs',
      async () => {
        if (sys.uid !== null && d.limits.disk.makeHome) await d.limits.disk.makeHome(home);
        await createHome(
          home,
          domain,
          { ...sys, webGid },
          settings.templatesDir,
          Boolean(sys.uid !== null && d.limits.disk.makeHome),
        );
      },
      () => removeHome(ctx.exec, settings.homeBase, home, sys),
    );
    await step(
      'limits',
      async () => applyLimits(d.limits, d.plans, (await store.row(id, { includeCreating: true }))!),
      () => d.limits.cgroups.remove(body.username),
    );
    await step('password', () => d.users.setPassword(body.username, body.password));
    await step(
      'row',
      () =>
        domains.create(
          { account_id: id, domain_name: domain, domain_type: 'primary', allow_cross_account: allowCrossAccount },
          { apply: false, asAdmin },
        ),
      () => domains.removeForAccount(id),
    );
    await step('vhost', () => {
      const live = opts.vhost ? opts.vhost(id) : domains.regenerate(id);
      requested();
      return live;
    });
    const login = {
      username: body.username,
      password: body.password,
      passwordHash: await loginHash,
      subject: accountRef(id),
      resellerId: row.reseller_id,
    };
    const userId = await step(
      'login',
      () => d.logins.create(login),
      (userId) => d.logins.remove(userId),
    );
    await step('activate', () => store.update(id, { status: 'active', user_id: userId }));
  } catch (e) {
    requested();
    for (const u of undo.reverse()) {
      try {
        await u.fn();
      } catch (err) {
        ctx.logger.error('account creation: undo failed', { step: u.step, username: body.username, error: err });
      }
    }
    await ctx.hooks.runAfter('account.create_failed', { account: toInfo({ ...row, id }) });
    throw e;
  }
  const created = (await store.row(id))!;
  await ctx.hooks.runAfter('account.created', { account: toInfo(created, await d.plans.accountLimits(created)) });
  return created;
}
