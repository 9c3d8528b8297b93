// A stand-in for the backups plugin's routes as the CLI uses them, for jobs that fail, run until
// cancelled or end partly on cue (backups-real.test.ts drives the real plugin): `?async=true`
// answers the job at once; the job reports progress in steps. Account 13 fails (14 on a plain Error), account 99 runs
// until cancelled; every other account succeeds.
import { setTimeout as sleep } from 'node:timers/promises';
import { definePlugin, errors, Type, type ApiRequest, type JobHandle } from '../../sdk/index.js';

const Params = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const RestoreParams = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  filename: Type.String({ pattern: '^[a-z0-9-]+\\.tar\\.gz$' }),
});
const Query = Type.Object({
  async: Type.Optional(Type.Boolean()),
  target: Type.Optional(Type.String({ pattern: '^[a-z0-9-]+$' })),
});

/** What account 14's backup fails with: a plain Error, whose text only admins read. */
export const ON_FIRE = "ENOSPC: no space left on device, write '/srv/secret-disk/acct14.tar.gz'";

async function steps(job: JobHandle, account: number): Promise<void> {
  for (let i = 0; i <= 5; i++) {
    job.progress(i * 20, `step ${i} of 5`);
    await sleep(40);
  }
  for (let i = 0; account === 99 && !job.signal.aborted && i < 500; i++) await sleep(20);
  if (account === 13) throw errors.unavailable('Backup target is full');
  if (account === 14) throw new Error(ON_FIRE);
}

export const backupStandIn = definePlugin({
  manifest: { id: 'backup-stand-in', version: '1.0.0', sdk: '^1.0.0' },
  start(ctx) {
    const made = new Map<number, { filename: string; size: number; created_at: string; target: string }[]>();
    const run = async (req: ApiRequest, kind: string, work: (job: JobHandle) => Promise<unknown>) => {
      const id = req.params.id as number;
      const job = await ctx.jobs.start(
        { kind, target: `account:${id}`, ownerUserId: req.principal!.userId, serialKey: `account:${id}` },
        work,
      );
      return req.query.async ? job : (await ctx.jobs.wait(job.id)).result;
    };
    ctx.route({
      method: 'GET',
      path: '/api/backups/accounts/:id',
      schema: { params: Params },
      access: {},
      handler: (req) => made.get(req.params.id) ?? [],
    });
    ctx.route({
      method: 'POST',
      path: '/api/backups/accounts/:id',
      schema: { params: Params, query: Query },
      access: {},
      handler: (req) =>
        run(req, 'backups.create', async (job) => {
          await steps(job, req.params.id);
          const entry = {
            filename: `acct${req.params.id}-20260228-120000.tar.gz`,
            size: 3 * 1024 * 1024,
            created_at: '2026-02-28 12:00:00',
            target: req.query.target ?? 'local',
          };
          made.set(req.params.id, [...(made.get(req.params.id) ?? []), entry]);
          return entry;
        }),
    });
    ctx.route({
      method: 'POST',
      path: '/api/backups/accounts/:id/restore/:filename',
      schema: { params: RestoreParams, query: Query },
      access: {},
      handler: (req) =>
        run(req, 'backups.restore', async (job) => {
          await steps(job, req.params.id);
          return {
            status: 'partial',
            items: [
              { item: 'files', status: 'restored', error: null },
              { item: 'database wp', status: 'failed', error: 'dump checksum mismatch' },
            ],
          };
        }),
    });
  },
});
