import { backupTargets, definePlugin, lazyBackupTarget, type BackupTargetFactory } from '../../sdk/index.js';
import { S3TargetSchema, type S3TargetConfig } from './config.js';

/** Backup target kind `s3`: Amazon S3 or any S3-compatible service (Pro and Business). */
export const s3TargetFactory: BackupTargetFactory<S3TargetConfig> = {
  kind: 's3',
  name: 'Amazon S3 or S3-compatible storage',
  configSchema: S3TargetSchema,
  secretFields: ['secret_access_key'],
  // The AWS SDK takes longer to load than the rest of the panel: load it on first use.
  create: (s) =>
    lazyBackupTarget(s, 's3', async () => new (await import('./target.js')).S3Target(s.id, s.scope, s.config)),
};

export default definePlugin({
  manifest: {
    id: 'backup-s3',
    name: 'Backups to S3',
    version: '1.0.0',
    sdk: '^1.0.0',
    tier: 'pro',
    provides: ['backup-targets'],
    description: 'Stores backups in an S3 bucket (multipart streaming uploads)',
  },
  start(ctx) {
    ctx.extensions.provide(backupTargets, 's3', s3TargetFactory, { tier: 'pro' });
  },
});
