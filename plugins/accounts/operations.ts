import {
  accountRef,
  errors,
  KeyedLock,
  type AccountOperation,
  type AccountOperationKind,
  type AccountOperations,
  type AccountOperationTicket,
} from '../../sdk/index.js';
import { acrossNodes, type NodeOptions } from './across-nodes.js';
import type { SharedClaims } from './operation-claims.js';
import { busy, refuse, type LocalTicket } from './operation-rules.js';

interface Entry extends AccountOperation {
  stop: ((reason: string) => void) | null;
  /** Why a delete stopped it; kept so a job attached afterwards is stopped too. */
  stopped: string | null;
  done: Promise<void>;
}

/**
 * The account operation lock (rules in the SDK's {@link AccountOperations}): a registry of the
 * operations claimed per account, the shared {@link KeyedLock} for their work, and a count of
 * the file changes under way so a restore can wait for them.
 */
export function createAccountOperations(shared: SharedClaims | null = null, nodes?: NodeOptions): AccountOperations {
  const lock = new KeyedLock();
  const registered = new Map<number, Entry[]>();
  const changes = new Map<number, { count: number; idle: (() => void)[] }>();

  /** Resolves once no file change of the account is under way (new ones are refused by then). */
  const changesDone = (id: number) =>
    new Promise<void>((resolve) => {
      const c = changes.get(id);
      if (c) c.idle.push(resolve);
      else resolve();
    });

  function claim(id: number, kind: AccountOperationKind): LocalTicket {
    const list = registered.get(id) ?? [];
    refuse(id, kind, list);
    // A delete stops the backups before it: their archives would miss what it removes, and its own
    // removal must not happen under a walk that would then report a partial home as a backup.
    const before = kind === 'delete' ? list.filter((e) => e.kind === 'backup') : [];
    const reason = `Backup cancelled: account ${id} is being deleted; the unfinished archive was removed`;
    for (const e of before) {
      e.stopped = reason;
      e.stop?.(reason);
    }
    let release!: () => void;
    const entry: Entry = {
      kind,
      jobId: null,
      stop: null,
      stopped: null,
      done: new Promise<void>((r) => (release = r)),
    };
    list.push(entry);
    registered.set(id, list);
    let released = false;
    return {
      attach(jobId, stop) {
        entry.jobId = jobId;
        entry.stop = stop;
        if (entry.stopped) stop(entry.stopped);
      },
      stop(why) {
        entry.stopped ??= why;
        entry.stop?.(why);
      },
      async run(work) {
        await Promise.all(before.map((e) => e.done));
        return lock.run(accountRef(id), async () => {
          if (entry.stopped) throw errors.conflict(entry.stopped);
          if (kind === 'restore') await changesDone(id);
          return work();
        });
      },
      release() {
        if (released) return;
        released = true;
        const rest = (registered.get(id) ?? []).filter((e) => e !== entry);
        if (rest.length) registered.set(id, rest);
        else registered.delete(id);
        release();
      },
    };
  }

  const cluster = shared
    ? acrossNodes(shared, nodes ?? { cancel: async () => undefined, waitMs: 60_000, deleteWaitMs: 60_000 })
    : null;

  /** Registered here and, on a shared store, recorded there unless another node's claim conflicts. */
  const acquire = async (id: number, kind: AccountOperationKind): Promise<AccountOperationTicket> =>
    cluster ? cluster.acquire(id, kind, claim(id, kind)) : claim(id, kind);

  async function fileChange<T>(id: number, work: () => Promise<T>): Promise<T> {
    const blocking = registered.get(id)?.find((e) => e.kind === 'restore' || e.kind === 'delete');
    if (blocking) throw busy(id, blocking);
    // Counted before the store is asked, so a restore registered meanwhile here waits for it.
    const c = changes.get(id) ?? { count: 0, idle: [] };
    changes.set(id, c);
    c.count++;
    try {
      return await (cluster ? cluster.fileChange(id, work) : work());
    } finally {
      if (--c.count === 0) {
        changes.delete(id);
        for (const resolve of c.idle.splice(0)) resolve();
      }
    }
  }

  return {
    claim,
    acquire,
    fileChange,
    current: (id) => (registered.get(id) ?? []).map(({ kind, jobId }) => ({ kind, jobId })),
  };
}
