import type { OwnedResource } from '../auth.js';
import type { Knex } from '../database.js';
import { createServiceRef } from '../services.js';

/** A hosting account as other plugins see it. */
export interface AccountInfo {
  id: number;
  username: string;
  primary_domain: string;
  email: string;
  /** The plan's name: `free`, `pro`, `business` or a plan made through `/api/plans`. */
  plan: string;
  /** An account being deleted reads as `suspended` (inert) and carries {@link AccountInfo.deleting}. */
  status: 'active' | 'suspended';
  /** True while a delete is under way or failed past its point of no return: it serves no vhost. */
  deleting?: boolean;
  /** Absolute home directory. */
  home_dir: string;
  /** System uid/gid in linux mode; null in local mode. */
  uid: number | null;
  gid: number | null;
  disk_quota_mb: number;
  bandwidth_quota_mb: number;
  /** Reseller owning the account (null for admin-owned). */
  reseller_id: number | null;
  created_at: string;
  /**
   * Random identity (32 hex digits) made when the account is created and never given to another
   * account: what belongs to an account (backup archives) is bound to it, so a new account of a
   * deleted one's username gets none of its things. Only a restore that brings the deleted account
   * back carries it over. Absent only from directories that predate it.
   */
  identity?: string;
  /**
   * What the account's plan allows beyond its quotas, for the plugins that enforce it (null:
   * unlimited / every mode). Absent from directories that predate plans: enforce nothing then.
   */
  plan_limits?: AccountPlanLimits;
}

/** Per-account limits a plan sets that other plugins enforce (domains, databases, PHP). */
export interface AccountPlanLimits {
  /** Domains of the account, its primary included. */
  max_domains: number | null;
  max_databases: number | null;
  /** PHP modes the account may use (`cgi`, `fpm`, `lsapi`). */
  php_modes: string[] | null;
  /**
   * Settings a plan may give that plugins otherwise take from their `<plan>_*` keys (the `free`
   * keys for a plan made through `/api/plans`, see {@link settingsPlan}). Null or absent: that key.
   * `shell`: `nologin`, `sftp-only` or `full`; `php_workers`: the FPM pool's `pm.max_children`.
   */
  shell?: string | null;
  max_cron_jobs?: number | null;
  max_dns_records?: number | null;
  php_workers?: number | null;
}

/** Read access to accounts, provided by the `accounts` plugin. */
export interface AccountDirectory {
  get(id: number): Promise<AccountInfo | null>;
  byUsername(username: string): Promise<AccountInfo | null>;
  list(filter?: { resellerId?: number }): Promise<AccountInfo[]>;
  /** Ownership descriptor for route access checks (`ref` = `account:<id>`), null when unknown. */
  owner(id: number): Promise<OwnedResource | null>;
  /**
   * The ids {@link AccountDirectory.list} would answer, as a SQL subquery on the panel's own
   * database, for `whereIn('account_id', …)`: a reseller's page of domains is then counted and cut
   * in one query instead of binding thousands of ids. Optional; callers fall back to `list`.
   */
  idsQuery?(filter?: { resellerId?: number }): Knex.QueryBuilder;
  /** What start-up reconciliation of system users and homes fixed or found (null before it ran). */
  reconciliation?(): AccountReconciliation | null;
  /**
   * The directory accounts' homes are made under (the accounts plugin's `home_base`), for plugins
   * that must keep clear of it or measure its disk. Absent from directories that predate it.
   */
  homeBase?: string;
}

/**
 * Report of the accounts plugin's start-up reconciliation (usernames per finding). It repairs
 * what is safe to repair and never removes anything the database does not know.
 */
