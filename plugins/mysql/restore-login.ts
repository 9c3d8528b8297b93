import { randomBytes } from 'node:crypto';
import type { RowDataPacket } from 'mysql2/promise';
import { escape } from './driver.js';
import { alterLogins, carriable, nativeHash, type HostLogin } from './credentials.js';
import { USER_HOSTS } from './grants.js';
import type { MysqlServer } from './server.js';

/** A login as the database's own user, for as long as a restore runs. */
export interface BorrowedLogin {
  user: string;
  password: string;
  /** Make the user's previous login its only one again. */
  release(): Promise<void>;
}

/**
 * Let a restore log in as the database's own user, so what the dump creates (views, triggers,
 * routines, events) is defined by that user and keeps working after the restore — a throwaway
 * restore user would be left as the DEFINER of everything and then dropped.
 *
 * MariaDB only: the user gets a random second password as an `OR` alternative of its login
 * (10.4+), so the application's password keeps working throughout; `release()` writes the exact
 * previous login back. Null when the server is not MariaDB, or the user's login on some host is
 * not one that can be written back exactly (another method, alternatives of its own) — the caller
 * then restores as a throwaway user.
 */
export async function borrowLogin(server: MysqlServer, user: string): Promise<BorrowedLogin | null> {
  const rows = await currentLogins(server, user);
  if (rows?.length !== USER_HOSTS.length) return null;
  if (rows.some((r) => Number(r.alternatives) > 1 || !carriable(r.method, r.hash))) return null;
  const before: HostLogin[] = rows.map((r) => ({ host: r.host, method: String(r.method), hash: String(r.hash) }));
  const password = randomBytes(24).toString('base64url');
  const extra = escape(nativeHash(password));
  await server.rows(
    `ALTER USER ${before
      .map(
        (l) =>
          `${escape(user)}@${escape(l.host)} IDENTIFIED VIA ${l.method} USING ${escape(l.hash)} OR mysql_native_password USING ${extra}`,
      )
      .join(', ')}`,
  );
  let released = false;
  return {
    user,
    password,
    async release() {
      if (released) return;
      await server.rows(alterLogins(user, before));
      released = true;
    },
  };
}

type LoginRow = { host: string; method: unknown; hash: unknown; alternatives: unknown };

/** Each host's login of the user on MariaDB; null on MySQL or when the admin may not read mysql.global_priv. */
async function currentLogins(server: MysqlServer, user: string): Promise<LoginRow[] | null> {
  try {
    const [version] = await server.rows<{ v: string }>('SELECT VERSION() AS v');
    if (!String(version?.v).includes('MariaDB')) return null;
    return await server.rows<LoginRow>(
      `SELECT Host AS host, JSON_VALUE(Priv, '$.plugin') AS method, JSON_VALUE(Priv, '$.authentication_string') AS hash,
         COALESCE(JSON_LENGTH(Priv, '$.auth_or'), 1) AS alternatives
       FROM mysql.global_priv WHERE User = ? AND Host IN (?)`,
      [user, [...USER_HOSTS]],
    );
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ER_TABLEACCESS_DENIED_ERROR' || code === 'ER_NO_SUCH_TABLE') return null;
    throw e;
  }
}
