import { createServiceRef } from '../services.js';

/** Operations on one account that must not overlap (a plan change joins them when it gets a route). */
export type AccountOperationKind = 'delete' | 'restore' | 'backup';

/** An operation registered on an account, running or waiting its turn. */
export interface AccountOperation {
  kind: AccountOperationKind;
  /** The job carrying it (backups, restores); null for a request handled in place (a delete). */
  jobId: string | null;
}

/** How {@link AccountOperationTicket.run} waits for another node's operation on the account. */
export interface AccountOperationRunOptions {
  /** Aborting it stops the wait (the job was cancelled): `run` then rejects without running the work. */
  signal?: AbortSignal;
  /** Told what the operation waits for, each time that changes (e.g. shown as the job's progress message). */
  waiting?: (why: string) => void;
}

/**
 * One claimed operation. Claiming registers it at once (so a later claim sees it, even while
 * its job still waits in the queue); `run` holds the account's lock for the work itself;
 * `release` ends the claim and must be called exactly when the operation is over — for a job,
 * when the job has finished, not when the HTTP request answered.
 */
export interface AccountOperationTicket {
  /** Name the job carrying the operation and how to stop it (a delete stops a backup: see {@link AccountOperations}). */
  attach(jobId: string, stop: (reason: string) => void): void;
  /**
   * Run the work holding the account's lock — across the API nodes sharing the store too (a
   * backup or restore waits for another node's, a restore for its file changes under way, a delete
   * for another node's backup it stopped; bounded by `plugins.accounts.operation_wait_ms`, then 409
   * naming it). Rejects with the stop reason (409) when the operation was stopped before it ran.
   */
  run<T>(work: () => Promise<T>, options?: AccountOperationRunOptions): Promise<T>;
  /** End the claim (repeating it does nothing). */
  release(): void;
}

/**
 * One lock per account for the operations that replace or remove its data, provided by the
 * `accounts` plugin. {@link AccountOperations.claim} registers inside this panel process only;
 * {@link AccountOperations.acquire} also records the claim in the store, so API nodes sharing one
 * PostgreSQL/MariaDB store see it (a dead node's claims stop counting after
 * `plugins.accounts.operation_claim_ttl_ms`; a node that cannot renew its claims in time stops the
 * operations holding them). Across nodes the same rules hold: a delete cancels another node's backup
 * through its job and waits for it to end, and backups and restores wait their turn.
 * What a new claim meets on the account decides what happens:
 *
 * | new ↓ / registered → | backup                              | restore       | delete        |
 * |----------------------|-------------------------------------|---------------|---------------|
 * | backup               | waits its turn                      | waits its turn| 409           |
 * | restore              | waits its turn                      | waits its turn| 409           |
 * | delete               | stops it (job failed, archive removed), then runs | 409 | 409 |
 *
 * Each 409 names the operation and its job. File changes ({@link AccountOperations.fileChange})
 * are refused with a 409 naming the job while a restore or delete is registered, and a restore
 * waits for the file changes already under way before it touches the home.
 *
 * @example
 * ```ts
 * const ticket = await ctx.services.get(accountOperations).acquire(account.id, 'backup'); // 409 while the account is being deleted
 * const job = await ctx.jobs.start({ kind: 'backup.create' }, () => ticket.run(() => backup(account)));
 * ticket.attach(job.id, (reason) => void ctx.jobs.cancel(job.id, reason));
 * void ctx.jobs.wait(job.id).finally(() => ticket.release());
 * ```
 */
export interface AccountOperations {
  /** Register an operation on the account now, or throw the 409 the rules above give. */
  claim(accountId: number, kind: AccountOperationKind): AccountOperationTicket;
  /**
   * {@link claim}, and record it where the other API nodes sharing the store see it; rejects with
   * the 409 the rules give when this node or another has a conflicting claim. Prefer it to `claim`.
   */
  acquire(accountId: number, kind: AccountOperationKind): Promise<AccountOperationTicket>;
  /**
   * Run a change of the account's files unless a restore or delete is registered here or on
   * another node (409 naming it). On a shared store the change is recorded while under way (one
   * row), so a restore on another node waits for it; on SQLite it costs no store round trip.
   */
  fileChange<T>(accountId: number, work: () => Promise<T>): Promise<T>;
  /** What is registered on the account in this process, oldest first. */
  current(accountId: number): AccountOperation[];
}

/** Service reference of the account operation lock. */
export const accountOperations = createServiceRef<AccountOperations>('accounts.operations');
