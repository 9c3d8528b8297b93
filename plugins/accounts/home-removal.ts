import { realpathSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { errors, type ExecService } from '../../sdk/index.js';
import { lstatOrNull } from './home.js';

/** Whose home it is: the account's ids (linux mode), or nulls (local mode, or not known yet). */
export interface HomeIds {
  uid: number | null;
  gid: number | null;
}

/**
 * Remove a home, only when it really is a directory directly under the home base (checked on
 * resolved paths, never following a link). A home that is already gone is fine.
 *
 * Nothing here runs in the panel's event loop, and nothing follows a link at any depth. In linux
 * mode the account itself empties its home first (`chmod -R u+rwX`, then `rm -rf
 * --one-file-system`, both never following links and run with the account's uid/gid): even if a
 * process of the account were still swapping folders for links, the kernel would refuse it
 * anything the account could not delete itself. Only then does root remove what is left — the
 * top directory, and whatever the account could not remove in its own home (files root or the
 * web server wrote) — with GNU rm, whose descriptor-based walk never follows a link either.
 * Callers stop the account's processes before.
 */
export async function removeHome(exec: ExecService, homeBase: string, home: string, ids: HomeIds): Promise<void> {
  const st = lstatOrNull(home);
  if (!st) return;
  const base = realpathSync(homeBase);
  if (!st.isDirectory() || realpathSync(path.dirname(home)) !== base || path.basename(home).startsWith('.'))
    // A reseller's DELETE reaches this: the paths are the server's, for admins only.
    throw errors
      .internal("Refusing to remove the account's home: it is not a home directory under the home base")
      .withAdminDetail(`${home} is not a home directory under ${homeBase}`);
  // Ids unknown (an interrupted creation): the home's owner, unless it is still root's or the
  // panel's own, in which case no tenant ever had it.
  const uid = ids.uid ?? (st.uid !== 0 && st.uid !== process.getuid?.() ? st.uid : null);
  if (uid !== null && uid > 0 && process.getuid?.() === 0) {
    const asAccount = { uid, gid: ids.gid ?? uid, cwd: '/', allowFailure: true, timeoutMs: 3_600_000 };
    await exec.run('chmod', ['-R', 'u+rwX', '--', home], asAccount);
    // Fails on the home itself (root's home base): the contents are gone, root takes the top.
    await exec.run('rm', ['-rf', '--one-file-system', '--', home], asAccount);
  }
  try {
    rmdirSync(home);
    return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    if ((e as NodeJS.ErrnoException).code !== 'ENOTEMPTY') throw e;
  }
  await exec.run('rm', ['-rf', '--one-file-system', '--', home], { timeoutMs: 3_600_000 });
}
