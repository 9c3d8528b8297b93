import { errors, Type, type BackupTargetFactory } from 'velopanel/sdk/index.js';
import { MountedDiskTarget, type MountedDiskSettings } from './target.js';

/** The settings a target of this kind takes (closed: unknown fields are refused by the panel). */
export const MountedDiskSchema = Type.Object({
  mount_point: Type.String({
    minLength: 2,
    maxLength: 1024,
    pattern: '^/[^\\x00-\\x1f\\x7f]*[^/]$',
    'x-error': 'must be the absolute path of a mounted disk',
  }),
  directory: Type.String({
    default: 'velopanel-backups',
    pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$',
    'x-error': 'must be one directory name: letters, digits, . _ -',
  }),
  keep: Type.Integer({
    default: 7,
    minimum: 0,
    maximum: 1000,
    'x-error': 'must be 0 (keep all) to 1000 archives per account',
  }),
  min_free_mb: Type.Integer({ default: 1024, minimum: 0, maximum: 10_000_000, 'x-error': 'must be a number of MB' }),
});

/**
 * The `mounted-disk` kind. Only disks the administrator listed (`[plugins.backup-mount] mounts`)
 * can be targets, so a reseller configuring a target cannot point it at any other directory.
 */
export function mountedDiskFactory(allowedMounts: readonly string[]): BackupTargetFactory<MountedDiskSettings> {
  return {
    kind: 'mounted-disk',
    name: 'Directory on a mounted disk (with rotation)',
    configSchema: MountedDiskSchema,
    secretFields: [],
    create(s) {
      if (!allowedMounts.includes(s.config.mount_point))
        throw errors.validation(
          `mount_point: must be one of the disks the administrator listed in [plugins.backup-mount] mounts (${allowedMounts.join(', ') || 'none yet'})`,
        );
      return new MountedDiskTarget(s.id, s.scope, s.config);
    },
  };
}
