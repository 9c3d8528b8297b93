// The three stores the username tests run on, each with a way to make two creates of names that
// differ only in letter case race past the check before the insert, every time (no timing):
// - SQLite has one connection: two creates started together queue their queries in turn, so
//   both checks run before either insert;
// - PostgreSQL and MariaDB: `Racer` is inserted in a transaction held open while the rival create
//   (over HTTP) checks (it cannot see an uncommitted row) and inserts; the transaction commits
//   once the rival's insert is on its way, so only a unique index can stop it.
import type { UserStore } from '../../core/auth/user-store.js';
import type { BarePanel } from './helpers.js';

/** How one create ended. */
export interface Outcome {
  username: string;
  ok: boolean;
  status?: number;
  error?: string;
}

export interface Store {
  name: string;
  engine?: 'pg' | 'mysql';
  /** Create `Racer` and `racer` racing each other. */
  race(panel: BarePanel, users: UserStore, hash: string, token: string): Promise<Outcome[]>;
}

const NAMES = ['Racer', 'racer'];

async function together(users: UserStore, hash: string): Promise<Outcome[]> {
  const settled = await Promise.allSettled(
    NAMES.map((username) => users.create({ username, passwordHash: hash, role: 'user' })),
  );
  return settled.map((r, i) =>
    r.status === 'fulfilled'
      ? { username: NAMES[i]!, ok: true }
      : { username: NAMES[i]!, ok: false, status: r.reason.status, error: r.reason.message },
  );
}

async function heldOpen(panel: BarePanel, users: UserStore, hash: string, token: string): Promise<Outcome[]> {
  const knex = panel.kernel.knex;
  const trx = await knex.transaction();
  let held: Outcome;
  try {
    await users.create({ username: 'Racer', passwordHash: hash, role: 'reseller' }, trx);
    held = { username: 'Racer', ok: true };
  } catch (e) {
    await trx.rollback();
    throw e;
  }
  let sent = () => {};
  const insertSent = new Promise<void>((resolve) => {
    sent = resolve;
  });
  const watch = (q: { sql: string; bindings?: unknown[] }) => {
    if (/^insert/i.test(q.sql) && q.bindings?.includes('racer')) sent();
  };
  knex.on('query', watch);
  try {
    const rival = panel.call('POST', '/api/resellers', {
      token,
      body: { username: 'racer', password: 'RacerPass12345' },
    });
    // The rival may also be refused before inserting (then there is no race to see).
    await Promise.race([insertSent, rival]);
    await trx.commit();
    const res = await rival;
    return [held, { username: 'racer', ok: res.status === 200, status: res.status, error: res.body.error }];
  } finally {
    knex.off('query', watch);
    if (!trx.isCompleted()) await trx.rollback();
  }
}

export const STORES: Store[] = [
  { name: 'SQLite', race: (_p, users, hash) => together(users, hash) },
  { name: 'PostgreSQL', engine: 'pg', race: heldOpen },
  { name: 'MariaDB', engine: 'mysql', race: heldOpen },
];
