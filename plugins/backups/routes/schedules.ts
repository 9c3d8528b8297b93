import {
  accountDirectory,
  errors,
  listParams,
  listQuerySchema,
  pageOf,
  Type,
  type ApiRequest,
  type ListSpec,
  type PluginContext,
  type Principal,
  type RouteDefinition,
} from '../../../sdk/index.js';
import type { BackupsConfig } from '../config.js';
import { scheduleFromRow, type BackupSchedules } from '../schedules.js';
import type { ScheduleRow } from '../ui/schedule-row.js';
import type { BackupService } from '../service.js';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, 'x-error': 'must be a schedule id' }) });
const CreateBody = Type.Object({
  account_id: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
      'x-error': 'must be an account id, or null for every account',
    }),
  ),
  frequency: Type.Union([Type.Literal('daily'), Type.Literal('weekly')], { 'x-error': 'must be daily or weekly' }),
  weekday: Type.Optional(Type.Integer({ minimum: 0, maximum: 6, 'x-error': 'must be 0 (Sunday) to 6' })),
  time: Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', 'x-error': 'must be HH:MM (UTC)' }),
  target: Type.Optional(
    Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,39}$', 'x-error': 'must be a backup target id' }),
  ),
  keep_count: Type.Integer({ default: 7, minimum: 0, maximum: 10000, 'x-error': 'must be 0 (no limit) to 10000' }),
  keep_days: Type.Integer({ default: 30, minimum: 0, maximum: 36500, 'x-error': 'must be 0 (no limit) to 36500' }),
  enabled: Type.Boolean({ default: true }),
});

/** What `GET /api/backups/schedules` sorts and searches by. */
const SCHEDULE_LIST: ListSpec = {
  sort: ['id', 'account_id', 'frequency', 'time', 'target', 'created_at', 'last_run_at', 'last_status'],
  search: ['target', 'frequency', 'last_status'],
  order: { column: 'id' },
};
/** What `GET /api/backups/schedules/:id/runs` sorts and searches by; newest first, 100 a page. */
const RUN_LIST: ListSpec = {
  sort: ['id', 'account_id', 'state', 'started_at', 'finished_at'],
  search: ['state', 'filename', 'error'],
  order: { column: 'id', desc: true },
};

/**
 * Backup schedules: per account (its owner may manage it) or server-wide (admin), daily or
 * weekly at a UTC time, to a target, with retention by count and age. Every run and its outcome
 * is listed under the schedule.
 */
