import fs from 'node:fs';

/** Which directory an account's home was when a backup began (device and inode). */
export interface HomeIdentity {
  dev: number;
  ino: number;
}

/** What changed in the home while a backup read it. */
export interface HomeChanges {
  /** Why the archive is not a backup of the home (it was removed or replaced), or null. */
  replaced: string | null;
  /** Entries that vanished between being listed and being read. */
  vanished: number;
  /** The sentence the result carries when some vanished. */
  warning: string;
}

/** The walk's reasons for an entry it listed but could no longer read (see the archive's home walk). */
const VANISHED = /^vanished during the backup|\(ENOENT\)$/;

export async function homeIdentity(home: string): Promise<HomeIdentity | null> {
  const st = await fs.promises.lstat(home).catch(() => null);
  return st ? { dev: st.dev, ino: st.ino } : null;
}

/**
 * Compare the home after the walk with the one it began on, and count what vanished under it.
 * The walk reads through open directory handles, so a home deleted midway yields an archive of
 * whatever was read so far without any error: only looking again shows it. A few vanished files
 * (a tenant's temp files) are reported, not fatal: the archive is the home as it was while it changed.
 */
export async function homeChanges(
  home: string,
  before: HomeIdentity | null,
  skipped: { reason: string }[],
): Promise<HomeChanges> {
  const after = await homeIdentity(home);
  const replaced =
    !before || !after
      ? 'the account home was removed while it was being backed up'
      : after.dev !== before.dev || after.ino !== before.ino
        ? 'the account home was replaced while it was being backed up'
        : null;
  const vanished = skipped.filter((s) => VANISHED.test(s.reason)).length;
  return {
    replaced,
    vanished,
    warning: `${vanished} home ${vanished === 1 ? 'entry' : 'entries'} vanished while the backup read them (listed in files.skipped); the archive holds the home as it was while it changed`,
  };
}
