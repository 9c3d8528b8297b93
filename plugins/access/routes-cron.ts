import { errors, Type, type ApiRequest, type RouteDefinition, type Static } from '../../sdk/index.js';
import { parseCommand, parseEmail } from './crontab.js';
import { accountOwner, AccountParams } from './routes-keys.js';
import { describeSchedule, parseSchedule } from './schedule.js';
import type { AccessService } from './service.js';
import type { CronJobRow } from './store.js';

type AccountParams = Static<typeof AccountParams>;
const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647, 'x-error': 'must be a positive integer' });
const JobParams = Type.Object({ id: Id, job_id: Id });
type JobParams = Static<typeof JobParams>;
const Fields = {
  schedule: Type.String({
    minLength: 1,
    maxLength: 100,
    'x-error': 'must be five cron fields or a macro such as @daily',
  }),
  command: Type.String({ minLength: 1, maxLength: 1000, 'x-error': 'must be a command of at most 1000 characters' }),
  enabled: Type.Boolean({ 'x-error': 'must be true or false' }),
  email: Type.Union([Type.String({ maxLength: 254 }), Type.Null()], {
    'x-error': 'must be an email address, empty or null',
  }),
};
const CreateBody = Type.Object({
  schedule: Fields.schedule,
  command: Fields.command,
  enabled: Type.Optional(Fields.enabled),
  email: Type.Optional(Fields.email),
});
type CreateBody = Static<typeof CreateBody>;
const PatchBody = Type.Object(
  {
    schedule: Type.Optional(Fields.schedule),
    command: Type.Optional(Fields.command),
    enabled: Type.Optional(Fields.enabled),
    email: Type.Optional(Fields.email),
  },
  { minProperties: 1, 'x-error': 'must change at least one of schedule, command, enabled, email' },
);
type PatchBody = Static<typeof PatchBody>;

const view = (j: CronJobRow) => ({ ...j, description: describeSchedule(j.schedule) });

/** `/api/accounts/:id/cron`: the account's cron jobs, installed with `crontab -u` as a whole. */
export function cronRoutes(access: AccessService): RouteDefinition[] {
  const owner = accountOwner(access);
  /** Store a change, install the crontab; a failed install puts the rows back. */
  const change = async <R>(
    req: ApiRequest<{ id: number }>,
    work: () => Promise<{ result: R; undo: () => Promise<unknown> }>,
  ) => {
    const a = await access.account(req.params.id);
    access.requireLinux('Cron jobs');
    req.auditTarget = `account:${a.id}`;
    return access.exclusive(async () => {
      const { result, undo } = await work();
      try {
        await access.syncCron(a);
      } catch (e) {
        await undo();
        throw e;
      }
      return result;
    });
  };
  return [
    {
      method: 'GET',
      path: '/api/accounts/:id/cron',
      summary: 'Cron jobs of an account',
      schema: { params: AccountParams },
      access: { scope: 'cron:read', owner },
      handler: async (req: ApiRequest<AccountParams>) => {
        const a = await access.account(req.params.id);
        return {
          account_id: a.id,
          max_jobs: access.maxCronJobs(a),
          jobs: (await access.store.listCron(a.id)).map(view),
        };
      },
    },
    {
      method: 'POST',
      path: '/api/accounts/:id/cron',
      summary: 'Add a cron job (runs as the account)',
      status: 201,
      schema: { params: AccountParams, body: CreateBody },
      access: { scope: 'cron:write', owner },
      handler: async (req: ApiRequest<AccountParams, unknown, CreateBody>) => {
        const job = {
          schedule: parseSchedule(req.body.schedule),
          command: parseCommand(req.body.command),
          enabled: req.body.enabled ?? true,
          email: parseEmail(req.body.email),
        };
        const a = await access.account(req.params.id);
        return change(req, async () => {
          const row = await access.store.addCron({ account_id: a.id, ...job }, access.maxCronJobs(a));
          return { result: view(row), undo: () => access.store.removeCron(a.id, row.id) };
        });
      },
    },
    {
      method: 'PATCH',
      path: '/api/accounts/:id/cron/:job_id',
      summary: 'Change a cron job',
      schema: { params: JobParams, body: PatchBody },
      access: { scope: 'cron:write', owner },
      handler: async (req: ApiRequest<JobParams, unknown, PatchBody>) => {
        const b = req.body;
        const patch: Partial<CronJobRow> = {
          ...(b.schedule !== undefined ? { schedule: parseSchedule(b.schedule) } : {}),
          ...(b.command !== undefined ? { command: parseCommand(b.command) } : {}),
          ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
          ...(b.email !== undefined ? { email: parseEmail(b.email) } : {}),
        };
        return change(req, async () => {
          const old = await access.store.getCron(req.params.id, req.params.job_id);
          if (!old) throw errors.notFound(`Cron job ${req.params.job_id} not found on account ${req.params.id}`);
          const next = { ...old, ...patch };
          await access.store.putCron(next);
          return {
            result: view((await access.store.getCron(old.account_id, old.id))!),
            undo: () => access.store.putCron(old),
          };
        });
      },
    },
    {
      method: 'DELETE',
      path: '/api/accounts/:id/cron/:job_id',
      summary: 'Remove a cron job',
      schema: { params: JobParams },
      access: { scope: 'cron:write', owner },
      handler: async (req: ApiRequest<JobParams>) =>
        change(req, async () => {
          const old = await access.store.getCron(req.params.id, req.params.job_id);
          if (!old || !(await access.store.removeCron(old.account_id, old.id)))
            throw errors.notFound(`Cron job ${req.params.job_id} not found on account ${req.params.id}`);
          const { id: _id, ...rest } = old;
          return {
            result: { deleted: true, id: old.id },
            undo: () => access.store.addCron(rest, Number.MAX_SAFE_INTEGER),
          };
        }),
    },
  ];
}
