import {
  errors,
  isPanelError,
  type AccountDatabase,
  type DatabaseEngine,
  type PluginContext,
} from '../../sdk/index.js';
import { failure } from './failure.js';
import type { Manifest, ManifestDatabase } from './manifest.js';
import { engineFor } from './snapshot.js';

/** What the manifest says about a database user's credentials: the verifier, or why it is absent. */
export type CarriedCredential = Pick<ManifestDatabase, 'credential' | 'credential_missing'>;

/** What a restore did about the credentials of one database's user (the report's `credentials`). */
export type CredentialOutcome =
  /** The database existed: its user and password were not touched. */
  | 'unchanged'
  /** The user was recreated with the verifier from the backup: the original password works. */
  | 'kept'
  /** The user was recreated with a new random password nobody knows. */
  | 'generated';

/** Databases named one by one in the warnings (the manifest holds at most 100 warnings). */
const MAX_LISTED = 10;

const message = (e: unknown) => (isPanelError(e) ? e.message : ((e as Error)?.message ?? String(e)));

/**
 * Read each database user's password verifier for the manifest. One that cannot be carried does
 * not fail the backup: the manifest records why, and a warning says what a restore will do.
 */
export async function readCredentials(
  databases: { db: AccountDatabase; engine: DatabaseEngine }[],
  warnings: string[],
): Promise<CarriedCredential[]> {
  const carried: CarriedCredential[] = [];
  let missing = 0;
  for (const { db, engine } of databases) {
    let why: string;
    try {
      const read = engine.readCredential
        ? await engine.readCredential(db.user)
        : { credential: null, reason: `engine ${engine.name} cannot export password hashes` };
      if (read.credential) {
        carried.push({ credential: { method: read.credential.method, hash: read.credential.hash } });
        continue;
      }
      why = read.reason;
    } catch (e) {
      why = message(e);
    }
    why = why.replace(/[\x00-\x1f\x7f]/g, ' ').slice(0, 300);
    carried.push({ credential_missing: why });
    if (++missing <= MAX_LISTED)
      warnings.push(
        `Database ${db.database}: the password hash of user ${db.user} is not in the backup (${why}); a restore that has to recreate the user gives it a new password`.slice(
          0,
          500,
        ),
      );
  }
  if (missing > MAX_LISTED)
    warnings.push(`…and ${missing - MAX_LISTED} more databases whose users' password hashes are not in the backup`);
  return carried;
}

/**
 * Restore pass 1: every carried verifier must be exactly what its engine accepts, before anything
 * changes. A database whose engine is missing is skipped here — it fails on its own later.
 */
export function checkCredentials(ctx: PluginContext, manifest: Manifest): void {
  manifest.databases.forEach((d, i) => {
    if (!d.credential) return;
    let engine: DatabaseEngine;
    try {
      engine = engineFor(ctx, d.engine, d.database);
    } catch {
      return;
    }
    try {
      engine.checkCredential?.(d.credential);
    } catch (e) {
      // The engine's refusal names what is wrong with the archive's verifier; anything else it threw is for admins.
      const why = failure(e);
      throw errors
        .validation(
          `manifest: databases.${i}.${why.error.startsWith('credential') ? why.error : `credential: ${why.error}`}`,
        )
        .withAdminDetail(why.error_detail ?? '');
    }
  });
}

/**
 * After a restore recreated a database's user (with a random password): give it the verifier
 * from the backup. Anything in the way leaves the random password, and says why.
 */
export async function keepCredential(
  engine: DatabaseEngine,
  user: string,
  d: ManifestDatabase,
): Promise<{ outcome: CredentialOutcome; note: string }> {
  const generated = (why: string) => ({
    outcome: 'generated' as const,
    note: `user ${user} got a new random password: ${why}`,
  });
  if (!d.credential)
    return generated(
      `the backup holds no password hash for it${d.credential_missing ? ` (${d.credential_missing})` : ''}`,
    );
  if (!engine.applyCredential) return generated(`engine ${engine.name} cannot set a password hash`);
  try {
    await engine.applyCredential(user, d.credential);
    return { outcome: 'kept', note: `user ${user} keeps its original password` };
  } catch (e) {
    return generated(`its password hash could not be set (${message(e)})`);
  }
}