export interface AccountReconciliation {
  /** Accounts whose creation was interrupted, removed with everything they had. */
  rolled_back: string[];
  /** Suspended accounts whose system user was unlocked, locked again (and the reverse). */
  locked: string[];
  unlocked: string[];
  /** Missing homes (or skeleton directories in them) made again; lost files are not restored. */
  recreated_homes: string[];
  /** Missing system users made again (linux mode); they have no password until one is set. */
  recreated_users: string[];
  /** Deletes interrupted before their point of no return, put back to the status they had. */
  restored_deletes: string[];
  /** Deletes that failed past their point of no return (status `deleting`): a repeated DELETE finishes them. */
  unfinished_deletes: string[];
  /** What could not be repaired (see `failed`). */
  missing_users: string[];
  missing_homes: string[];
  /** Panel-made system users and homes under the home base the database does not know: reported, never removed. */
  orphan_users: string[];
  orphan_homes: string[];
  /** Repairs that failed, with the step and the system's message. */
  failed: { username: string; step: string; error: string }[];
  /** One sentence per finding a person should read (e.g. a password that could not be recovered). */
  notes: string[];
}

/** Service reference of the account directory. */
export const accountDirectory = createServiceRef<AccountDirectory>('accounts.directory');

/** The subject string bound to an account's own `user` login and its ownership ref. */
export function accountRef(id: number): string {
  return `account:${id}`;
}

/** Hook payloads of account events (declared here so every plugin agrees on them). */
export interface AccountEvent {
  account: AccountInfo;
  /**
   * Why, when a plugin suspended or re-activated the account through `accountSuspension` (e.g. a
   * bandwidth quota); absent for a request of a person.
   */
  reason?: string;
}

declare module '../hooks.js' {
  interface HookEvents {
    /** before: may veto a create; the account row does not exist yet (id is 0). */
    'account.create': AccountEvent;
    /** after: the account exists with its user, home and primary domain. */
    'account.created': AccountEvent;
    /**
     * after: a create failed past its `account.create` hooks and its steps were undone (the
     * account row is gone; id 0 when the failure came before it was made); plugins drop what
     * they made early for it (the php plugin's pool).
     */
    'account.create_failed': AccountEvent;
    /**
     * before: a delete is about to cascade; plugins remove what they own (databases, pools, certs).
     * The account's domain rows still exist here (its vhosts are already off the web server and
     * its login disabled); a veto puts the account back as it was. After the hooks the accounts
     * plugin removes domains, login, system user and home; a failure there leaves the account
     * `deleting` and a repeated delete runs these hooks again, so handlers must accept that.
     */
    'account.delete': AccountEvent;
    'account.deleted': AccountEvent;
    'account.suspended': AccountEvent;
    'account.unsuspended': AccountEvent;
    /**
     * after: the account moved to another plan, or its plan was edited, and its kernel limits were
     * set again; plugins re-apply what the plan sets for them (shell, FPM workers).
     */
    'account.plan_changed': AccountEvent;
  }
}

/** Input of {@link AccountProvisioner.create}: the `POST /api/accounts` body; `password` optional. */
export interface AccountCreateInput {
  username: string;
  domain: string;
  email: string;
  /** Login password; when absent the account's panel login stays unusable until it is reset. */
  password?: string;
  plan: AccountInfo['plan'];
  /** Reseller that will own the account (null: admin-owned). */
  reseller_id?: number | null;
  /**
   * Identity to carry over (a restore bringing back the deleted account it belonged to); absent:
   * a new random one. 409 when another account holds it.
   */
  identity?: string;
}

/**
 * Creates and removes accounts for other plugins (a restore recreating a deleted account),
 * provided by the `accounts` plugin. `create` runs exactly the path of `POST /api/accounts`:
 * the same validation (400 naming the field), the licence's account limit (403 with the contract's
 * message), hooks, system user, home and primary domain, all or nothing.
 *
 * @example
 * ```ts
 * const account = await ctx.services.get(accountProvisioner).create({ username, domain, email, plan });
 * ```
 */
export interface AccountProvisioner {
  create(input: AccountCreateInput): Promise<AccountInfo>;
  /** Delete like `DELETE /api/accounts/:id` (used to undo a create that could not be completed). */
  remove(id: number): Promise<void>;
}

