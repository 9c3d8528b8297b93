import {
  errors,
  listParams,
  listQuerySchema,
  pageOf,
  Type,
  type ApiRequest,
  type ListSpec,
  type Principal,
  type RouteDefinition,
} from '../../sdk/index.js';
import type { AccountDeps } from './create.js';
import { reapplyPlan } from './plan-apply.js';
import { planToApi, type PlanRow } from './plan-store.js';
import { checkCeiling, CreatePlanBody, PatchPlanBody, planFields } from './plan-validate.js';
import { boundAccountId } from './routes.js';
import { now } from './store.js';

/** What `GET /api/plans` sorts and searches by. */
export const PLAN_LIST: ListSpec = {
  sort: [
    'id',
    'name',
    'disk_quota_mb',
    'bandwidth_quota_mb',
    'max_domains',
    'max_databases',
    'created_at',
    'updated_at',
  ],
  search: ['name'],
  order: { column: 'id' },
};

const PlanParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647, 'x-error': 'must be a positive integer' }),
});
type Id = { id: number };
const write = { roles: ['admin', 'reseller'] as Principal['role'][], scope: 'plans:write' };

/**
 * `/api/plans`: admins see and manage every plan; a reseller sees the admin's plans and manages
 * their own (within the ceiling, see plan-validate.ts); a user sees their account's plan.
 */
