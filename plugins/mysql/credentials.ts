import { createHash } from 'node:crypto';
import { errors, type DatabaseCredential, type DatabaseCredentialRead } from '../../sdk/index.js';
import { escape } from './driver.js';
import { USER_HOSTS } from './grants.js';
import type { MysqlServer } from './server.js';

/** Methods whose verifiers travel in backups, each with its exact format. */
const FORMATS: Readonly<Record<string, RegExp>> = {
  // `*` and the upper-case hex SHA1(SHA1(password)), as PASSWORD() writes it.
  mysql_native_password: /^\*[0-9A-F]{40}$/,
  // MariaDB: the 32-byte Ed25519 public key in base64 without padding (the last character has 4 bits).
  ed25519: /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]$/,
};

/** Every method a backup may name, for messages. */
export const CARRIED_METHODS = Object.keys(FORMATS);

/** One host's login as the server stores it. */
export interface HostLogin {
  host: string;
  method: string;
  hash: string;
}

/**
 * The credential if it is a method this engine carries in exactly its format; otherwise a 400
 * naming the field (never echoing the hash, which may be anything an attacker wrote).
 */
export function checkMysqlCredential(c: DatabaseCredential): DatabaseCredential {
  const method = typeof c?.method === 'string' ? c.method : '';
  const format = Object.hasOwn(FORMATS, method) ? FORMATS[method] : undefined;
  if (!format) throw errors.validation(`credential.method: must be one of ${CARRIED_METHODS.join(', ')}`);
  if (typeof c.hash !== 'string' || !format.test(c.hash))
    throw errors.validation(`credential.hash: is not a well-formed ${method} verifier`);
  return { method, hash: c.hash };
}

/** Whether the server's row is a login this engine can carry (and write back) exactly. */
export function carriable(method: unknown, hash: unknown): boolean {
  return (
    typeof method === 'string' &&
    typeof hash === 'string' &&
    Object.hasOwn(FORMATS, method) &&
    FORMATS[method]!.test(hash)
  );
}

/** The `mysql_native_password` verifier of a password, computed here so the password never reaches the server. */
export function nativeHash(password: string): string {
  const once = createHash('sha1').update(password, 'utf8').digest();
  return `*${createHash('sha1').update(once).digest('hex').toUpperCase()}`;
}

/** `ALTER USER` giving each host of the user exactly its login back (method from the whitelist, hash escaped). */
export function alterLogins(user: string, logins: HostLogin[]): string {
  const parts = logins.map((l) => {
    const { method, hash } = checkMysqlCredential(l);
    return `${escape(user)}@${escape(l.host)} IDENTIFIED WITH ${method} AS ${escape(hash)}`;
  });
  return `ALTER USER ${parts.join(', ')}`;
}

/** `ALTER USER` making `credential` the only login of the user on every host it exists for. */
export function applyCredentialSql(user: string, credential: DatabaseCredential): string {
  return alterLogins(
    user,
    USER_HOSTS.map((host) => ({ host, ...credential })),
  );
}

/**
 * The user's verifier from `mysql.user` for {@link USER_HOSTS}: carried only when every host has
 * the same login, in a method and format this engine accepts.
 */
export async function readMysqlCredential(server: MysqlServer, user: string): Promise<DatabaseCredentialRead> {
  let rows: { host: string; plugin: string; auth: string }[];
  try {
    rows = await server.rows(
      'SELECT Host AS host, plugin, authentication_string AS auth FROM mysql.user WHERE User = ? AND Host IN (?)',
      [user, [...USER_HOSTS]],
    );
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ER_TABLEACCESS_DENIED_ERROR' || code === 'ER_COLUMNACCESS_DENIED_ERROR')
      return { credential: null, reason: "the panel's admin user may not read mysql.user" };
    throw e;
  }
  if (rows.length === 0) return { credential: null, reason: `user ${user} does not exist` };
  const first = rows[0]!;
  if (rows.some((r) => r.plugin !== first.plugin || r.auth !== first.auth))
    return { credential: null, reason: `user ${user} has different logins for ${USER_HOSTS.join(' and ')}` };
  if (!Object.hasOwn(FORMATS, String(first.plugin)))
    return {
      credential: null,
      reason: `user ${user} authenticates with ${
        String(first.plugin)
          .replace(/[^\w-]/g, '?')
          .slice(0, 40) || 'no method'
      }; only ${CARRIED_METHODS.join(', ')} are carried`,
    };
  if (!carriable(first.plugin, first.auth))
    return { credential: null, reason: `the stored ${first.plugin} verifier of user ${user} has an unexpected format` };
  return { credential: { method: first.plugin, hash: first.auth } };
}
