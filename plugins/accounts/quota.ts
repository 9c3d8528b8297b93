import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { ExecService } from '../../sdk/index.js';
import type { PlanLimits } from './config.js';

/** An account as the disk quota sees it. */
export interface QuotaSubject {
  username: string;
  uid: number | null;
  home_dir: string;
}

/** Usage and limits the kernel reports for one account (MB; null: no limit). */
export interface QuotaReading {
  used_mb: number;
  limit_mb: number | null;
  inode_limit: number | null;
}

/**
 * Disk limits the kernel enforces on the filesystem holding the homes: `user-quota` (setquota and
 * repquota on a filesystem mounted with usrquota and quota on), `btrfs-qgroup` (each home a
 * subvolume with a qgroup limit; no inode limit), or `none` (the reason says why).
 */
export interface DiskQuota {
  kind: 'user-quota' | 'btrfs-qgroup' | 'none';
  mount: string | null;
  reason: string;
  inodes: boolean;
  /** Make the home directory itself (btrfs: a subvolume, so it can carry a limit). */
  makeHome?(home: string): Promise<void>;
  apply(a: QuotaSubject, limits: PlanLimits): Promise<void>;
  /** Readings for all the given accounts in one report, keyed by username. */
  read(accounts: QuotaSubject[]): Promise<Map<string, QuotaReading>>;
}

const mb = (bytes: number) => Math.ceil(bytes / (1024 * 1024));

/** The mount (point, type, options) holding a path: the longest mount point that is a prefix of it. */
export function mountOf(p: string): { point: string; type: string; options: string[] } | null {
  let real = path.resolve(p);
  while (!existsSync(real) && real !== '/') real = path.dirname(real);
  real = realpathSync(real);
  let best: { point: string; type: string; options: string[] } | null = null;
  for (const line of readFileSync('/proc/self/mounts', 'utf8').split('\n')) {
    const [, point, type, options] = line.split(' ');
    if (!point || !type) continue;
    const at = point.replace(/\\040/g, ' ');
    if ((real === at || real.startsWith(at === '/' ? '/' : `${at}/`)) && (!best || at.length >= best.point.length))
      best = { point: at, type, options: (options ?? '').split(',') };
  }
  return best;
}

function userQuota(exec: ExecService, mount: string): DiskQuota {
  return {
    kind: 'user-quota',
    mount,
    reason: `user quota on ${mount}`,
    inodes: true,
    async apply(a, l) {
      const kb = l.disk_quota_mb * 1024;
      const inodes = l.inodes ?? 0;
      // Soft at 90% so the account is warned (quota -v) before writes fail at the hard limit.
      await exec.run('setquota', [
        '-u',
        '--',
        a.username,
        String(Math.floor(kb * 0.9)),
        String(kb),
        String(Math.floor(inodes * 0.9)),
        String(inodes),
        mount,
      ]);
    },
    async read(accounts) {
      const { stdout } = await exec.run('repquota', ['-u', '-n', '-O', 'csv', mount]);
      const byUid = new Map<number, QuotaReading>();
      for (const line of stdout.split('\n').slice(1)) {
        const f = line.split(',');
        const uid = Number(f[0]?.replace('#', ''));
        if (!Number.isInteger(uid) || f.length < 10) continue;
        const hardKb = Number(f[5]);
        byUid.set(uid, {
          used_mb: Math.ceil(Number(f[3]) / 1024),
          limit_mb: hardKb ? hardKb / 1024 : null,
          inode_limit: Number(f[9]) || null,
        });
      }
      const out = new Map<string, QuotaReading>();
      // An account that owns nothing on the filesystem yet has no line: it uses nothing and has no limit.
      for (const a of accounts)
        if (a.uid !== null) out.set(a.username, byUid.get(a.uid) ?? { used_mb: 0, limit_mb: null, inode_limit: null });
      return out;
    },
  };
}