export function scheduleRoutes(
  ctx: PluginContext<BackupsConfig>,
  service: BackupService,
  schedules: BackupSchedules,
): RouteDefinition[] {
  const table = ctx.db.table('schedules');
  const mayManage = async (p: Principal, accountId: number | null): Promise<boolean> => {
    if (p.role === 'admin') return true;
    if (accountId === null) return false;
    const own = await ctx.services.get(accountDirectory).owner(accountId);
    return (
      !!own && ((p.role === 'reseller' && own.resellerId === p.userId) || (p.role === 'user' && p.subject === own.ref))
    );
  };
  /** The schedules `mayManage` allows, as SQL (so a page and its total hold only those). */
  const manageable = async (p: Principal) => {
    const q = ctx.db.knex(table);
    if (p.role === 'admin') return { q };
    if (p.role === 'reseller') {
      // Checked again per account, as `mayManage` does through `owner`: a directory may answer more than asked.
      const own = (await ctx.services.get(accountDirectory).list({ resellerId: p.userId })).filter(
        (a) => a.reseller_id === p.userId,
      );
      return {
        q: q.whereIn(
          'account_id',
          own.map((a) => a.id),
        ),
      };
    }
    const bound = /^account:(\d+)$/.exec(p.subject ?? '');
    return { q: q.where({ account_id: bound ? Number(bound[1]) : 0 }) };
  };
  const load = async (req: ApiRequest): Promise<ScheduleRow> => {
    const row = await ctx.db.knex(table).where({ id: req.params.id }).first();
    if (!row || !(await mayManage(req.principal!, row.account_id === null ? null : Number(row.account_id))))
      throw errors.notFound(`Backup schedule ${req.params.id} not found`);
    req.auditTarget = `backup-schedule:${req.params.id}`;
    return scheduleFromRow(row);
  };
  return [
    {
      method: 'GET',
      path: '/api/backups/schedules',
      summary:
        'Backup schedules with their last run and error (optional limit, offset, sort, q: the answer then adds total)',
      access: { scope: 'backups:read' },
      schema: { query: listQuerySchema(SCHEDULE_LIST) },
      handler: async (req) => {
        const params = listParams(req.query);
        if (params)
          return (
            await pageOf<Record<string, unknown>>((await manageable(req.principal!)).q, SCHEDULE_LIST, params)
          ).map(scheduleFromRow);
        const out: ScheduleRow[] = [];
        for (const row of await ctx.db.knex(table).orderBy('id')) {
          const s = scheduleFromRow(row);
          if (await mayManage(req.principal!, s.account_id)) out.push(s);
        }
        return out;
      },
    },
    {
      method: 'POST',
      path: '/api/backups/schedules',
      summary: 'Add a daily or weekly backup schedule (UTC) for one account or every account',
      status: 201,
      schema: { body: CreateBody },
      access: { scope: 'backups:write' },
      handler: async (req) => {
        const b = req.body;
        const accountId = b.account_id ?? null;
        if (!(await mayManage(req.principal!, accountId)))
          throw accountId === null
            ? errors.forbidden('Only an administrator may schedule backups of every account')
            : errors.notFound(`Account ${accountId} not found`);
        if (b.frequency === 'weekly' && b.weekday === undefined)
          throw errors.validation('weekday: is required for a weekly schedule');
        if (b.frequency === 'daily' && b.weekday !== undefined)
          throw errors.validation('weekday: only for weekly schedules');
        const target = b.target ?? ctx.config.default_target;
        const rec = await service.targets.record(target);
        if (accountId === null ? rec.scope !== 'server' : !service.targets.visibleTo(rec, req.principal!))
          throw errors.forbidden(`Backup target '${target}' may not be used for this schedule`);
        await service.targets.resolve(target);
        const row = {
          account_id: accountId,
          frequency: b.frequency,
          weekday: b.weekday ?? null,
          time: b.time,
          target,
          keep_count: b.keep_count,
          keep_days: b.keep_days,
          enabled: b.enabled,
          created_by: req.principal!.userId,
          created_at: new Date().toISOString(),
          last_run_at: null,
          last_status: null,
          last_error: null,
        };
        const [id] = await ctx.db.knex(table).insert(row).returning('id');
        const s = scheduleFromRow({ ...row, id: typeof id === 'object' ? (id as { id: number }).id : id });
        if (s.enabled) schedules.arm(s);
        req.auditTarget = `backup-schedule:${s.id}`;
        return s;
      },
    },
    {
      method: 'DELETE',
      path: '/api/backups/schedules/:id',
      summary: 'Delete a backup schedule (its backups stay)',
      schema: { params: IdParams },
      access: { scope: 'backups:write' },
      handler: async (req) => {
        const s = await load(req);
        schedules.disarm(s.id);
        await ctx.db.knex(table).where({ id: s.id }).delete();
        return { id: s.id, deleted: true };
      },
    },
    {
      method: 'POST',
      path: '/api/backups/schedules/:id/run',
      summary: "Run a schedule now and answer each account's outcome",
      schema: { params: IdParams },
      access: { scope: 'backups:write' },
      handler: async (req) => ({ schedule: (await load(req)).id, runs: await schedules.run(req.params.id) }),
    },
    {
      method: 'GET',
      path: '/api/backups/schedules/:id/runs',
      summary: 'Recent runs of a schedule (job, state, file, error; optional limit, offset, sort, q)',
      schema: { params: IdParams, query: listQuerySchema(RUN_LIST) },
      access: { scope: 'backups:read' },
      handler: async (req) => {
        const s = await load(req);
        const params = listParams(req.query);
        if (params)
          return pageOf(ctx.db.knex(ctx.db.table('runs')).where({ schedule_id: s.id }), RUN_LIST, {
            ...params,
            limit: params.limit ?? 100,
          });
        return ctx.db.knex(ctx.db.table('runs')).where({ schedule_id: s.id }).orderBy('id', 'desc').limit(100);
      },
    },
  ];
}
