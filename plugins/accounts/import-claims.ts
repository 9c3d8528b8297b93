import { randomBytes } from 'node:crypto';
import type { PluginContext } from '../../sdk/index.js';
import { ClaimRenewal } from './claim-renewal.js';
import { claimNode } from './operation-claims.js';

/**
 * The import slot's row in `accounts_operation_claims`: account 0 (ids start at 1, so no account
 * operation ever reads it) and kind `import`. The same table, lock table and renewal as the
 * account operation claims: one way for a node's claim to stand while it lives and lapse when it died.
 */
const SLOT = { account_id: 0, kind: 'import' } as const;

/** Why an import is stopped when its node could not renew its claim on the slot in time. */
export const LOST_IMPORT_CLAIM =
  'Stopped: this node could not renew its claim on the import slot in the store in time, so another node may start an import';

/** What the log says of the import slot's claim (not an account operation's). */
export const IMPORT_CLAIM_WORDS = {
  claim: 'account import claim',
  stopped: 'the import is cancelled (rows in flight are undone)',
};

/** This node's side of the import slot shared by the API nodes (none on SQLite: one node only). */
export interface SharedImportSlot {
  /**
   * Record this node's import unless a live one (any node's) holds the slot: then that one is
   * returned, with its job when it has one. Checked and inserted under one lock across the nodes.
   * `lost` is called when the claim cannot be renewed before it expires.
   */
  take(lost: () => void): Promise<{ id: string } | { busy: { jobId: string | null } }>;
  /** Name the job carrying a recorded claim, so the other nodes' 409 names it. */
  name(claimId: string, jobId: string): Promise<void>;
  /** Give the slot up. */
  remove(claimId: string): Promise<void>;
}

/**
 * The shared import slot of this node, renewed by a {@link ClaimRenewal} until the plugin stops.
 * A stop leaves the row to expire, as the operation claims do: a node that stopped mid-import
 * may have left its batch half made, and the TTL is the bound on how long that blocks the others.
 */
export function sharedImportSlot(
  ctx: PluginContext,
  ttlMs: number,
  clock: () => number = Date.now,
): SharedImportSlot | null {
  const db = ctx.db;
  if (db.client === 'sqlite') return null;
  const table = db.table('operation_claims');
  const node = claimNode();
  const renewal = new ClaimRenewal(ctx, table, ttlMs, clock, IMPORT_CLAIM_WORDS);
  const logged = (what: string) => (e: Error) =>
    ctx.logger.warn(`${IMPORT_CLAIM_WORDS.claim}: ${what} failed`, { error: e.message });

  return {
    async take(lost) {
      const id = randomBytes(12).toString('hex');
      const at = clock();
      const busy = await db.withLock('accounts:import', async (trx) => {
        // A claim of a node that died holding it counts no more: cleared here so it does not linger.
        await trx(table).where(SLOT).andWhere('expires_at', '<', clock()).delete();
        const live = await trx(table).where(SLOT).orderBy('expires_at').first<{ job_id: string | null }>('job_id');
        if (live) return { jobId: live.job_id };
        await trx(table).insert({ id, ...SLOT, node, job_id: null, expires_at: renewal.expiry(at) });
        return null;
      });
      if (busy) return { busy };
      renewal.hold(id, at, () => lost());
      return { id };
    },
    async name(claimId, jobId) {
      await db.knex(table).where({ id: claimId }).update({ job_id: jobId }).catch(logged('naming its job'));
    },
    async remove(claimId) {
      renewal.drop(claimId);
      // Logged, not thrown: the row then only stands until it expires.
      await db.knex(table).where({ id: claimId }).delete().catch(logged('removal'));
    },
  };
}
