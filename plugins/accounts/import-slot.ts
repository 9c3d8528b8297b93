import { errors } from '../../sdk/index.js';
import { LOST_IMPORT_CLAIM, type SharedImportSlot } from './import-claims.js';

/** A claim on the import slot: the job it started, then its release. */
export interface ImportClaim {
  /** The import's job started: resolves once the store names it (for the other nodes' 409). */
  running(jobId: string): Promise<void>;
  /**
   * Give the slot up: at the end of the import's job (which awaits it, so the slot is free once
   * the job has ended, on every node), or when the import ended before its job started.
   */
  release(): Promise<void>;
}

/** The 409 for an import sent while another holds the slot, on this node or another. */
const busy = (jobId: string | null) => {
  const what = jobId ? `running (job ${jobId})` : 'being checked';
  return errors.conflict(`Another account import is ${what}; send this one again when it has finished`);
};

/**
 * One bulk import at a time in this panel, and across the API nodes sharing its store. An import
 * checks the licence and reseller limits for its whole batch up front; two checked at once would
 * both pass (each sees the other's rows not made yet) and one would end half-made against the
 * per-row limit. A second import is refused with a 409 naming the running job instead, before
 * anything is checked or made.
 */
export class ImportSlot {
  private holder: { jobId: string | null } | null = null;

  /**
   * @param shared the slot in the shared store (null on SQLite: this process is the only node)
   * @param cancel stops an import whose node could not keep its claim in the store
   */
  constructor(
    private readonly shared: SharedImportSlot | null = null,
    private readonly cancel: (jobId: string, reason: string) => unknown = () => undefined,
  ) {}

  /** Take the slot, or a 409 naming the import holding it. This node's slot is taken at once (no await before it). */
  async claim(): Promise<ImportClaim> {
    const local = this.claimHere();
    if (!this.shared) return local;
    const shared = this.shared;
    let jobId: string | null = null;
    let lost = false;
    let taken: Awaited<ReturnType<SharedImportSlot['take']>>;
    try {
      taken = await shared.take(() => {
        lost = true;
        if (jobId) this.cancel(jobId, LOST_IMPORT_CLAIM);
      });
    } catch (e) {
      void local.release();
      throw e;
    }
    if ('busy' in taken) {
      void local.release();
      throw busy(taken.busy.jobId);
    }
    const claimId = taken.id;
    let released: Promise<void> | null = null;
    return {
      running: async (id) => {
        jobId = id;
        await local.running(id);
        if (lost) this.cancel(id, LOST_IMPORT_CLAIM);
        await shared.name(claimId, id);
      },
      release: () => {
        void local.release();
        released ??= shared.remove(claimId);
        return released;
      },
    };
  }

  /** This process's slot: taken synchronously, so two requests here never both pass. */
  private claimHere(): ImportClaim {
    if (this.holder) throw busy(this.holder.jobId);
    const mine = { jobId: null as string | null };
    this.holder = mine;
    return {
      running: async (jobId) => {
        mine.jobId = jobId;
      },
      release: async () => {
        if (this.holder === mine) this.holder = null;
      },
    };
  }
}
