import {
  accountRef,
  errors,
  resultFor,
  Type,
  type ApiRequest,
  type PluginContext,
  type RouteDefinition,
} from '../../../sdk/index.js';
import { mayReach } from '../archives.js';
import type { BackupsConfig } from '../config.js';
import { BACKUP_FILE_PATTERN, requireBackupOf } from '../names.js';
import type { BackupService } from '../service.js';

const AccountId = Type.Integer({ minimum: 1, maximum: 2147483647, 'x-error': 'must be an account id' });
const TargetId = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,39}$', 'x-error': 'must be a backup target id' });
const FileName = Type.String({
  maxLength: 64,
  pattern: BACKUP_FILE_PATTERN,
  'x-error': 'must be a backup file name <username>-YYYYMMDD-HHMMSS.tar.gz',
});
const IdParams = Type.Object({ id: AccountId });
const FileParams = Type.Object({ id: AccountId, filename: FileName });
const JobQuery = Type.Object({
  async: Type.Optional(Type.Boolean({ 'x-error': 'must be true or false' })),
  target: Type.Optional(TargetId),
});
const TargetQuery = Type.Object({ target: Type.Optional(TargetId) });
const RestoreQuery = Type.Object({
  ...JobQuery.properties,
  allow_unsigned: Type.Optional(Type.Boolean({ 'x-error': 'must be true or false' })),
  allow_other_account: Type.Optional(Type.Boolean({ 'x-error': 'must be true or false' })),
});

const ASYNC =
  ' By default the answer is the finished result; with `?async=true` it is the job at once (follow it at /api/jobs/:id).';

/** The contract's backup endpoints for one account: list, create, restore, delete. */
export function accountBackupRoutes(ctx: PluginContext<BackupsConfig>, service: BackupService): RouteDefinition[] {
  const owner = (req: ApiRequest) => service.accounts.owner(req);
  const base = async (req: ApiRequest) => {
    const found = await service.accounts.find(req.params.id);
    req.auditTarget = accountRef(req.params.id);
    return { ...found, scope: found.live ?? { id: req.params.id, reseller_id: found.known.reseller_id } };
  };
  const safeHeader = (s: string) => s.replace(/[^\x20-\x7e]/g, ' ').slice(0, 2000);
  return [
    {
      method: 'GET',
      path: '/api/backups/accounts/:id',
      summary: 'List backups of an account on every target it may use (or `?target=`)',
      schema: { params: IdParams, query: TargetQuery },
      access: { scope: 'backups:read', owner },
      handler: async (req) => {
        const { known, scope } = await base(req);
        if (req.query.target) await service.target(req.query.target, scope, req.principal);
        const recs = req.query.target
          ? [await service.targets.record(req.query.target)]
          : await service.usableTargets(scope, req.principal);
        const { backups, errors: problems } = await service.list(known, recs, req.principal);
        if (problems.length) req.setHeader('X-Backup-Target-Errors', safeHeader(problems.join('; ')));
        return backups;
      },
    },
    {
      method: 'POST',
      path: '/api/backups/accounts/:id',
      summary: `Create a full backup (home, every database, settings) on \`target\` (default: the configured default).${ASYNC}`,
      schema: { params: IdParams, query: JobQuery, body: Type.Object({ target: Type.Optional(TargetId) }) },
      access: { scope: 'backups:write', owner },
      handler: async (req) => {
        const { live } = await base(req);
        if (!live) throw errors.notFound(`Account ${req.params.id} not found`);
        const targetId = req.body.target ?? req.query.target ?? ctx.config.default_target;
        const target = await service.target(targetId, live, req.principal);
        const { job, finished } = await service.startBackup(live, targetId, target, req.principal!.userId);
        return req.query.async ? job : { ...(await finished), job_id: job.id };
      },
    },
    {
      method: 'POST',
      path: '/api/backups/accounts/:id/restore/:filename',
      summary: `Restore a backup (verified first; per-item report). Recreates a deleted account.${ASYNC}`,
      schema: { params: FileParams, query: RestoreQuery },
      access: { scope: 'backups:write', owner },
      handler: async (req) => {
        const { live, known, scope } = await base(req);
        const p = req.principal!;
        requireBackupOf(req.params.filename, known.username);
        if (!live && p.role === 'user')
          throw errors.forbidden('Only an administrator or the owning reseller may restore a deleted account');
        for (const flag of ['allow_unsigned', 'allow_other_account'] as const)
          if (req.query[flag] && p.role !== 'admin')
            throw errors.forbidden(
              `${flag}: only an administrator may restore an archive this panel did not sign or another account made`,
            );
        if (req.query.target) await service.target(req.query.target, scope, p);
        const recs = req.query.target
          ? [await service.targets.record(req.query.target)]
          : await service.usableTargets(scope, p);
        const found = await service.locate(req.params.filename, recs, known, p, req.query.allow_other_account);
        const { job, finished } = await service.startRestore({
          accountId: req.params.id,
          known,
          live,
          filename: req.params.filename,
          targetId: found.id,
          target: found.target,
          principal: p,
          allowUnsigned: req.query.allow_unsigned,
          allowOtherAccount: req.query.allow_other_account,
        });
        // The report's lines keep the server's words for admins only, as the job does.
        return req.query.async ? job : { ...resultFor(p, await finished), job_id: job.id };
      },
    },
    {
      method: 'DELETE',
      path: '/api/backups/accounts/:id/:filename',
      summary: 'Delete a backup file (from `?target=`, or from every target holding it)',
      schema: { params: FileParams, query: TargetQuery },
      access: { scope: 'backups:write', owner },
      handler: async (req) => {
        const { known, scope } = await base(req);
        requireBackupOf(req.params.filename, known.username);
        if (req.query.target) await service.target(req.query.target, scope, req.principal);
        const recs = req.query.target
          ? [await service.targets.record(req.query.target)]
          : await service.usableTargets(scope, req.principal);
        const deleted: string[] = [];
        for (const rec of recs) {
          const target = await service.targets
            .resolve(rec.id)
            .catch((e) => (req.query.target ? Promise.reject(e) : null));
          // Only a file this account made (or, for an admin, one nobody is known to have made) goes.
          if (!target || !mayReach(await service.records.owner(rec.id, req.params.filename), known, req.principal))
            continue;
          if (await target.delete(req.params.filename)) deleted.push(rec.id);
          await service.records.forget(rec.id, req.params.filename);
        }
        if (deleted.length === 0) throw errors.notFound(`Backup ${req.params.filename} not found`);
        return { filename: req.params.filename, deleted_from: deleted };
      },
    },
  ];
}
