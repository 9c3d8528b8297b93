import fs from 'node:fs';
import path from 'node:path';
import { accountDirectory, type PluginContext } from '../../sdk/index.js';
import { ASIDE_PREFIX, settleHomeSwaps, STAGING_PREFIX } from './home-swap.js';
import type { Journal } from './journal.js';

/** A tree to remove off the start-up path, with the owner to try first. */
export interface TreeToRemove {
  dir: string;
  uid: number | null;
  gid: number | null;
}

/** What start-up found of interrupted restores: what it did, what is left to remove, journal entries done with. */
export interface HomeRecovery {
  notes: string[];
  remove: TreeToRemove[];
  entries: string[];
}

const ownerOf = (dir: string) => {
  const st = fs.lstatSync(dir, { throwIfNoEntry: false });
  return st && st.uid !== 0 ? { uid: st.uid, gid: st.gid } : { uid: null, gid: null };
};

/**
 * Restore leftovers no journal entry explains (a restore killed before its swap was recorded, or a
 * panel from before the journal): a staging tree is incomplete, so it goes; an old home renamed
 * aside goes back in place when the home is missing (the newest one). One beside a home is kept
 * and reported: only a panel without the journal leaves that, and the home beside it may be an
 * empty skeleton that panel made, the aside the real files.
 */
function sweepUnjournaled(parents: Iterable<string>, known: Set<string>, out: HomeRecovery): void {
  for (const parent of parents) {
    let names: string[];
    try {
      names = fs.readdirSync(parent).sort().reverse();
    } catch {
      continue;
    }
    for (const name of names) {
      const dir = path.join(parent, name);
      const prefix = [STAGING_PREFIX, ASIDE_PREFIX].find((p) => name.startsWith(p));
      const st = fs.lstatSync(dir, { throwIfNoEntry: false });
      if (!prefix || known.has(dir) || !st?.isDirectory()) continue;
      const username = /^([a-z][a-z0-9_]*)-[a-z0-9]+$/.exec(name.slice(prefix.length))?.[1];
      const home = username ? path.join(parent, username) : null;
      if (prefix === ASIDE_PREFIX && home && !fs.lstatSync(home, { throwIfNoEntry: false })) {
        fs.renameSync(dir, home);
        out.notes.push(
          `${username}: its home was missing beside ${dir} (a restore interrupted while swapping); that previous home is back in ${home}`,
        );
        continue;
      }
      if (prefix === ASIDE_PREFIX) {
        out.notes.push(
          `kept ${dir}: a previous home of ${username ?? 'an account'} an interrupted restore renamed aside; check it against ${home ?? 'the home'} and remove it by hand`,
        );
        continue;
      }
      out.remove.push({ dir, ...ownerOf(dir) });
      out.notes.push(`removed ${dir}: the staging directory of a restore interrupted before its files were in place`);
    }
  }
}

/**
 * Start-up, before the accounts plugin repairs homes: finish the journaled home swaps, then deal
 * with what a restore left unjournaled beside the homes (directories starting with a dot, which
 * account reconciliation never looks at). Renames happen now; removals are returned.
 */
export async function recoverHomes(ctx: PluginContext, journal: Journal): Promise<HomeRecovery> {
  const out: HomeRecovery = { notes: [], remove: [], entries: [] };
  const settled = await settleHomeSwaps(journal);
  const known = new Set<string>();
  for (const s of settled) {
    out.notes.push(s.note);
    out.remove.push(...s.remove);
    out.entries.push(s.entry);
    for (const r of s.remove) known.add(r.dir);
  }
  const accounts =
    (await ctx.services
      .find(accountDirectory)
      ?.list()
      .catch(() => [])) ?? [];
  const parents = new Set([
    ...accounts.map((a) => path.dirname(a.home_dir)),
    ...[...known].map((d) => path.dirname(d)),
  ]);
  sweepUnjournaled(parents, known, out);
  return out;
}
