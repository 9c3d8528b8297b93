import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { AccountOperation, AccountOperationKind, Migration, PluginContext } from '../../sdk/index.js';

/**
 * `accounts_operation_claims`: the account operations each node has claimed, so API nodes sharing
 * one PostgreSQL/MariaDB store see each other's backups, restores and deletes. `expires_at` (epoch
 * ms) is pushed forward while the node lives; a dead node's claims stop counting once it passes.
 */
export const operationClaimsMigration: Migration = {
  name: '007_operation_claims',
  up: (db, table) =>
    db.schema.createTable(table('operation_claims'), (t) => {
      t.string('id', 32).primary();
      t.integer('account_id').notNullable();
      t.string('kind', 8).notNullable();
      t.string('node', 80).notNullable();
      t.string('job_id', 64);
      t.bigInteger('expires_at').notNullable();
      t.index(['account_id']);
      t.index(['node']);
    }),
};

/** This node's side of the shared claims (none on SQLite: one node only, the registry suffices). */
export interface SharedClaims {
  /**
   * Record a claim after `check` accepted the live claims of the other nodes on the account; the
   * check and the insert run in one transaction serialised per account across nodes.
   */
  insert(accountId: number, kind: AccountOperationKind, check: (others: AccountOperation[]) => void): Promise<string>;
  /** Name the job carrying a recorded claim. */
  attach(claimId: string, jobId: string): void;
  /** Remove a recorded claim. */
  remove(claimId: string): Promise<void>;
  /** Another node's live restore or delete of the account, if any (one indexed query). */
  blocking(accountId: number): Promise<AccountOperation | null>;
}

interface Row {
  kind: AccountOperationKind;
  job_id: string | null;
}
const asOperation = (r: Row): AccountOperation => ({ kind: r.kind, jobId: r.job_id });

/**
 * The shared claims of this node, renewed every third of `ttlMs` until the plugin stops. A stop
 * leaves the rows to expire rather than deleting them: work the node had under way may have left
 * the account half changed, which is what a claim guards.
 */
export function sharedClaims(ctx: PluginContext, ttlMs: number, clock: () => number = Date.now): SharedClaims | null {
  const db = ctx.db;
  if (db.client === 'sqlite') return null;
  const table = db.table('operation_claims');
  const node = `${hostname().slice(0, 40)}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const held = new Set<string>();
  const others = (q: ReturnType<typeof db.knex>, accountId: number) =>
    q.where({ account_id: accountId }).andWhere('node', '!=', node).andWhere('expires_at', '>=', clock());
  // Logged, not thrown: the claim stands locally, and an unrenewed row only expires early.
  const warn = (what: string) => (e: unknown) =>
    ctx.logger.warn(`account operation claim: ${what} failed`, { error: (e as Error).message });

  const timer = setInterval(
    () => {
      if (!held.size) return;
      void db
        .knex(table)
        .where({ node })
        .update({ expires_at: clock() + ttlMs })
        .catch(warn('renewal'));
    },
    Math.max(100, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  ctx.onStop(() => clearInterval(timer));

  return {
    async insert(accountId, kind, check) {
      const id = randomBytes(12).toString('hex');
      await db.withLock(`accounts:operation:${accountId}`, async (trx) => {
        // Claims of nodes that died holding them count no more: cleared here so the table stays small.
        await trx(table).where({ account_id: accountId }).andWhere('expires_at', '<', clock()).delete();
        check((await others(trx(table), accountId).orderBy('expires_at').select('kind', 'job_id')).map(asOperation));
        await trx(table).insert({ id, account_id: accountId, kind, node, job_id: null, expires_at: clock() + ttlMs });
      });
      held.add(id);
      return id;
    },
    attach(claimId, jobId) {
      void db.knex(table).where({ id: claimId }).update({ job_id: jobId }).catch(warn('naming its job'));
    },
    async remove(claimId) {
      held.delete(claimId);
      await db.knex(table).where({ id: claimId }).delete().catch(warn('removal'));
    },
    async blocking(accountId) {
      const row = await others(db.knex(table), accountId)
        .whereIn('kind', ['restore', 'delete'])
        .first('kind', 'job_id');
      return row ? asOperation(row) : null;
    },
  };
}
