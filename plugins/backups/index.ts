import fs from 'node:fs';
import path from 'node:path';
import { accountDirectory, backupTargets, definePlugin } from '../../sdk/index.js';
import { BackupAccounts } from './accounts.js';
import { BackupsConfigSchema, type BackupsConfig } from './config.js';
import { spoolRoot } from './dump-spool.js';
import { removeTree } from './home-swap.js';
import { recoverHomes } from './leftovers.js';
import { migrations } from './migrations.js';
import { accountBackupRoutes } from './routes/account-backups.js';
import { scheduleRoutes } from './routes/schedules.js';
import { targetEditRoutes } from './routes/target-edit.js';
import { targetRoutes } from './routes/targets.js';
import { BackupSchedules } from './schedules.js';
import { BackupService } from './service.js';
import { ManifestSigner } from './signing.js';
import { localTargetFactory } from './targets/local.js';
import { TargetRegistry } from './targets/registry.js';
import { backupsJournal, findUnfinishedArchives, settleArchives } from './unfinished-archives.js';

/**
 * Verified full-account backups: one streamed `.tar.gz` per backup (home, a dump of every
 * database, settings, and a manifest with the SHA-256 of every part) on any target of the
 * `backup-targets` extension point; restores that verify before changing anything and report per
 * item; schedules with retention.
 */
export default definePlugin<BackupsConfig>({
  manifest: {
    id: 'backups',
    name: 'Backups',
    version: '1.0.0',
    sdk: '^1.0.0',
    optionalDependencies: [
      'accounts',
      'domains',
      'databases',
      'mysql',
      'postgresql',
      'php',
      'backup-s3',
      'backup-sftp',
    ],
    provides: ['backup-targets'],
    consumes: [
      'accounts.directory?',
      'accounts.provisioner?',
      'accounts.operations?',
      'accounts.homes?',
      'domains.directory?',
      'databases.accounts?',
      'database-engines?',
    ],
    licence: { features: { 'backups.local': 'community', 'backups.remote': 'pro' } },
    description: 'Full-account backups to local disk, S3 and SFTP, verified restores, schedules',
  },
  configSchema: BackupsConfigSchema,
  migrations,
  async start(ctx) {
    if (ctx.config.dir && !path.isAbsolute(ctx.config.dir))
      throw new Error('plugins.backups.dir: must be an absolute path');
    if (ctx.config.signing_key_file && !path.isAbsolute(ctx.config.signing_key_file))
      throw new Error('plugins.backups.signing_key_file: must be an absolute path');
    const backupDir = ctx.config.dir || path.join(ctx.settings.dataDir, 'backups');
    ctx.extensions.provide(backupTargets, 'local', localTargetFactory);
    const homeBase = ctx.services.find(accountDirectory)?.homeBase;
    const forbidden = [...(homeBase ? [homeBase] : []), ctx.settings.templatesDir, ctx.settings.dataDir];
    const registry = new TargetRegistry(ctx, backupDir, forbidden);
    const signer = new ManifestSigner(
      ctx.config.signing_key_file || path.join(ctx.settings.dataDir, 'backups-secrets', 'manifest.key'),
    );
    signer.keyId(); // made (or checked) now: a key file others may read stops start-up, not the first backup
    const service = new BackupService(ctx, registry, new BackupAccounts(ctx), signer);
    const schedules = new BackupSchedules(ctx, service);
    for (const r of [
      ...accountBackupRoutes(ctx, service),
      ...targetRoutes(ctx, registry, service.records),
      ...targetEditRoutes(ctx, registry),
      ...scheduleRoutes(ctx, service, schedules),
    ])
      ctx.route(r);
    // Before the accounts plugin repairs homes (its reconciliation runs once all have started):
    // a home a killed restore left renamed aside is put back in place now (renames only). What a
    // killed backup left is listed now, before a new one can start, and removed once serving.
    const journal = backupsJournal(ctx);
    // Dumps a killed restore set aside were never loaded (their archive was not yet verified).
    await fs.promises.rm(spoolRoot(ctx), { recursive: true, force: true });
    const homes = await recoverHomes(ctx, journal).catch((e: Error) => ({
      notes: [`could not settle interrupted restores: ${e.message}`],
      remove: [],
      entries: [],
    }));
    const archives = await findUnfinishedArchives(journal, registry).catch(() => ({ parts: [], pending: [] }));
    const recovery: { state: 'pending' | 'done' | 'failed'; notes: string[] } = {
      state: 'pending',
      notes: homes.notes,
    };
    ctx.route({
      method: 'GET',
      path: '/api/backups/recovery',
      summary: 'What start-up settled of interrupted backups and restores',
      access: { roles: ['admin'], scope: 'backups:read' },
      handler: () => recovery,
    });
    ctx.onReady(async () => {
      try {
        for (const tree of homes.remove) await removeTree(ctx, tree.dir, tree);
        for (const entry of homes.entries) await journal.remove(entry);
        recovery.notes.push(...(await settleArchives(archives, journal, registry)));
        recovery.state = 'done';
      } catch (e) {
        recovery.state = 'failed';
        recovery.notes.push(`could not finish: ${(e as Error).message}`);
      }
      if (recovery.notes.length)
        ctx.logger.warn(`backups: work a restart interrupted is settled: ${recovery.notes.join('; ')}`, {
          ...recovery,
        });
    });
    await schedules.armAll();
    ctx.onStop(() => registry.closeAll());
  },
});
