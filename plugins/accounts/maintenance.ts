import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { AccountDeps } from './create.js';
import type { AccountRow } from './store.js';
import { PANEL_USER_COMMENT, passwdEntries } from './system-users.js';

function isDir(p: string): boolean {
  try {
    const st = lstatSync(p);
    return st.isDirectory() && !st.isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * What the panel made on the system that no account row knows (all rows, whatever their status):
 * users with the panel's comment whose home lies directly under the home base (linux mode), and
 * directories under the home base with a `public_html` that no account owns. Only ever reported:
 * they may be an operator's, or another panel's on the same machine.
 */
export function findOrphans(d: AccountDeps, rows: AccountRow[]): { users: string[]; homes: string[] } {
  const names = new Set(rows.map((r) => r.username));
  const homes = new Set(rows.map((r) => r.home_dir));
  const base = d.settings.homeBase;
  const users =
    d.settings.mode !== 'linux'
      ? []
      : passwdEntries()
          .filter((e) => e.comment === PANEL_USER_COMMENT && path.dirname(e.home) === base && !names.has(e.name))
          .map((e) => e.name);
  let entries: string[] = [];
  try {
    entries = readdirSync(base);
  } catch {
    // no home base yet: nothing can be orphaned
  }
  const orphanHomes = entries
    .filter(
      (n) =>
        !n.startsWith('.') &&
        !homes.has(path.join(base, n)) &&
        isDir(path.join(base, n)) &&
        isDir(path.join(base, n, 'public_html')),
    )
    .map((n) => path.join(base, n));
  return { users: users.sort(), homes: orphanHomes.sort() };
}

/** Measure every account's (or these accounts') disk use (`du`, run as the account's user in linux mode) and store it. */
export async function measureDiskUsage(d: AccountDeps, rows?: AccountRow[]): Promise<number> {
  let updated = 0;
  for (const row of rows ?? (await d.store.list())) {
    if (row.status === 'deleting' || !isDir(row.home_dir)) continue;
    const asUser = d.settings.mode === 'linux' && row.uid !== null ? { uid: row.uid, gid: row.gid ?? row.uid } : {};
    // du exits non-zero when a tenant made a directory unreadable; the total it printed still counts.
    const r = await d.ctx.exec.run('du', ['-s', '-x', '-m', '--', row.home_dir], {
      ...asUser,
      allowFailure: true,
      timeoutMs: 300_000,
    });
    const mb = Number(/^(\d+)/.exec(r.stdout)?.[1]);
    if (Number.isFinite(mb) && mb !== row.disk_used_mb) {
      await d.store.update(row.id, { disk_used_mb: mb });
      updated++;
    }
  }
  return updated;
}
