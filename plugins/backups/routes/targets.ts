import {
  backupTargets,
  errors,
  isPanelError,
  Type,
  type PluginContext,
  type RouteDefinition,
} from '../../../sdk/index.js';
import type { ArchiveRecords } from '../archives.js';
import type { BackupsConfig } from '../config.js';
import { deleteOlderThan } from '../retention.js';
import type { TargetRegistry, TargetView } from '../targets/registry.js';
import { storedSettings } from '../targets/stored-settings.js';

const TargetId = Type.String({
  pattern: '^[a-z0-9][a-z0-9_-]{0,39}$',
  'x-error': 'must be 1–40 lowercase letters, digits, - or _',
});
/** A target's id in a route's path. */
export const IdParams = Type.Object({ id: TargetId });
const CreateBody = Type.Object({
  id: TargetId,
  type: Type.String({
    pattern: '^[a-z0-9][a-z0-9_-]{0,63}$',
    'x-error': 'must be a backup target type (local, s3, sftp, …)',
  }),
  scope: Type.Optional(
    Type.Union([Type.Literal('server'), Type.Literal('reseller'), Type.Literal('account')], {
      'x-error': 'must be server, reseller or account',
    }),
  ),
  owner_id: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
      'x-error': 'must be the reseller user id or account id',
    }),
  ),
  config: Type.Record(Type.String(), Type.Unknown()),
});
const CleanupBody = Type.Object({
  retention_days: Type.Integer({
    default: 30,
    minimum: 1,
    maximum: 36500,
    'x-error': 'must be a whole number of days, 1–36500',
  }),
  target: Type.Optional(TargetId),
});

/** The admin's listing adds each target's last connection test (null: never tested). */
async function withLastTests(reg: TargetRegistry, views: TargetView[]) {
  const last = await reg.tests.all();
  return views.map((v) => ({ ...v, last_test: last.get(v.id) ?? null }));
}

/**
 * Backup targets: the contract's remote-target listing and cleanup, and the admin's create, list,
 * test and delete. Secrets are sealed on create and never returned.
 */
export function targetRoutes(
  ctx: PluginContext<BackupsConfig>,
  reg: TargetRegistry,
  records: ArchiveRecords,
): RouteDefinition[] {
  const admin = { roles: ['admin' as const] };
  return [
    {
      method: 'GET',
      path: '/api/backups/remote-targets',
      summary: 'List configured S3/SFTP (remote) backup targets the caller may use',
      access: { scope: 'backups:read' },
      handler: async (req) => {
        const recs = (await reg.records()).filter((r) => r.kind !== 'local' && reg.visibleTo(r, req.principal!));
        const views = await Promise.all(recs.map((r) => reg.view(r)));
        return req.principal!.role === 'admin' ? withLastTests(reg, views) : views.map(({ config: _c, ...v }) => v);
      },
    },
    {
      method: 'GET',
      path: '/api/backups/targets',
      summary: 'All backup targets (built-in, config file, API)',
      access: { ...admin, scope: 'backups:read' },
      handler: async () => withLastTests(reg, await Promise.all((await reg.records()).map((r) => reg.view(r)))),
    },
    {
      method: 'POST',
      path: '/api/backups/targets',
      summary: 'Add a backup target; secrets are stored encrypted and never returned',
      status: 201,
      schema: { body: CreateBody },
      access: { ...admin, scope: 'backups:write' },
      handler: async (req) => {
        const { id, type, config } = req.body;
        const scope = req.body.scope ?? 'server';
        const ownerId = req.body.owner_id ?? null;
        if ((scope === 'server') !== (ownerId === null))
          throw errors.validation('owner_id: required for reseller and account scopes, not allowed for server');
        if ((await reg.records()).some((r) => r.id === id))
          throw errors.conflict(`Backup target '${id}' already exists`);
        const known = ctx.extensions.entries(backupTargets).map((e) => e.entryId);
        if (!known.includes(type))
          throw errors.validation(`type: unknown backup target type '${type}' (known: ${known.join(', ')})`);
        const stored = storedSettings(ctx, reg, { id, kind: type, scope, ownerId }, config);
        await ctx.db.knex(reg.table).insert({
          id,
          kind: type,
          scope,
          owner_id: ownerId,
          ...stored,
          created_at: new Date().toISOString(),
        });
        req.auditTarget = `backup-target:${id}`;
        return reg.view(await reg.record(id));
      },
    },
    {
      method: 'POST',
      path: '/api/backups/targets/:id/test',
      summary: 'Test a target: reachable, authenticated, writable',
      schema: { params: IdParams },
      access: { ...admin, scope: 'backups:write' },
      handler: async (req) => {
        let result: { id: string; ok: boolean; error?: string };
        try {
          result = { id: req.params.id, ...(await (await reg.resolve(req.params.id)).test()) };
        } catch (e) {
          if (isPanelError(e) && e.status === 404) throw e;
          result = {
            id: req.params.id,
            ok: false,
            error: isPanelError(e) ? e.messageFor(req.principal) : 'the target could not be built',
          };
        }
        await reg.tests.record(req.params.id, result);
        return result;
      },
    },
    {
      method: 'DELETE',
      path: '/api/backups/targets/:id',
      summary: 'Remove a target added through the API (its backups stay where they are)',
      schema: { params: IdParams },
      access: { ...admin, scope: 'backups:write' },
      handler: async (req) => {
        const rec = await reg.record(req.params.id);
        if (rec.source !== 'api')
          throw errors.conflict(
            `Backup target '${rec.id}' is ${rec.source === 'builtin' ? 'built in' : 'defined in the config file'}; it cannot be removed here`,
          );
        const used = await ctx.db.knex(ctx.db.table('schedules')).where({ target: rec.id }).first();
        if (used)
          throw errors.conflict(`Backup target '${rec.id}' is used by schedule ${used.id}; delete the schedule first`);
        await ctx.db.knex(reg.table).where({ id: rec.id }).delete();
        await reg.tests.forget(rec.id);
        await reg.evict(rec.id);
        return { id: rec.id, deleted: true };
      },
    },
    {
      method: 'POST',
      path: '/api/backups/cleanup',
      summary: 'Remove backups older than `retention_days` (default 30) from every target, or `target`',
      schema: { body: CleanupBody },
      access: { ...admin, scope: 'backups:write' },
      handler: async (req) => {
        const recs = req.body.target ? [await reg.record(req.body.target)] : await reg.records();
        const deleted: { target: string; filename: string }[] = [];
        const failures: { target: string; error: string }[] = [];
        for (const rec of recs) {
          try {
            for (const filename of await deleteOlderThan(await reg.resolve(rec.id), req.body.retention_days)) {
              deleted.push({ target: rec.id, filename });
              await records.forget(rec.id, filename);
            }
          } catch (e) {
            if (req.body.target) throw e;
            failures.push({ target: rec.id, error: isPanelError(e) ? e.message : (e as Error).message });
          }
        }
        return { retention_days: req.body.retention_days, deleted: deleted.length, files: deleted, errors: failures };
      },
    },
  ];
}
