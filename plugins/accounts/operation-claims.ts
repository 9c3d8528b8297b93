import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { AccountOperation, AccountOperationKind, Migration, PluginContext } from '../../sdk/index.js';
import { ClaimRenewal } from './claim-renewal.js';

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

/**
 * `running`: the backup or restore that holds the account across the nodes (the others wait for
 * it). Rows of kind `files` are file changes under way, which a restore on another node waits for.
 */
export const operationRunningMigration: Migration = {
  name: '008_operation_claims_running',
  up: (db, table) =>
    db.schema.alterTable(table('operation_claims'), (t) => {
      t.boolean('running').notNullable().defaultTo(false);
    }),
};

/**
 * `stop_reason`: another node asked this claim's operation to stop (a delete stopping a backup).
 * Read by the holder at each renewal, so the request lands even when a change-feed notification
 * (PostgreSQL NOTIFY is not kept for a listener that is reconnecting) did not.
 */
export const operationStopMigration: Migration = {
  name: '009_operation_claims_stop',
  up: (db, table) =>
    db.schema.alterTable(table('operation_claims'), (t) => {
      t.string('stop_reason', 500);
    }),
};

/** This node's side of the shared claims (none on SQLite: one node only, the registry suffices). */
export interface SharedClaims {
  /**
   * Record a claim after `check` accepted the live claims of the other nodes on the account; the
   * check and the insert run in one transaction serialised per account across nodes. `lost` stops
   * the operation when the claim cannot be renewed before it expires.
   */
  insert(
    accountId: number,
    kind: AccountOperationKind,
    check: (others: AccountOperation[]) => void,
    lost: (reason: string) => void,
  ): Promise<string>;
  /** Name the job carrying a recorded claim. */
  attach(claimId: string, jobId: string): void;
  /** Remove a recorded claim or file change. */
  remove(claimId: string): Promise<void>;
  /** Ask the other nodes' live backups of the account to stop, saying why (read at their next renewal). */
  requestStop(accountId: number, reason: string): Promise<void>;
  /** The other nodes' live claims on the account (file changes aside), oldest first. */
  others(accountId: number): Promise<AccountOperation[]>;
  /** Mark the claim as the one running on the account, unless another node's runs: that one then. */
  take(claimId: string, accountId: number): Promise<AccountOperation | null>;
  /**
   * Record a file change under way, then look for another node's restore or delete of the account:
   * when there is one the record is removed and it is returned. Recording before looking means a
   * restore claimed meanwhile sees the change (it looks after recording itself).
   */
  beginChange(accountId: number): Promise<{ id: string } | { blocking: AccountOperation }>;
  /** Whether another node has file changes of the account under way. */
  changesElsewhere(accountId: number): Promise<boolean>;
}

/** A name for this node's claim rows: host, process and a random part (two panels may share a process in tests). */
export const claimNode = () => `${hostname().slice(0, 40)}:${process.pid}:${randomBytes(4).toString('hex')}`;

interface Row {
  kind: AccountOperationKind;
  job_id: string | null;
}
const asOperation = (r: Row): AccountOperation => ({ kind: r.kind, jobId: r.job_id });

/**
 * The shared claims of this node, kept alive by a {@link ClaimRenewal} until the plugin stops. A
 * stop leaves the rows to expire rather than deleting them: work the node had under way may have
 * left the account half changed, which is what a claim guards.
 */
export function sharedClaims(ctx: PluginContext, ttlMs: number, clock: () => number = Date.now): SharedClaims | null {
  const db = ctx.db;
  if (db.client === 'sqlite') return null;
  const table = db.table('operation_claims');
  const node = claimNode();
  const renewal = new ClaimRenewal(ctx, table, ttlMs, clock);
  const others = (q: ReturnType<typeof db.knex>, accountId: number) =>
    q.where({ account_id: accountId }).andWhere('node', '!=', node).andWhere('expires_at', '>=', clock());
  const operations = (q: ReturnType<typeof db.knex>, accountId: number) =>
    others(q, accountId).whereIn('kind', ['backup', 'restore', 'delete']);

  async function remove(claimId: string): Promise<void> {
    renewal.drop(claimId);
    // Logged, not thrown: the row then only stands until it expires.
    await db
      .knex(table)
      .where({ id: claimId })
      .delete()
      .catch((e: Error) => ctx.logger.warn('account operation claim: removal failed', { error: e }));
  }

  return {
    async insert(accountId, kind, check, lost) {
      const id = randomBytes(12).toString('hex');
      const at = clock();
      await db.withLock(`accounts:operation:${accountId}`, async (trx) => {
        // Claims of nodes that died holding them count no more: cleared here so the table stays small.
        await trx(table).where({ account_id: accountId }).andWhere('expires_at', '<', clock()).delete();
        check(
          (await operations(trx(table), accountId).orderBy('expires_at').select('kind', 'job_id')).map(asOperation),
        );
        await trx(table).insert({
          id,
          account_id: accountId,
          kind,
          node,
          job_id: null,
          expires_at: renewal.expiry(at),
        });
      });
      renewal.hold(id, at, lost);
      return id;
    },
    attach(claimId, jobId) {
      void db
        .knex(table)
        .where({ id: claimId })
        .update({ job_id: jobId })
        .catch((e: Error) => ctx.logger.warn('account operation claim: naming its job failed', { error: e.message }));
    },
    remove,
    async requestStop(accountId, reason) {
      await others(db.knex(table), accountId)
        .where({ kind: 'backup' })
        .whereNull('stop_reason')
        .update({
          stop_reason: reason.slice(0, 500),
        });
    },
    async others(accountId) {
      return (await operations(db.knex(table), accountId).orderBy('expires_at').select('kind', 'job_id')).map(
        asOperation,
      );
    },
    take: (claimId, accountId) =>
      db.withLock(`accounts:operation:${accountId}`, async (trx) => {
        const running = await operations(trx(table), accountId).where({ running: true }).first('kind', 'job_id');
        if (running) return asOperation(running);
        await trx(table).where({ id: claimId }).update({ running: true });
        return null;
      }),
    async beginChange(accountId) {
      const id = randomBytes(12).toString('hex');
      const at = clock();
      await db
        .knex(table)
        .insert({ id, account_id: accountId, kind: 'files', node, job_id: null, expires_at: renewal.expiry(at) });
      renewal.hold(id, at);
      const row = await operations(db.knex(table), accountId)
        .whereIn('kind', ['restore', 'delete'])
        .first('kind', 'job_id');
      if (!row) return { id };
      await remove(id);
      return { blocking: asOperation(row) };
    },
    async changesElsewhere(accountId) {
      return !!(await others(db.knex(table), accountId).where({ kind: 'files' }).first('id'));
    },
  };
}
