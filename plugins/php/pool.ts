import { readFileSync } from 'node:fs';
import path from 'node:path';
import { errors, loadTemplate, settingsPlan, type AccountInfo } from '../../sdk/index.js';
import type { PhpSettings } from './settings.js';
import { iniPoolLines } from './ini.js';
import { clampIni, planCaps } from './ini-caps.js';

/** The marker every pool file the panel writes starts with (`;` is the php-fpm comment). */
export const POOL_MARKER = '; Managed by VeloPanel';

const USERNAME = /^[a-z_][a-z0-9_-]{0,31}$/;
const SAFE_PATH = /^(\/[A-Za-z0-9._-]+)+$/;
const VERSION = /^[0-9]{1,2}\.[0-9]{1,2}$/;

/** Pool, file and socket names of an account (the username was validated). */
export function poolNames(username: string, socketDir: string): { pool: string; file: string; socket: string } {
  if (!USERNAME.test(username))
    throw errors.validation(`account username ${JSON.stringify(username.slice(0, 40))} cannot name a PHP pool`);
  // Prefixed so an account can never take the name (or socket) of a distribution pool such as `www`.
  const pool = `vp-${username}`;
  return { pool, file: `${pool}.conf`, socket: path.join(socketDir, `${pool}.sock`) };
}

function safePath(p: string, what: string): string {
  const n = path.posix.normalize(p).replace(/\/+$/, '');
  if (n !== p.replace(/\/+$/, '') || !SAFE_PATH.test(n) || n.split('/').includes('..'))
    throw errors.validation(`${what} ${JSON.stringify(p.slice(0, 80))} cannot be written to a PHP pool`);
  return n;
}

function passwdUid(name: string): number | null {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}:`));
    return line ? Number(line.split(':')[2]) : null;
  } catch {
    return null;
  }
}

/**
 * Who the pool runs as. Never root or a system account: the uid and gid must be at least
 * `min_uid` and the system user of that name must have that uid (a restored or edited row
 * claiming another user is refused). Without a system user (local mode) the pool runs as the
 * panel itself: a non-root panel, or the panel's own master (which alone is started with -R).
 */
function runAs(account: AccountInfo, s: PhpSettings): { user: string; group: string } | null {
  if (account.uid === null || account.gid === null) {
    if (process.getuid?.() === 0 && !s.managed)
      throw errors.conflict(
        `Account ${account.username} has no system user, so it cannot have an FPM pool (linux mode)`,
      );
    return null;
  }
  if (
    !Number.isInteger(account.uid) ||
    !Number.isInteger(account.gid) ||
    account.uid < s.minUid ||
    account.gid < s.minUid
  )
    throw errors.validation(`account ${account.username}: uid/gid below ${s.minUid} cannot run a PHP pool`);
  if (passwdUid(account.username) !== account.uid)
    throw errors.conflict(`account ${account.username}: the system user does not have uid ${account.uid}`);
  return { user: account.username, group: String(account.gid) };
}

/** Everything one pool file is made of. */
export interface PoolInput {
  account: AccountInfo;
  version: string;
  ini: Record<string, string>;
}

/** Render an account's pool from `templates/php/pool.conf`; every value is checked first. */
export function renderPool(
  input: PoolInput,
  s: PhpSettings,
): { name: string; file: string; socket: string; content: string } {
  const { account, version } = input;
  if (!VERSION.test(version))
    throw errors.validation(`version ${JSON.stringify(version.slice(0, 20))} cannot be written to a PHP pool`);
  const names = poolNames(account.username, s.socketDir);
  const home = safePath(account.home_dir, 'home directory');
  const who = runAs(account, s);
  if (!USERNAME.test(s.webUser) || !USERNAME.test(s.webGroup)) throw errors.internal('php: invalid web_user/web_group');
  const content = loadTemplate(s.templatesDir, 'php/pool.conf').render({
    account: account.username,
    version,
    pool: names.pool,
    as_user: who !== null,
    user: who?.user ?? '',
    group: who?.group ?? '',
    socket: safePath(names.socket, 'socket path'),
    listen_owner: s.webUser,
    listen_group: s.webGroup,
    max_children: account.plan_limits?.php_workers ?? s.maxChildren[settingsPlan(account.plan)],
    idle_timeout: s.idleTimeoutSecs,
    max_requests: s.maxRequests,
    home,
    tmp: `${home}/tmp`,
    error_log: `${home}/logs/php_errors.log`,
    ini: iniPoolLines(clampIni(input.ini, planCaps(s.iniCaps, account.plan))).join('\n'),
  });
  return { name: names.pool, file: names.file, socket: names.socket, content };
}