function btrfsQgroup(exec: ExecService, mount: string): DiskQuota {
  return {
    kind: 'btrfs-qgroup',
    mount,
    reason: `btrfs qgroups on ${mount} (one subvolume per home; no inode limit)`,
    inodes: false,
    async makeHome(home) {
      await exec.run('btrfs', ['subvolume', 'create', '--', home]);
    },
    async apply(a, l) {
      // `qgroup limit` on a plain directory limits the subvolume holding it — every home on it.
      // A subvolume's root directory is inode 256; anything else (a home a restore swapped in) is refused.
      const st = lstatSync(a.home_dir);
      if (!st.isDirectory() || st.ino !== 256)
        throw new Error(`${a.home_dir} is not a btrfs subvolume, so it cannot carry its own limit`);
      await exec.run('btrfs', ['qgroup', 'limit', String(l.disk_quota_mb * 1024 * 1024), '--', a.home_dir]);
    },
    async read(accounts) {
      // Qgroup numbers are kept at transaction commit: commit first so a write just made counts.
      await exec.run('btrfs', ['filesystem', 'sync', '--', mount]);
      const { stdout } = await exec.run('btrfs', ['qgroup', 'show', '-re', '--raw', mount]);
      const byPath = new Map<string, QuotaReading>();
      for (const line of stdout.split('\n')) {
        const f = line.trim().split(/\s+/);
        if (!/^0\/\d+$/.test(f[0] ?? '') || f.length < 6) continue;
        byPath.set(path.join(mount, f.slice(5).join(' ')), {
          used_mb: mb(Number(f[1])),
          limit_mb: f[3] === 'none' ? null : mb(Number(f[3])),
          inode_limit: null,
        });
      }
      const out = new Map<string, QuotaReading>();
      for (const a of accounts) {
        const r = byPath.get(a.home_dir);
        if (r) out.set(a.username, r);
      }
      return out;
    },
  };
}

const none = (reason: string): DiskQuota => ({
  kind: 'none',
  mount: null,
  reason,
  inodes: false,
  apply: async () => undefined,
  read: async () => new Map(),
});

/**
 * Find what the home base's filesystem enforces. A usrquota mount whose quota is off is switched
 * on (quotacheck first when it has no quota file); when the kernel refuses, the reason it gave is
 * kept for the status, and the panel goes on with its own checks and `du`.
 */
export async function detectDiskQuota(exec: ExecService, homeBase: string, linux: boolean): Promise<DiskQuota> {
  if (!linux) return none('local mode: homes belong to the panel user, usage is measured by walking them');
  const m = mountOf(homeBase);
  if (!m) return none(`no mount found for ${homeBase}`);
  if (m.type === 'btrfs') {
    const r = await exec.run('btrfs', ['qgroup', 'show', m.point], { allowFailure: true });
    if (r.code === 0) return btrfsQgroup(exec, m.point);
    return none(
      `${m.point} is btrfs without quota (btrfs quota enable ${m.point}): ${(r.stderr || r.stdout).trim().split('\n')[0]}`,
    );
  }
  if (!m.options.some((o) => ['usrquota', 'usrjquota', 'quota', 'uquota'].some((q) => o.startsWith(q))))
    return none(`${m.point} (${m.type}) is not mounted with usrquota`);
  const on = async () =>
    /is on/.test((await exec.run('quotaon', ['-p', '-u', m.point], { allowFailure: true })).stdout);
  if (await on()) return userQuota(exec, m.point);
  if (!existsSync(path.join(m.point, 'aquota.user')))
    await exec.run('quotacheck', ['-c', '-u', '-m', m.point], { allowFailure: true });
  const r = await exec.run('quotaon', ['-u', m.point], { allowFailure: true });
  if (await on()) return userQuota(exec, m.point);
  const why = (r.stderr || r.stdout).trim().split('\n').filter(Boolean).pop() ?? 'quotaon failed';
  return none(`user quota on ${m.point} cannot be switched on: ${why}`);
}
