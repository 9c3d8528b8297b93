import { errors, normalizeDomainName, type Knex } from '../../sdk/index.js';
import type { DomainRow, DomainStore } from './store.js';

/**
 * Who is asking for a name, as the ownership rule needs it. `accountId` is null while an account
 * is being created (every existing domain is then another account's).
 */
export interface NameClaim {
  name: string;
  accountId: number | null;
  /** An admin is told which account holds the name, and may place it with `allowCrossAccount`. */
  asAdmin?: boolean;
  /** Admin only: place the name although it is under (or above) a domain of another account. */
  allowCrossAccount?: boolean;
}

/** The names `name` sits under: `a.b.c.test` → `b.c.test`, `c.test` (labels of two or more). */
export function parentNames(name: string): string[] {
  const labels = name.split('.');
  const out: string[] = [];
  for (let i = 1; i < labels.length - 1; i++) out.push(labels.slice(i).join('.'));
  return out;
}

/** True when `name` is `host` or a name under it. */
export function isAtOrUnder(name: string, host: string): boolean {
  return name === host || name.endsWith(`.${host}`);
}

/**
 * The panel's own name (`server_hostname`) and every name under it belong to the panel: its
 * certificate answers the ACME challenge for that name, so no tenant may hold it.
 */
export function checkPanelName(name: string, serverHostname: string): void {
  const host = normalizeDomainName(serverHostname);
  if (host && isAtOrUnder(name, host))
    throw errors.conflict(
      `Domain ${name} is the panel's own host name (server_hostname) or a name under it; it cannot be an account's domain`,
    );
}

/**
 * Names are owned: a name under a domain of another account, or above one, is refused with a 409
 * naming the holder only to an admin. Under means under the nearest enclosing domain on this
 * server, so names under a domain an admin placed with an account stay that account's. Runs
 * inside the domain lock's transaction (two concurrent creates cannot both pass), and once
 * before any work for an early answer. Equal names are the caller's uniqueness check.
 */
export async function checkOwnership(store: DomainStore, claim: NameClaim, trx?: Knex.Transaction): Promise<void> {
  const { name, accountId } = claim;
  if (claim.asAdmin && claim.allowCrossAccount) return;
  const hint = 'an admin may place it with allow_cross_account: true';
  const parents = parentNames(name);
  // A top-level name has no parents: no query (an empty `IN` would still read the table).
  const enclosing = (parents.length ? await store.q(trx).whereIn('domain_name', parents) : []).sort(
    (a, b) => b.domain_name.length - a.domain_name.length,
  )[0];
  if (enclosing && enclosing.account_id !== accountId) {
    throw errors.conflict(
      claim.asAdmin
        ? `Domain ${name} is under ${enclosing.domain_name}, a domain of account ${enclosing.account_id}; ${hint}`
        : `Domain ${name} is under a domain of another account`,
    );
  }
  // Through the suffix table's index: a `LIKE '%.name'` would read every domain on the server.
  const below = store.under(name, trx);
  const child = await (accountId === null ? below : below.whereNot({ account_id: accountId })).first();
  if (child) {
    throw errors.conflict(
      claim.asAdmin
        ? `Domain ${name} is above ${child.domain_name}, a domain of account ${child.account_id}; ${hint}`
        : `Domain ${name} has a name under it that belongs to another account`,
    );
  }
}
