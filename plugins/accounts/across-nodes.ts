import {
  errors,
  type AccountOperation,
  type AccountOperationKind,
  type AccountOperationRunOptions,
  type AccountOperationTicket,
} from '../../sdk/index.js';
import type { SharedClaims } from './operation-claims.js';
import { busy, LABEL, refuse, type LocalTicket } from './operation-rules.js';

/** What the cross-node rules need from the panel around them. */
export interface NodeOptions {
  /** Cancel a job, wherever it runs (the job service reaches other nodes over the change feed). */
  cancel: (jobId: string, reason: string) => Promise<unknown>;
  /** How long a backup or restore waits for another node's operation (or file changes) on the account. */
  waitMs: number;
  /** How long a delete waits for the backups it stopped on other nodes to end. */
  deleteWaitMs: number;
}

const POLL_MS = 200;
/** Cancels are sent again every this many polls: a change-feed message may be lost while it reconnects. */
const RESEND_EVERY = 10;

const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** What a wait is waiting for: shown to the job, and the 409 it ends with when it lasts too long. */
interface Waiting {
  why: string;
  tooLong: () => Error;
}

/** Poll `next` until it finds nothing to wait for, within `limitMs`, stopped by the signal. */
async function waitFor(
  next: (round: number) => Promise<Waiting | null>,
  limitMs: number,
  o: AccountOperationRunOptions = {},
): Promise<void> {
  const end = Date.now() + limitMs;
  let shown = '';
  for (let round = 0; ; round++) {
    const w = await next(round);
    if (!w) return;
    if (o.signal?.aborted) throw errors.conflict(`Stopped while ${w.why}`);
    if (Date.now() > end) throw w.tooLong();
    if (w.why !== shown) o.waiting?.((shown = w.why));
    await pause(POLL_MS, o.signal);
  }
}

/**
 * The account operation rules across the API nodes sharing one store, on top of this process's
 * registry: the same as on one node. A claim is recorded in the store unless another node's
 * conflicts (409); a delete cancels the other nodes' backups through their jobs and waits (bounded)
 * for their claims to go; backups and restores wait for another node's running one to end (one
 * runs at a time: the `running` mark), a restore also for the file changes other nodes have under
 * way; file changes are recorded while under way, refused during another node's restore or delete.
 */
export function acrossNodes(shared: SharedClaims, o: NodeOptions) {
  const stopReason = (id: number) =>
    `Backup cancelled: account ${id} is being deleted; the unfinished archive was removed`;

  /** For a delete: the other nodes' backups, cancelled (again every few rounds) until their claims are gone. */
  const backupsGone = (id: number) => {
    const cancelled = new Set<string>();
    return async (round: number): Promise<Waiting | null> => {
      const backups = (await shared.others(id)).filter((e) => e.kind === 'backup');
      if (round % RESEND_EVERY === 0) cancelled.clear();
      if (backups.length && round % RESEND_EVERY === 0)
        await shared.requestStop(id, stopReason(id)).catch(() => undefined);
      for (const b of backups) {
        if (!b.jobId || cancelled.has(b.jobId)) continue;
        cancelled.add(b.jobId);
        await o.cancel(b.jobId, stopReason(id)).catch(() => undefined);
      }
      return backups[0]
        ? { why: `waiting for the backup on another node to stop`, tooLong: () => busy(id, backups[0]!) }
        : null;
    };
  };

  /** For a backup or restore: its turn among the nodes, then (a restore) the other nodes' file changes. */
  const turn = (id: number, claimId: string, kind: AccountOperationKind) => {
    let mine = false;
    return async (): Promise<Waiting | null> => {
      if (!mine) {
        const running = await shared.take(claimId, id);
        if (running)
          return {
            why: `waiting for ${LABEL[running.kind]} of account ${id} running on another node${running.jobId ? ` (job ${running.jobId})` : ''}`,
            tooLong: () => busy(id, running),
          };
        mine = true;
      }
      if (kind !== 'restore' || !(await shared.changesElsewhere(id))) return null;
      return {
        why: `waiting for file changes of account ${id} under way on another node`,
        tooLong: () =>
          errors.conflict(
            `Account ${id} has file changes under way on another node; try again when they have finished`,
          ),
      };
    };
  };

  return {
    async acquire(id: number, kind: AccountOperationKind, local: LocalTicket): Promise<AccountOperationTicket> {
      let claimId: string;
      try {
        // Another node's backup does not refuse a delete: the delete stops it, as on one node.
        claimId = await shared.insert(
          id,
          kind,
          (others: AccountOperation[]) => refuse(id, kind, others),
          (why) => local.stop(why),
        );
      } catch (e) {
        local.release();
        throw e;
      }
      let released = false;
      return {
        attach(jobId, stop) {
          local.attach(jobId, stop);
          shared.attach(claimId, jobId);
        },
        run: (work, options) =>
          local.run(async () => {
            if (kind === 'delete') await waitFor(backupsGone(id), o.deleteWaitMs, options);
            else await waitFor(turn(id, claimId, kind), o.waitMs, options);
            return work();
          }),
        release() {
          if (released) return;
          released = true;
          local.release();
          void shared.remove(claimId);
        },
      };
    },

    async fileChange<T>(id: number, work: () => Promise<T>): Promise<T> {
      const change = await shared.beginChange(id);
      if ('blocking' in change) throw busy(id, change.blocking);
      try {
        return await work();
      } finally {
        void shared.remove(change.id);
      }
    },
  };
}
