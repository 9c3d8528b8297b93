import { backupTargets, definePlugin, errors, lazyBackupTarget, type BackupTargetFactory } from '../../sdk/index.js';
import { SftpTargetSchema, type SftpTargetConfig } from './config.js';

/** Backup target kind `sftp`: a directory on an SSH server, key or password login (Pro and Business). */
export const sftpTargetFactory: BackupTargetFactory<SftpTargetConfig> = {
  kind: 'sftp',
  name: 'SFTP server',
  configSchema: SftpTargetSchema,
  secretFields: ['password', 'private_key', 'passphrase'],
  create(s) {
    if (!s.config.password && !s.config.private_key)
      throw errors.validation('password: a password or a private_key is required');
    return lazyBackupTarget(
      s,
      'sftp',
      async () => new (await import('./target.js')).SftpTarget(s.id, s.scope, s.config),
    );
  },
};

export default definePlugin({
  manifest: {
    id: 'backup-sftp',
    name: 'Backups to SFTP',
    version: '1.0.0',
    sdk: '^1.0.0',
    tier: 'pro',
    provides: ['backup-targets'],
    description: 'Stores backups in a directory on an SFTP server (pinned host key)',
  },
  start(ctx) {
    ctx.extensions.provide(backupTargets, 'sftp', sftpTargetFactory, { tier: 'pro' });
  },
});
