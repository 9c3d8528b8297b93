import type { PlanStore } from './plan-store.js';
import {
  accountRef,
  type AccountDirectory,
  type AccountInfo,
  type AccountPlanLimits,
  type Knex,
  type OwnedResource,
  type PluginDatabase,
} from '../../sdk/index.js';

/** An account row as stored. */
export interface AccountRow {
  id: number;
  username: string;
  primary_domain: string;
  email: string;
  plan: AccountInfo['plan'];
  status: 'creating' | 'active' | 'suspended' | 'deleting';
  /** While a delete can still be undone: the status to go back to (null once past its point of no return). */
  pre_delete_status: 'active' | 'suspended' | null;
  home_dir: string;
  uid: number | null;
  gid: number | null;
  disk_quota_mb: number;
  bandwidth_quota_mb: number;
  disk_used_mb: number;
  reseller_id: number | null;
  user_id: number | null;
  created_at: string;
  updated_at: string;
  /** Random, never reused (see {@link AccountInfo.identity}); set by migration 003 for older rows. */
  identity: string;
}

/** `2026-02-28 15:44:05` in UTC, the contract's timestamp format. */
export function now(): string {
  return new Date().toISOString().replace('T', ' ').slice(0, 19);
}

/** The account as the API answers it (the contract's fields plus `home_dir`). */
export function toApi(r: AccountRow) {
  return {
    id: r.id,
    username: r.username,
    primary_domain: r.primary_domain,
    email: r.email,
    plan: r.plan,
    status: r.status,
    disk_quota_mb: r.disk_quota_mb,
    bandwidth_quota_mb: r.bandwidth_quota_mb,
    disk_used_mb: r.disk_used_mb,
    created_at: r.created_at,
    updated_at: r.updated_at,
    home_dir: r.home_dir,
  };
}

/** The account as other plugins see it (with its plan's limits when known). */
export function toInfo(r: AccountRow, limits?: Map<string, AccountPlanLimits>): AccountInfo {
  const planLimits = limits?.get(r.plan);
  return {
    id: r.id,
    username: r.username,
    primary_domain: r.primary_domain,
    email: r.email,
    plan: r.plan,
    status: r.status === 'suspended' || r.status === 'deleting' ? 'suspended' : 'active',
    home_dir: r.home_dir,
    uid: r.uid,
    gid: r.gid,
    disk_quota_mb: r.disk_quota_mb,
    bandwidth_quota_mb: r.bandwidth_quota_mb,
    reseller_id: r.reseller_id,
    created_at: r.created_at,
    identity: r.identity,
    ...(r.status === 'deleting' ? { deleting: true } : {}),
    ...(planLimits ? { plan_limits: planLimits } : {}),
  };
}

/** Table access of the accounts plugin. Rows still being created are invisible outside it. */
export class AccountStore {
  readonly table: string;

  constructor(private readonly db: PluginDatabase) {
    this.table = db.table('accounts');
  }

  q(trx?: Knex.Transaction) {
    return (trx ?? this.db.knex)<AccountRow>(this.table);
  }

  async row(id: number, opts: { includeCreating?: boolean } = {}): Promise<AccountRow | null> {
    const r = await this.q().where({ id }).first();
    return r && (opts.includeCreating || r.status !== 'creating') ? r : null;
  }

  /** Visible rows (not `creating`) narrowed by `filter`, unordered: the base of lists and pages. */
  scoped(filter: { resellerId?: number; id?: number } = {}) {
    const q = this.q().whereNot({ status: 'creating' });
    if (filter.resellerId !== undefined) q.where({ reseller_id: filter.resellerId });
    if (filter.id !== undefined) q.where({ id: filter.id });
    return q;
  }

  async list(filter: { resellerId?: number; id?: number } = {}): Promise<AccountRow[]> {
    return this.scoped(filter).orderBy('id');
  }

  async update(id: number, fields: Partial<AccountRow>): Promise<void> {
    await this.q()
      .where({ id })
      .update({ ...fields, updated_at: now() });
  }

  async count(): Promise<number> {
    const r = await this.q().whereNot({ status: 'creating' }).count({ n: '*' }).first();
    return Number(r?.n ?? 0);
  }

  /** The {@link AccountDirectory} service backed by this store. */
  directory(plans: PlanStore): AccountDirectory {
    return {
      // Includes an account being created: the domains plugin adds its primary domain then.
      get: async (id) => {
        const r = await this.row(id, { includeCreating: true });
        return r ? toInfo(r, await plans.accountLimits(r.plan)) : null;
      },
      byUsername: async (username) => {
        const r = await this.q().where({ username }).whereNot({ status: 'creating' }).first();
        return r ? toInfo(r, await plans.accountLimits(r.plan)) : null;
      },
      list: async (filter) => {
        const limits = await plans.accountLimits();
        return (await this.list(filter ?? {})).map((r) => toInfo(r, limits));
      },
      idsQuery: (filter) => this.scoped(filter ?? {}).select('id'),
      owner: async (id): Promise<OwnedResource | null> => {
        if (!Number.isSafeInteger(id)) return null;
        const r = await this.row(id);
        return r ? { ref: accountRef(r.id), resellerId: r.reseller_id } : null;
      },
    };
  }
}
