import { readFileSync } from 'node:fs';
import { errors, type PluginDatabase } from '../../sdk/index.js';

function idsIn(file: string): Set<number> {
  try {
    return new Set(
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.includes(':'))
        .map((l) => Number(l.split(':')[2])),
    );
  } catch {
    return new Set();
  }
}

/** `UID_MIN`/`UID_MAX` of /etc/login.defs (Debian's 1000/60000 when unset). */
function range(): { min: number; max: number } {
  let defs = '';
  try {
    defs = readFileSync('/etc/login.defs', 'utf8');
  } catch {
    // no login.defs: the shadow defaults
  }
  const value = (key: string, fallback: number) =>
    Number(new RegExp(`^\\s*${key}\\s+(\\d+)`, 'm').exec(defs)?.[1] ?? fallback);
  return { min: value('UID_MIN', 1000), max: value('UID_MAX', 60000) };
}

/**
 * Hand out the id (used as both uid and gid) for a new system user: above the panel's high-water
 * mark, every uid/gid its accounts hold and every regular id /etc/passwd or /etc/group uses.
 * The mark is kept in the plugin's own table under a lock, so an id is never given twice, not
 * even after the account that had it was deleted: nothing it left behind can fall to a newcomer.
 */
export async function allocateId(db: PluginDatabase, accountsTable: string): Promise<number> {
  const table = db.table('ids');
  return db.withLock('accounts:ids', async (trx) => {
    const stored = await trx(table).where({ name: 'high_water' }).first();
    const mark = Number(stored?.value ?? 0);
    const held = await trx(accountsTable).max({ u: 'uid' }).max({ g: 'gid' }).first();
    const { min, max } = range();
    const users = idsIn('/etc/passwd');
    const groups = idsIn('/etc/group');
    // Above every id in use too, as useradd would: a hole may be the id of a user deleted before the panel came.
    const inUse = [...users, ...groups].filter((id) => id >= min && id <= max);
    const next = Math.max(mark, Number(held?.u ?? 0), Number(held?.g ?? 0), min - 1, ...inUse) + 1;
    if (next > max)
      throw errors.internal(`No uid/gid left for a new account: the panel has handed out ids up to ${max} (UID_MAX)`);
    if (stored) await trx(table).where({ name: 'high_water' }).update({ value: next });
    else await trx(table).insert({ name: 'high_water', value: next });
    return next;
  });
}

/**
 * Make a system user with a freshly allocated id. Another program (or another panel on the same
 * machine) may take the id between allocation and groupadd/useradd; they then refuse it as "not
 * unique" or "in use", and the next id is tried.
 */
export async function withFreshId<T>(
  db: PluginDatabase,
  accountsTable: string,
  make: (id: number) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const id = await allocateId(db, accountsTable);
    try {
      return await make(id);
    } catch (e) {
      if (attempt >= 5 || !/not unique|already in use|already exists/i.test((e as Error).message)) throw e;
    }
  }
}