/** Service reference of the account provisioner. */
export const accountProvisioner = createServiceRef<AccountProvisioner>('accounts.provisioner');

/** The three default plans, whose names other plugins' per-plan settings are keyed by (`free_shell`, …). */
export type DefaultPlan = 'free' | 'pro' | 'business';

/**
 * The default plan whose `<plan>_*` settings apply to an account: its own plan when that is one of
 * the three, else `free` (a plan made through `/api/plans` has no keys of its own in other
 * plugins' sections, and the most restrictive defaults are the safe ones).
 *
 * @example
 * ```ts
 * const max = cfg[`${settingsPlan(account.plan)}_max_cron_jobs`];
 * ```
 */
export function settingsPlan(plan: string): DefaultPlan {
  return plan === 'pro' || plan === 'business' ? plan : 'free';
}

/**
 * How the accounts plugin makes homes, for a plugin that builds a replacement home beside the
 * live one (a restore staging a tree to swap in). Where the disk quota lives on the home itself
 * (a btrfs subvolume with a qgroup limit), a plain directory renamed into place would carry no
 * limit: the replacement must be made here, and the limits set again once it is in place.
 *
 * @example
 * ```ts
 * const homes = ctx.services.find(accountHomes);
 * await homes?.makeHomeDir(account, staging); // then fill it, rename it over the home, and:
 * await homes?.applyLimits(account.id);
 * ```
 */
export interface AccountHomes {
  /** Create `dir` (mode 0700, owned by the panel) as a home of `account` would be made: a subvolume where homes are. */
  makeHomeDir(account: AccountInfo, dir: string): Promise<void>;
  /** Set the account's kernel limits (disk quota, cgroups) again on its home as it is now. */
  applyLimits(accountId: number): Promise<void>;
}

/** Service reference of {@link AccountHomes} (provided by the `accounts` plugin). */
export const accountHomes = createServiceRef<AccountHomes>('accounts.homes');

/**
 * The account's control groups (CPU, memory, processes), for a plugin that starts a long-lived
 * process on the account's behalf (a per-account php-fpm master): the process enters the groups
 * itself before it runs the program, so everything it forks is inside the limits from birth
 * rather than after the next placement sweep.
 *
 * @example
 * ```ts
 * const files = await ctx.services.find(accountCgroups)?.entry(account.id);
 * // sh -c 'for f; do echo $$ > "$f" || exit 97; done; exec php-fpm …' sh ...files
 * ```
 */
export interface AccountCgroups {
  /** How groups are made here (`cgroup-v1`, `cgroup-v2`) or `none` when no hierarchy is writable. */
  kind: string;
  /**
   * The `cgroup.procs` files (one per hierarchy) a process writes its own pid to in order to enter
   * the account's groups, made with the plan's limits when missing; empty when no group is
   * enforced here (`none`, or an account without a system user). 404 for an unknown account.
   */
  entry(accountId: number): Promise<string[]>;
  /**
   * The same files for a process that runs as the account itself (a cron job): on cgroup v1 the
   * account is given write access to its own group's `cgroup.procs`, which lets its processes
   * move themselves in, never out, and never another user's. Empty where that cannot be done
   * (cgroup v2 without delegation, `none`): such processes wait for the placement sweep.
   */
  selfEntry(accountId: number): Promise<string[]>;
  /**
   * The directories that hold every account's group, one per hierarchy: `<dir>/<username>/cgroup.procs`
   * is an account's entry, and the group exists only for an account the panel made it for. For
   * a root-run hook that places a process by user name (sshd's PAM session hook); [] under `none`.
   */
  parents(): string[];
}

/** Service reference of {@link AccountCgroups} (provided by the `accounts` plugin). */
export const accountCgroups = createServiceRef<AccountCgroups>('accounts.cgroups');
