import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { managedServices, Type, type ManagedEndpoint, type PluginContext, type Static } from '../../sdk/index.js';
import type { IniCaps } from './ini-caps.js';

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

/** Resolved settings; paths may still hold `{version}` (see {@link forVersion}). */
export interface PhpSettings {
  mode: 'local' | 'linux';
  scanDirs: string[];
  extraDirs: string[];
  defaultVersion: string;
  fpmBinary: string;
  fpmConfig: string;
  fpmPrefix: string;
  poolDir: string;
  pidFile: string;
  reloadCommand: string[];
  reloadWaitMs: number;
  socketDir: string;
  webUser: string;
  webGroup: string;
  minUid: number;
  maxChildren: Record<'free' | 'pro' | 'business', number>;
  /** Ceilings on the php.ini values accounts of each plan may set. */
  iniCaps: Record<'free' | 'pro' | 'business', IniCaps>;
  idleTimeoutSecs: number;
  maxRequests: number;
  templatesDir: string;
  /**
   * The panel's own php-fpm master (local mode, `local-services`): only its version has a
   * master, pools run as the panel's user, and a pool change first waits until it answers
   * (a 503 naming what to install when it cannot run). Null: the configured masters.
   */
  managed: { binary: string; usable: () => Promise<void> } | null;
}

/** A settings path with `{version}` filled in. */
export function forVersion(template: string, version: string): string {
  return template.split('{version}').join(version);
}

function entries(file: string): string[][] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.split(':'));
  } catch {
    return [];
  }
}

function hasEntry(file: string, name: string): boolean {
  return entries(file).some((e) => e[0] === name);
}

/** The panel's own user and group names: the pool sockets' owner when the panel runs php-fpm itself. */
function panelUser(): { user: string; group: string } {
  const me = os.userInfo();
  return { user: me.username, group: entries('/etc/group').find((e) => e[2] === String(me.gid))?.[0] ?? me.username };
}

/** Defaults by mode: Debian's per-version layout in linux mode, the data dir otherwise. */
export function phpSettings(ctx: PluginContext<PhpConfig>): PhpSettings {
  const registry = ctx.services.find(managedServices);
  const at = registry?.endpoint('php-fpm');
  const system = systemSettings(ctx);
  if (!registry || !at) return system;
  // its binary is scanned too, wherever `php_fpm_binary` put it, so its version is known
  const extraDirs = at.binary ? [...system.extraDirs, path.dirname(at.binary)] : system.extraDirs;
  return {
    ...system,
    ...managedPaths(at),
    extraDirs,
    managed: { binary: at.binary ?? '', usable: () => registry.whenUsable('php-fpm') },
  };
}

/** Where the panel's own master reads pools from, and who owns their sockets (the panel's user, like nginx's workers). */
function managedPaths(at: ManagedEndpoint): Partial<PhpSettings> {
  const me = panelUser();
  return {
    fpmBinary: '',
    fpmConfig: at.conf ?? '',
    fpmPrefix: '',
    poolDir: at.poolDir ?? '',
    pidFile: at.pidFile ?? '',
    reloadCommand: [],
    socketDir: at.socketDir ?? '',
    webUser: me.user,
    webGroup: me.group,
  };
}

function systemSettings(ctx: PluginContext<PhpConfig>): PhpSettings {
  const c = ctx.config;
  const linux = ctx.settings.mode === 'linux';
  const local = (...p: string[]) => path.join(ctx.settings.dataDir, 'php', ...p);
  const webUser = c.web_user || (hasEntry('/etc/passwd', 'www-data') ? 'www-data' : 'nobody');
  return {
    managed: null,
    mode: ctx.settings.mode,
    scanDirs: ['/usr/bin', '/usr/sbin', '/usr/local/bin'],
    extraDirs: c.extra_paths,
    defaultVersion: c.default_version,
    fpmBinary: c.fpm_binary,
    fpmConfig: c.fpm_config || (linux ? '/etc/php/{version}/fpm/php-fpm.conf' : ''),
    fpmPrefix: c.fpm_prefix,
    poolDir: c.pool_dir || (linux ? '/etc/php/{version}/fpm/pool.d' : local('{version}', 'pool.d')),
    pidFile: c.pid_file || (linux ? '/run/php/php{version}-fpm.pid' : ''),
    reloadCommand: c.reload_command,
    reloadWaitMs: c.reload_wait_ms,
    socketDir: c.socket_dir || (linux ? '/run/php' : local('sock')),
    webUser,
    webGroup: c.web_group || (hasEntry('/etc/group', webUser) ? webUser : 'nogroup'),
    minUid: c.min_uid,
    maxChildren: { free: c.free_max_children, pro: c.pro_max_children, business: c.business_max_children },
    iniCaps: {
      free: {
        memoryMb: c.free_memory_limit_mb,
        executionSecs: c.free_max_execution_time,
        uploadMb: c.free_upload_max_mb,
      },
      pro: { memoryMb: c.pro_memory_limit_mb, executionSecs: c.pro_max_execution_time, uploadMb: c.pro_upload_max_mb },
      business: {
        memoryMb: c.business_memory_limit_mb,
        executionSecs: c.business_max_execution_time,
        uploadMb: c.business_upload_max_mb,
      },
    },
    idleTimeoutSecs: c.process_idle_timeout_secs,
    maxRequests: c.max_requests,
    templatesDir: ctx.settings.templatesDir,
  };
}
