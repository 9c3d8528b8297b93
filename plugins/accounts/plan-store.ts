import { errors, type AccountPlanLimits, type Knex, type PluginDatabase, type Principal } from '../../sdk/index.js';
import type { AccountSettings, PlanLimits } from './config.js';
import { now } from './store.js';

/** A plan row as stored (`accounts_plans`); null limits are unlimited. */
export interface PlanRow {
  id: number;
  name: string;
  /** The reseller who made it (their plan, for their accounts only); null: an admin plan for everyone. */
  reseller_id: number | null;
  disk_quota_mb: number;
  bandwidth_quota_mb: number;
  inodes: number | null;
  max_domains: number | null;
  max_databases: number | null;
  cpu_percent: number | null;
  memory_mb: number | null;
  max_processes: number | null;
  /** Comma-separated PHP modes the plan's accounts may use; null: every mode. */
  php_modes: string | null;
  created_at: string;
  updated_at: string;
}

/** The limits a plan sets, as fields (what POST/PATCH take and every plan answer carries). */
export const LIMIT_FIELDS = [
  'disk_quota_mb',
  'bandwidth_quota_mb',
  'inodes',
  'max_domains',
  'max_databases',
  'cpu_percent',
  'memory_mb',
  'max_processes',
] as const;
export type LimitField = (typeof LIMIT_FIELDS)[number];

/** The plan as the API answers it. */
export function planToApi(r: PlanRow, accounts?: number) {
  return {
    id: r.id,
    name: r.name,
    reseller_id: r.reseller_id,
    ...(Object.fromEntries(LIMIT_FIELDS.map((f) => [f, r[f]])) as Record<LimitField, number | null>),
    php_modes: r.php_modes === null ? null : r.php_modes.split(',').filter(Boolean),
    ...(accounts === undefined ? {} : { accounts }),
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

/** `free, pro or business` */
const spoken = (names: string[]) =>
  names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;

/** Plans table access: who may see and use which plan, and the seed of the three default plans. */
export class PlanStore {
  readonly table: string;

  constructor(
    private readonly db: PluginDatabase,
    private readonly accountsTable: string,
  ) {
    this.table = db.table('plans');
  }

  q(trx?: Knex.Transaction) {
    return (trx ?? this.db.knex)<PlanRow>(this.table);
  }

  /** Insert `free`, `pro` and `business` from the `<plan>_*` settings when missing (first start after the migration). */
  async seed(settings: AccountSettings): Promise<void> {
    for (const name of ['free', 'pro', 'business'] as const) {
      if (await this.q().where({ name }).first()) continue;
      const l = settings.limits[name];
      const stamp = now();
      await this.q()
        .insert({
          name,
          reseller_id: null,
          ...settings.quotas[name],
          inodes: l.inodes,
          cpu_percent: l.cpu_percent,
          memory_mb: l.memory_mb,
          max_processes: l.max_processes,
          max_domains: null,
          max_databases: null,
          php_modes: null,
          created_at: stamp,
          updated_at: stamp,
        })
        .onConflict('name')
        .ignore();
    }
  }

  /** Plans an account of this reseller (null: admin-owned) may be on: the admin's plans and the reseller's own. */
  usableBy(resellerId: number | null) {
    return this.q().where((w) => {
      w.whereNull('reseller_id');
      if (resellerId !== null) w.orWhere({ reseller_id: resellerId });
    });
  }

  /** The plan `name` for an account of this reseller, or 400 `plan: must be <the usable names>`. */
  async usable(name: string, resellerId: number | null): Promise<PlanRow> {
    const row = await this.usableBy(resellerId).where({ name }).first();
    if (row) return row;
    const names = (await this.usableBy(resellerId).orderBy('id').select('name')).map((r) => r.name as string);
    throw errors.validation(
      names.length ? `plan: must be ${spoken(names)}` : 'plan: no plan exists; create one first (POST /api/plans)',
    );
  }

  /**
   * 409 unless plan `name` still exists, read in `trx`: account create and plan change call it
   * under the `account-limit` lock a plan's delete takes, so no account lands on a deleted plan.
   */
  async assertStillThere(name: string, trx: Knex.Transaction): Promise<void> {
    if (!(await this.q(trx).where({ name }).first()))
      throw errors.conflict(`Plan ${name} was deleted meanwhile; choose another plan`);
  }

  /** Plans a caller sees: all (admin), the admin's and their own (reseller), their account's (user). */
  visibleTo(p: Principal | null, boundPlan: string | null) {
    if (p?.role === 'admin') return this.q();
    if (p?.role === 'reseller') return this.usableBy(p.userId);
    return this.q().where({ name: boundPlan ?? '' });
  }

  async get(id: number): Promise<PlanRow | null> {
    return (await this.q().where({ id }).first()) ?? null;
  }

  async byName(name: string): Promise<PlanRow | null> {
    return (await this.q().where({ name }).first()) ?? null;
  }

  /** What the kernel enforces for an account of this plan; a plan that is gone limits nothing (the stored disk quota stays). */
  async limits(name: string): Promise<Omit<PlanLimits, 'disk_quota_mb'>> {
    const r = await this.byName(name);
    return {
      inodes: r?.inodes ?? null,
      cpu_percent: r?.cpu_percent ?? null,
      memory_mb: r?.memory_mb ?? null,
      max_processes: r?.max_processes ?? null,
    };
  }

  /** What other plugins enforce for accounts of each plan (by name), of one plan when named. */
  async accountLimits(name?: string): Promise<Map<string, AccountPlanLimits>> {
    const q = this.q().select('name', 'max_domains', 'max_databases', 'php_modes');
    const rows = await (name === undefined ? q : q.where({ name }));
    return new Map(
      rows.map((r) => [
        r.name,
        {
          max_domains: r.max_domains,
          max_databases: r.max_databases,
          php_modes: r.php_modes?.split(',').filter(Boolean) ?? null,
        },
      ]),
    );
  }

  /** How many accounts are on each plan, narrowed to one reseller's accounts or one account when given. */
  async usage(filter: { resellerId?: number; id?: number } = {}): Promise<Map<string, number>> {
    const q = this.db.knex(this.accountsTable).select('plan').count({ n: '*' }).groupBy('plan');
    if (filter.resellerId !== undefined) q.where({ reseller_id: filter.resellerId });
    if (filter.id !== undefined) q.where({ id: filter.id });
    return new Map(((await q) as { plan: string; n: number | string }[]).map((r) => [r.plan, Number(r.n)]));
  }
}
