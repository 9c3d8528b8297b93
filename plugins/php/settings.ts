// What the php plugin works with once `[plugins.php]` is read: the paths and users of the
// configured php-fpm masters (Debian's layout in linux mode, the data dir otherwise), or of the
// panel's own master when local-services runs one.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { managedServices, type ManagedEndpoint, type PluginContext } from '../../sdk/index.js';
import type { PhpConfig } from './config.js';
import type { IniCaps } from './ini-caps.js';

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
  /** Per-account masters (linux mode, not with the panel's own master), and where they live. */
  accountMasters: boolean;
  accountMasterDir: string;
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
    accountMasters: false,
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
    accountMasters: linux && c.account_masters,
    accountMasterDir: c.account_master_dir || local('masters'),
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