export function planRoutes(d: AccountDeps): RouteDefinition[] {
  const { plans } = d;
  const boundPlan = async (p: Principal | null) => {
    const id = boundAccountId(p);
    return id === null ? null : ((await d.store.row(id))?.plan ?? null);
  };
  // Not async: a knex builder is thenable, so awaiting one would run it.
  const visible = (p: Principal | null, bound: string | null) => plans.visibleTo(p, bound);
  /** Accounts per plan the caller may count: all for admins, a reseller's own, a user's one. */
  const usage = (p: Principal | null) =>
    plans.usage(
      p?.role === 'admin' ? {} : p?.role === 'reseller' ? { resellerId: p.userId } : { id: boundAccountId(p) ?? 0 },
    );
  const seen = async (req: ApiRequest<Id>): Promise<PlanRow> => {
    const row = await visible(req.principal, await boundPlan(req.principal))
      .where({ id: req.params.id })
      .first();
    if (!row) throw errors.notFound(`Plan ${req.params.id} not found`);
    return row;
  };
  /** A plan the caller may change: any for admins, their own for resellers. */
  const owned = async (req: ApiRequest<Id>): Promise<PlanRow> => {
    const row = await seen(req);
    if (req.principal?.role === 'reseller' && row.reseller_id !== req.principal.userId)
      throw errors.forbidden(`Plan ${row.name} is the admin's; resellers change only their own plans`);
    req.auditTarget = `plan:${row.id}`;
    return row;
  };
  const withinCeiling = (p: Principal | null, row: PlanRow) =>
    p?.role === 'reseller' ? checkCeiling(d.ctx, plans, d.settings.resellerPlanCeiling, p.userId, row) : undefined;

  return [
    {
      method: 'GET',
      path: '/api/plans',
      summary: 'List plans (optional limit, offset, sort, q: the answer then adds total)',
      access: { scope: 'plans:read' },
      schema: { query: listQuerySchema(PLAN_LIST) },
      handler: async (req) => {
        const params = listParams(req.query);
        const counts = await usage(req.principal);
        const shown = (r: PlanRow) => planToApi(r, counts.get(r.name) ?? 0);
        const bound = await boundPlan(req.principal);
        if (params) return (await pageOf<PlanRow>(visible(req.principal, bound), PLAN_LIST, params)).map(shown);
        return ((await visible(req.principal, bound).orderBy('id')) as PlanRow[]).map(shown);
      },
    },
    {
      method: 'GET',
      path: '/api/plans/:id',
      summary: 'Get a plan',
      access: { scope: 'plans:read' },
      schema: { params: PlanParams },
      handler: async (req: ApiRequest<Id>) => {
        const row = await seen(req);
        return planToApi(row, (await usage(req.principal)).get(row.name) ?? 0);
      },
    },
    {
      method: 'POST',
      path: '/api/plans',
      summary: "Create a plan (admin: for everyone; reseller: for their accounts, within the ceiling plan's limits)",
      access: write,
      schema: { body: CreatePlanBody },
      handler: async (req: ApiRequest<unknown, unknown, CreatePlanBody>) => {
        const stamp = now();
        const row = {
          name: req.body.name,
          reseller_id: req.principal?.role === 'reseller' ? req.principal.userId : null,
          inodes: null,
          max_domains: null,
          max_databases: null,
          cpu_percent: null,
          memory_mb: null,
          max_processes: null,
          php_modes: null,
          ...planFields(req.body),
          created_at: stamp,
          updated_at: stamp,
        } as Omit<PlanRow, 'id'>;
        await withinCeiling(req.principal, { ...row, id: 0 });
        const id = await d.ctx.db.withLock('plans', async (trx) => {
          if (await plans.q(trx).where({ name: row.name }).first())
            throw errors.conflict(`Plan '${row.name}' already exists`);
          const [inserted] = await plans.q(trx).insert(row as PlanRow, ['id']);
          return typeof inserted === 'object' ? (inserted as { id: number }).id : Number(inserted);
        });
        req.auditTarget = `plan:${id}`;
        return planToApi((await plans.get(id))!, 0);
      },
    },
    {
      method: 'PATCH',
      path: '/api/plans/:id',
      summary: 'Change a plan; its accounts get the new quotas at once and their limits set again by a job (job_id)',
      access: write,
      schema: { params: PlanParams, body: PatchPlanBody },
      handler: async (req: ApiRequest<Id, unknown, PatchPlanBody>) => {
        const before = await owned(req);
        const fields = planFields(req.body);
        await withinCeiling(req.principal, { ...before, ...fields });
        await plans
          .q()
          .where({ id: before.id })
          .update({ ...fields, updated_at: now() });
        // The stored quotas are what the API shows and the file manager checks: they follow at once.
        const after = (await plans.get(before.id))!;
        if (after.disk_quota_mb !== before.disk_quota_mb || after.bandwidth_quota_mb !== before.bandwidth_quota_mb)
          await d.store.q().where({ plan: after.name }).update({
            disk_quota_mb: after.disk_quota_mb,
            bandwidth_quota_mb: after.bandwidth_quota_mb,
            updated_at: now(),
          });
        const job = await reapplyPlan(d, after, req.principal?.userId ?? null);
        return { ...planToApi(after, (await usage(req.principal)).get(after.name) ?? 0), job_id: job.id };
      },
    },
    {
      method: 'DELETE',
      path: '/api/plans/:id',
      summary: 'Delete a plan no account is on',
      access: write,
      schema: { params: PlanParams },
      handler: async (req: ApiRequest<Id>) => {
        const row = await owned(req);
        if (row.name === d.settings.resellerPlanCeiling)
          throw errors.conflict(
            `Plan ${row.name} bounds resellers' plans (reseller_plan_ceiling); it cannot be deleted`,
          );
        // The lock account creation reserves under: an account cannot land on a plan being deleted.
        await d.ctx.db.withLock('account-limit', async (trx) => {
          const n = Number((await d.store.q(trx).where({ plan: row.name }).count({ n: '*' }).first())?.n ?? 0);
          if (n > 0)
            throw errors.conflict(
              `Plan ${row.name} is used by ${n} account${n === 1 ? '' : 's'}; move ${n === 1 ? 'it' : 'them'} to another plan first`,
            );
          await plans.q(trx).where({ id: row.id }).delete();
        });
        return { id: row.id, name: row.name, deleted: true };
      },
    },
  ];
}
