import { Type, type Static } from '../../sdk/index.js';

const ABS = '^(/[A-Za-z0-9._+@=,~-]+)+$';
// `{version}` is replaced by a major.minor version such as 8.2 (one php-fpm master per version).
const VPATH = '^(/([A-Za-z0-9._+@=,~-]|\\{version\\})+)+$';
const PathOrEmpty = (pattern: string, def: string) =>
  Type.String({
    default: def,
    pattern: `(${pattern})|^$`,
    'x-error': 'must be an absolute path ({version} allowed) or empty',
  });
const Children = (d: number) => Type.Integer({ default: d, minimum: 1, maximum: 1000 });
// 0: the plan sets no ceiling on that value.
const Cap = (d: number, max: number) => Type.Integer({ default: d, minimum: 0, maximum: max });
const NAME = { pattern: '^([a-z_][a-z0-9_-]{0,31})?$', 'x-error': 'must be a user or group name' };

/** `[plugins.php]`: where PHP binaries are looked for, and how FPM pools are written and loaded. */
export const PhpConfig = Type.Object({
  /** More directories to scan for php, php-cgi and php-fpm binaries (root-owned, not group/world-writable). */
  extra_paths: Type.Array(Type.String({ pattern: ABS, 'x-error': 'must be an absolute path' }), {
    default: [],
    maxItems: 32,
  }),
  /** Version used when an account has none of its own; empty: the system's `php-cgi`/`php`. */
  default_version: Type.String({
    default: '',
    pattern: '^([0-9]{1,2}\\.[0-9]{1,2})?$',
    'x-error': 'must be a version such as 8.2',
  }),
  /** php-fpm binary; empty: the detected `php-fpm<version>`. */
  fpm_binary: PathOrEmpty(VPATH, ''),
  /** Master configuration tested with `php-fpm -t -y`; empty: `/etc/php/{version}/fpm/php-fpm.conf` (linux mode). */
  fpm_config: PathOrEmpty(VPATH, ''),
  /** `-p` prefix of a private master (tests); empty: none. */
  fpm_prefix: PathOrEmpty(VPATH, ''),
  /** Directory the master includes pools from; empty: `/etc/php/{version}/fpm/pool.d` (linux) or the data dir. */
  pool_dir: PathOrEmpty(VPATH, ''),
  /** Master pid file (reload = USR2 to it); empty: `/run/php/php{version}-fpm.pid` (linux mode only). */
  pid_file: PathOrEmpty(VPATH, ''),
  /** argv of a reload command used instead of USR2 (e.g. systemctl reload php{version}-fpm). */
  reload_command: Type.Array(Type.String({ minLength: 1, pattern: '^[^\\x00-\\x1f]+$' }), {
    default: [],
    maxItems: 16,
  }),
  /** How long a reload may take before it counts as failed. */
  reload_wait_ms: Type.Integer({ default: 15_000, minimum: 100, maximum: 120_000 }),
  /** Directory of the pools' unix sockets; empty: `/run/php` (linux) or the data dir. */
  socket_dir: PathOrEmpty(ABS, ''),
  /** Owner and group of every pool socket (the web server's worker user); empty: www-data or nobody. */
  web_user: Type.String({ default: '', ...NAME }),
  web_group: Type.String({ default: '', ...NAME }),
  /** Pools never run below this uid (no root or system user, whatever a row or a backup says). */
  min_uid: Type.Integer({ default: 1000, minimum: 1, maximum: 2_000_000_000 }),
  /**
   * Linux mode: each FPM account gets its own php-fpm master (one pool), started inside the
   * account's control groups, so its workers are limited from birth; false: pools share the
   * version's master and workers reach the account's group at the next placement sweep.
   */
  account_masters: Type.Boolean({ default: false }),
  /** Where per-account masters keep their config, pid file and log; empty: `<data_dir>/php/masters`. */
  account_master_dir: PathOrEmpty(ABS, ''),
  /** How often a per-account master that stopped (the OOM killer in its group, a crash) is started again. */
  account_master_check_every: Type.String({
    default: 'every 1m',
    pattern: '^every [0-9]{1,6}(s|m|h)$',
    'x-error': "must be 'every <n>s|m|h'",
  }),
  free_max_children: Children(3),
  pro_max_children: Children(10),
  business_max_children: Children(25),
  /** Per plan, the most an account may set for memory_limit (MB), max_execution_time and max_input_time (s), and uploads (MB). */
  free_memory_limit_mb: Cap(256, 999_999),
  free_max_execution_time: Cap(120, 99_999),
  free_upload_max_mb: Cap(64, 999_999),
  pro_memory_limit_mb: Cap(512, 999_999),
  pro_max_execution_time: Cap(300, 99_999),
  pro_upload_max_mb: Cap(256, 999_999),
  business_memory_limit_mb: Cap(1024, 999_999),
  business_max_execution_time: Cap(600, 99_999),
  business_upload_max_mb: Cap(1024, 999_999),
  process_idle_timeout_secs: Type.Integer({ default: 10, minimum: 1, maximum: 3600 }),
  max_requests: Type.Integer({ default: 500, minimum: 0, maximum: 1_000_000 }),
});
export type PhpConfig = Static<typeof PhpConfig>;
