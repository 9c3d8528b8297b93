import type { DatabaseEngine } from './database-engines.js';

/**
 * A database user's stored login verifier — never the password itself — as a backup carries it so
 * a restore that has to recreate the user can bring back the credentials the customer's
 * application (`wp-config.php` and the like) still holds.
 *
 * A credential read from a backup is hostile input: an engine accepts only the methods and exact
 * formats it names in {@link DatabaseCredentialSupport.checkCredential}, and quotes the hash with
 * its driver's escaping. Hashes never go to logs, argv or API answers.
 */
export interface DatabaseCredential {
  /**
   * Authentication method, lowercase: `mysql_native_password` or `ed25519` (MySQL/MariaDB),
   * `scram-sha-256` (PostgreSQL). Engines refuse every method they do not list.
   */
  method: string;
  /**
   * The verifier in the server's own text form, e.g. `*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19`
   * or `SCRAM-SHA-256$4096:<salt>$<StoredKey>:<ServerKey>`. Only `A–Z a–z 0–9 * $ : + / = . -`.
   */
  hash: string;
}

/** What {@link DatabaseCredentialSupport.readCredential} answers: the verifier, or why there is none. */
export type DatabaseCredentialRead =
  | { credential: DatabaseCredential; reason?: undefined }
  | { credential: null; reason: string };

/** Characters any carried hash may hold; engines check their exact format on top. */
export const CREDENTIAL_HASH_PATTERN = '^[A-Za-z0-9*$:+/=.-]{1,200}$';

/**
 * Optional methods of a {@link DatabaseEngine} that carry a user's credentials through a backup.
 * An engine without them still backs up and restores; a user it recreates gets a new password.
 *
 * @example
 * ```ts
 * const read = await engine.readCredential?.(user);          // at backup time
 * engine.checkCredential?.(fromManifest);                    // restore, pass 1: before anything changes
 * await engine.applyCredential?.(user, fromManifest);        // after the user was recreated
 * ```
 */
export interface DatabaseCredentialSupport {
  /**
   * The user's current verifier, or `{ credential: null, reason }` when it cannot be carried
   * (the admin may not read it, an unsupported method, the user's hosts disagree, …). Throws
   * only when the server is unreachable.
   */
  readCredential?(user: string): Promise<DatabaseCredentialRead>;
  /**
   * Throw `errors.validation` naming the problem unless `credential` is a method this engine
   * accepts in exactly its format. Pure: touches no server.
   */
  checkCredential?(credential: DatabaseCredential): void;
  /**
   * Make `credential` the user's only login (every host the engine creates the user for), so the
   * original password works again. Checks the credential first (400, nothing changed).
   */
  applyCredential?(user: string, credential: DatabaseCredential): Promise<void>;
}
