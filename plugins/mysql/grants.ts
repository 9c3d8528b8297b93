import { escape, escapeId } from './driver.js';

/** Hosts a customer user exists for: the socket (`localhost`) and loopback TCP. */
export const USER_HOSTS = ['localhost', '127.0.0.1'] as const;

/** `'u'@'localhost', 'u'@'127.0.0.1'` with the driver's escaping. */
export function accounts(user: string): string {
  return USER_HOSTS.map((h) => `${escape(user)}@${escape(h)}`).join(', ');
}

/** GRANT reads `_` and `%` in a database name as wildcards; escape them so the grant names one database. */
export function grantTarget(database: string): string {
  return `${escapeId(database.replace(/[_%]/g, '\\$&'))}.*`;
}

/** `CREATE USER` for {@link USER_HOSTS}, the password escaped by the driver. */
export function createUsers(user: string, password: string): string {
  return `CREATE USER ${USER_HOSTS.map((h) => `${escape(user)}@${escape(h)} IDENTIFIED BY ${escape(password)}`).join(', ')}`;
}
