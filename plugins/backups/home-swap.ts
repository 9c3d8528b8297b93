import fs from 'node:fs';
import path from 'node:path';
import { failpoint, HOME_COPY_PREFIXES, type AccountInfo, type PluginContext } from '../../sdk/index.js';
import type { Journal } from './journal.js';

/** What the journal holds while a restored home is swapped in. */
export interface HomeSwap {
  username: string;
  home: string;
  /** The complete, verified staging tree that becomes the home. */
  staging: string;
  /** Where the current home goes meanwhile (null: there was none). */
  aside: string | null;
  uid: number | null;
  gid: number | null;
}

/** Prefix of a restore's staging tree beside the home. */
export const STAGING_PREFIX = HOME_COPY_PREFIXES.staging;
/** Prefix of the home a restore replaced, renamed aside until removed. */
export const ASIDE_PREFIX = HOME_COPY_PREFIXES.aside;

/** One entry per swap (`swap-<user>-<staging suffix>`), so settling an old one never touches a newer swap's. */
const entryName = (staging: string) => `swap-${path.basename(staging).slice(STAGING_PREFIX.length)}`;

/** Remove a tree that was a tenant's home: first as the account (the kernel refuses what a check missed), then as root. */
export async function removeTree(
  ctx: PluginContext,
  dir: string,
  owner: { uid: number | null; gid: number | null },
): Promise<void> {
  const ids = owner.uid !== null ? { uid: owner.uid, gid: owner.gid ?? owner.uid } : null;
  if (ids)
    await ctx.exec.run('rm', ['-rf', '--one-file-system', '--', dir], {
      ...ids,
      cwd: '/',
      allowFailure: true,
      timeoutMs: 3_600_000,
    });
  await ctx.exec.run('rm', ['-rf', '--one-file-system', '--', dir], { allowFailure: true, timeoutMs: 3_600_000 });
}

/**
 * Put a fully extracted, verified staging tree in place of the home: the intent is journaled
 * first, then the old home is renamed aside and the staging directory renamed in (same
 * filesystem, so each step is atomic), the old tree removed, the journal entry dropped. A kill
 * anywhere in between is finished at start-up by {@link settleHomeSwaps}, never left as a
 * missing home.
 */
export async function swapHome(
  ctx: PluginContext,
  journal: Journal,
  account: AccountInfo,
  staging: string,
  rootMode: number,
): Promise<void> {
  const home = account.home_dir;
  const before = await fs.promises.lstat(home).catch(() => null);
  if (before && !before.isDirectory()) throw new Error(`${home} is not a directory`);
  await fs.promises.chmod(staging, before ? before.mode & 0o7777 : rootMode);
  if (account.uid !== null)
    await fs.promises.chown(staging, before?.uid ?? account.uid, before?.gid ?? account.gid ?? account.uid);
  const aside = before
    ? path.join(path.dirname(home), `${ASIDE_PREFIX}${account.username}-${Date.now().toString(36)}`)
    : null;
  const swap: HomeSwap = { username: account.username, home, staging, aside, uid: account.uid, gid: account.gid };
  await journal.put(entryName(staging), swap);
  failpoint('backups.restore.swap-recorded');
  if (aside) await fs.promises.rename(home, aside);
  failpoint('backups.restore.home-aside');
  try {
    await fs.promises.rename(staging, home);
  } catch (e) {
    if (aside) await fs.promises.rename(aside, home);
    await journal.remove(entryName(staging));
    throw e;
  }
  failpoint('backups.restore.home-swapped');
  if (aside) await removeTree(ctx, aside, account);
  await journal.remove(entryName(staging));
}

const isDir = (p: string | null) => p !== null && (fs.lstatSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false);

/** A journaled swap names only a home and its own siblings (the journal is the panel's, but a bad entry must not move anything else). */
function wellFormed(s: HomeSwap): boolean {
  const dir = path.dirname(s.home);
  const sibling = (p: string | null, prefix: string) =>
    p === null || (path.dirname(p) === dir && path.basename(p).startsWith(`${prefix}${s.username}-`));
  return (
    path.isAbsolute(s.home) &&
    path.basename(s.home) !== '' &&
    sibling(s.staging, STAGING_PREFIX) &&
    s.staging !== null &&
    sibling(s.aside, ASIDE_PREFIX)
  );
}

/** One swap settled at start-up: what was done, and an old tree (with its owner) still to remove. */
export interface SettledSwap {
  note: string;
  remove: { dir: string; uid: number | null; gid: number | null }[];
  entry: string;
}

/**
 * Finish the home swaps a kill interrupted (call before the accounts plugin repairs homes): the
 * staged copy was complete and verified when its intent was written, so it goes in place; the old
 * home comes back only when the staged copy is gone. Renames only — the old trees are returned
 * for removal off the start-up path.
 */
export async function settleHomeSwaps(journal: Journal): Promise<SettledSwap[]> {
  const out: SettledSwap[] = [];
  for (const { name, data: s } of await journal.entries<HomeSwap>('swap-')) {
    if (!wellFormed(s)) {
      out.push({ entry: name, remove: [], note: `ignored a malformed home swap record ${name}` });
      continue;
    }
    const who = `${s.username}: a restore was interrupted while swapping in its home`;
    let note: string;
    if (isDir(s.staging) && isDir(s.home) && s.aside && !isDir(s.aside)) {
      fs.renameSync(s.home, s.aside);
      fs.renameSync(s.staging, s.home);
      note = `${who}; the verified restored copy is now in place of ${s.home}`;
    } else if (isDir(s.staging) && !isDir(s.home)) {
      fs.renameSync(s.staging, s.home);
      note = `${who}; the verified restored copy is now in place of ${s.home}`;
    } else if (!isDir(s.home) && isDir(s.aside)) {
      fs.renameSync(s.aside!, s.home);
      note = `${who}; the restored copy was lost, the previous home is back in ${s.home}`;
    } else if (isDir(s.staging)) {
      note = `${who}; ${s.home} was there and is kept, the staged copy is removed`;
    } else {
      note = `${who}; it had put the restored copy in place of ${s.home}`;
    }
    const remove = [s.aside, s.staging]
      .filter((d): d is string => isDir(d))
      .map((dir) => ({ dir, uid: s.uid, gid: s.gid }));
    out.push({ entry: name, note, remove });
  }
  return out;
}
