import { Type, type Static } from '../../sdk/index.js';

/**
 * `[plugins.backups]`. Remote targets may be declared here as `[[plugins.backups.targets]]`
 * tables (`id`, `type`, optional `scope`/`owner_id`, then the type's own settings); their
 * secrets come from `<field>_file` (a 0600 file) or `<field>_env`, never from the file itself.
 */
export const BackupsConfigSchema = Type.Object({
  dir: Type.String({
    default: '',
    maxLength: 1024,
    'x-error': 'must be the absolute backup directory (empty: <data_dir>/backups)',
  }),
  default_target: Type.String({ default: 'local', pattern: '^[a-z0-9][a-z0-9_-]{0,39}$' }),
  compression_level: Type.Integer({ default: 6, minimum: 1, maximum: 9, 'x-error': 'must be a gzip level 1–9' }),
  compression_threads: Type.Integer({
    default: 0,
    minimum: 0,
    maximum: 64,
    'x-error': 'must be 0 (one per core) to 64',
  }),
  verify_after_create: Type.Boolean({ default: true }),
  max_database_dump_mb: Type.Integer({ default: 51200, minimum: 1, 'x-error': 'must be a positive number of MB' }),
  signing_key_file: Type.String({
    default: '',
    maxLength: 1024,
    'x-error': 'must be the absolute path of the manifest signing key (empty: <data_dir>/backups-secrets/manifest.key)',
  }),
  /** A restored archive may expand to this many times its own size (compression bombs stop there)… */
  max_archive_ratio: Type.Integer({ default: 200, minimum: 1, 'x-error': 'must be a positive whole ratio' }),
  /** …but always to this many MB, however small it is. */
  archive_ratio_floor_mb: Type.Integer({ default: 64, minimum: 0, 'x-error': 'must be a number of MB' }),
  targets: Type.Array(Type.Record(Type.String(), Type.Unknown()), { default: [], maxItems: 100 }),
});

/** Validated `[plugins.backups]` section. */
export type BackupsConfig = Static<typeof BackupsConfigSchema>;
