import { backupTargets, definePlugin, Type, type Static } from 'velopanel/sdk/index.js';
import { mountedDiskFactory } from './factory.js';
import { diskSpace, isMountedDisk } from './mounts.js';

const Config = Type.Object({
  /** Mount points backups may go to, e.g. ["/mnt/backup"]. */
  mounts: Type.Array(
    Type.String({ pattern: '^/[^\\x00-\\x1f\\x7f]*[^/]$', 'x-error': 'must be absolute paths of mount points' }),
    { default: [], maxItems: 20 },
  ),
});
type Config = Static<typeof Config>;

/**
 * Backups to a directory on a separately mounted disk, with per-account rotation — a backup target
 * kind for the `backups` plugin. Pro tier: locked on Community, and for resellers only once the
 * administrator has allowed it and the reseller has enabled it.
 */
export default definePlugin<Config>({
  manifest: {
    id: 'backup-mount',
    name: 'Backups to a mounted disk',
    version: '1.0.0',
    sdk: '^1.0.0',
    tier: 'pro',
    provides: ['backup-targets'],
    description:
      'Backup target: a directory on another mounted disk, refusing to write when the disk is not mounted, keeping the newest N archives per account',
  },
  configSchema: Config,
  start(ctx) {
    ctx.extensions.provide(backupTargets, 'mounted-disk', mountedDiskFactory(ctx.config.mounts), { tier: 'pro' });
    ctx.route({
      method: 'GET',
      path: '/api/backup-mount/disks',
      summary: 'The disks backup targets may use: mounted or not, free space',
      access: { roles: ['admin', 'reseller'], scope: 'backups:read' },
      handler: () =>
        Promise.all(
          ctx.config.mounts.map(async (mount_point) => ({
            mount_point,
            mounted: await isMountedDisk(mount_point),
            ...(await diskSpace(mount_point)),
          })),
        ),
    });
    // Rotation runs when an account gets a new archive, so a deleted account's archives stay: say where.
    ctx.hooks.after('account.deleted', ({ account }) => {
      ctx.logger.info('archives of a deleted account stay on the backup disks until removed by hand', {
        account: account.username,
        mounts: ctx.config.mounts,
      });
    });
  },
});
