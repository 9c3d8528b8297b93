import {
  accountRef,
  errors,
  KeyedLock,
  type AccountOperation,
  type AccountOperationKind,
  type AccountOperations,
  type AccountOperationTicket,
} from '../../sdk/index.js';
import type { SharedClaims } from './operation-claims.js';

interface Entry extends AccountOperation {
  stop: ((reason: string) => void) | null;
  /** Why a delete stopped it; kept so a job attached afterwards is stopped too. */
  stopped: string | null;
  done: Promise<void>;
}

const LABEL: Record<AccountOperationKind, string> = { backup: 'a backup', restore: 'a restore', delete: 'a delete' };

/** The 409 a claim or file change meets, naming the operation and its job. */
function busy(id: number, e: AccountOperation) {
  if (e.kind === 'delete') return errors.conflict(`Account ${id} is being deleted`);
  const job = e.jobId ? ` (job ${e.jobId})` : '';
  return errors.conflict(`Account ${id} has ${LABEL[e.kind]} running${job}; try again when it has finished`);
}

/** Throw the 409 a new claim meets among the operations registered on the account (here or on another node). */
function refuse(id: number, kind: AccountOperationKind, registered: AccountOperation[]): void {
  for (const e of registered) {
    if (kind === 'delete' && e.kind === 'delete') throw errors.conflict(`Account ${id} is already being deleted`);
    if (e.kind === 'delete' || (kind === 'delete' && e.kind === 'restore')) throw busy(id, e);
  }
}

/**
 * Another node's operation a new claim meets: the rules of {@link refuse}, except that a delete
 * cannot stop another node's backup, so it answers 409 naming it instead; backups and restores
 * there run without waiting for each other's turn.
 */
function refuseRemote(id: number, kind: AccountOperationKind, others: AccountOperation[]): void {
  refuse(id, kind, others);
  const backup = kind === 'delete' && others.find((e) => e.kind === 'backup');
  if (backup) throw busy(id, backup);
}

/**
 * The account operation lock (rules in the SDK's {@link AccountOperations}): a registry of the
 * operations claimed per account, the shared {@link KeyedLock} for their work, and a count of
 * the file changes under way so a restore can wait for them.
 */
export function createAccountOperations(shared: SharedClaims | null = null): AccountOperations {
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

  function claim(id: number, kind: AccountOperationKind): AccountOperationTicket {
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

  /** {@link claim}, then recorded in the shared store unless another node's claim conflicts. */
  async function acquire(id: number, kind: AccountOperationKind): Promise<AccountOperationTicket> {
    const local = claim(id, kind);
    if (!shared) return local;
    let claimId: string;
    try {
      claimId = await shared.insert(id, kind, (others) => refuseRemote(id, kind, others));
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
      run: (work) => local.run(work),
      release() {
        if (released) return;
        released = true;
        local.release();
        void shared.remove(claimId);
      },
    };
  }

  async function fileChange<T>(id: number, work: () => Promise<T>): Promise<T> {
    const blocking =
      registered.get(id)?.find((e) => e.kind === 'restore' || e.kind === 'delete') ?? (await shared?.blocking(id));
    if (blocking) throw busy(id, blocking);
    const c = changes.get(id) ?? { count: 0, idle: [] };
    changes.set(id, c);
    c.count++;
    try {
      return await work();
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
