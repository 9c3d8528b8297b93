import { errors } from '../../sdk/index.js';

/** A claim on the import slot: the job it started, then its release. */
export interface ImportClaim {
  /** The import's job started: the slot is held until `done` settles. */
  running(jobId: string, done: Promise<unknown>): void;
  /** The import ended before its job started (a refused file, a failed start). */
  release(): void;
}

/**
 * One bulk import at a time in this panel. An import checks the licence and reseller limits for
 * its whole batch up front; two checked at once would both pass (each sees the other's rows not
 * made yet) and one would end half-made against the per-row limit. A second import is refused
 * with a 409 naming the running job instead, before anything is checked or made.
 */
export class ImportSlot {
  private holder: { jobId: string | null } | null = null;

  /** Take the slot at once (no await before it), or a 409 naming the import holding it. */
  claim(): ImportClaim {
    if (this.holder) {
      const what = this.holder.jobId ? `running (job ${this.holder.jobId})` : 'being checked';
      throw errors.conflict(`Another account import is ${what}; send this one again when it has finished`);
    }
    const mine = { jobId: null as string | null };
    this.holder = mine;
    const release = () => {
      if (this.holder === mine) this.holder = null;
    };
    return {
      running: (jobId, done) => {
        mine.jobId = jobId;
        void done.then(release, release);
      },
      release,
    };
  }
}
