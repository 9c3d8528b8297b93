// A loop-mounted filesystem in a temp dir for the disk-quota tests: btrfs with quota (qgroups)
// or ext4 mounted with or without usrquota. The home base is `homes` on it. `remove` unmounts
// (lazily when something still holds it) and deletes the image, whatever state a test left.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { openTempDir } from '../webserver/helpers.js';

export interface LoopFs {
  dir: string;
  mount: string;
  homes: string;
  remove(): void;
}

export function sh(cmd: string, ...args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

export function loopFs(kind: 'btrfs' | 'ext4-usrquota' | 'ext4', size = '512M'): LoopFs {
  const dir = openTempDir('velopanel-quota-');
  const img = path.join(dir, 'fs.img');
  const mount = path.join(dir, 'mnt');
  const fs: LoopFs = {
    dir,
    mount,
    homes: path.join(mount, 'homes'),
    remove() {
      if (spawnSync('mountpoint', ['-q', mount]).status === 0 && spawnSync('umount', [mount]).status !== 0)
        spawnSync('umount', ['-l', mount]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    mkdirSync(mount);
    sh('truncate', '-s', size, img);
    if (kind === 'btrfs') {
      sh('mkfs.btrfs', '-q', img);
      sh('mount', '-o', 'loop', img, mount);
      sh('btrfs', 'quota', 'enable', mount);
    } else {
      sh('mkfs.ext4', '-q', img);
      sh('mount', '-o', kind === 'ext4' ? 'loop' : 'loop,usrquota', img, mount);
    }
    mkdirSync(fs.homes, { mode: 0o755 });
  } catch (e) {
    fs.remove();
    throw e;
  }
  return fs;
}

const ids = (name: string) => {
  const f = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))!
    .split(':');
  return { uid: Number(f[2]), gid: Number(f[3]) };
};

/** Write `mb` MiB as the account's own uid/gid: the kernel, not the panel, must stop it. */
export const writeAs = (name: string, file: string, mb: number) =>
  spawnSync('dd', ['if=/dev/zero', `of=${file}`, 'bs=1M', `count=${mb}`, 'conv=fsync'], {
    ...ids(name),
    encoding: 'utf8',
  });

/** The qgroup of a home (referenced bytes, limit or null), or null when the home is no subvolume. */
export function qgroupOf(fs: LoopFs, home: string): { used: number; max: number | null } | null {
  sh('btrfs', 'filesystem', 'sync', fs.mount);
  const line = sh('btrfs', 'qgroup', 'show', '-re', '--raw', fs.mount)
    .split('\n')
    .find((l) => l.trim().endsWith(` ${path.relative(fs.mount, home)}`));
  if (!line) return null;
  const f = line.trim().split(/\s+/);
  return { used: Number(f[1]), max: f[3] === 'none' ? null : Number(f[3]) };
}

/** The qgroup of a home that is a subvolume (throws when it is not). */
export function qgroup(fs: LoopFs, home: string): { used: number; max: number | null } {
  const q = qgroupOf(fs, home);
  if (!q) throw new Error(`${home} is not a subvolume with a qgroup`);
  return q;
}
