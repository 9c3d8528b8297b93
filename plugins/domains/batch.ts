import type { DomainRow } from './store.js';
import type { SyncDetail, VhostSync } from './vhosts.js';

/** One request's vhost change: the accounts whose vhosts it touches and the rows it adds or drops. */
export interface VhostChangeRequest {
  accountIds: number[];
  /** Rows just inserted for this change (left out of the others' syncs when it fails). */
  added?: DomainRow[];
  /** Rows about to be deleted: their fragments go. */
  without?: DomainRow[];
  /** Row changes that must land with the vhosts (run in the sync queue, right after they are live). */
  commit?: () => Promise<void>;
}

interface Waiting {
  req: VhostChangeRequest;
  resolve: (d: SyncDetail) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit of vhost changes. A server with thousands of hosts pays for every change with one
 * main-file rebuild, one config test and one reload (O(server)); requests arriving within a short
 * window, or while a batch is being applied, go into one sync of all their accounts, so that cost
 * is paid once per batch instead of once per domain. Each request is answered only after the
 * sync that made its change live returned (the engine has tested, swapped and reloaded).
 *
 * When a batch fails (the server refuses the combined config), its requests are retried one at a
 * time, each without the rows of the others not yet live, so a bad change fails alone and the
 * rest go live.
 *
 * Changes announced as coming ({@link expect}: account creates past their first steps) are waited
 * for after the window, up to `holdMs`: ten creates arriving together reach their vhost step a few
 * ms apart, and one that missed the batch would wait for a whole second test and reload.
 */
export class SyncBatcher {
  private waiting: Waiting[] = [];
  /** The window is open (a batch is being gathered) since this time; null: no batch gathering. */
  private openedAt: number | null = null;
  private windowOver = false;
  private expected = 0;
  private holdTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly vhosts: VhostSync,
    private readonly windowMs: number,
    private readonly holdMs = 0,
  ) {}

  /** Make a change live together with whatever else arrives in the window. */
  request(req: VhostChangeRequest): Promise<SyncDetail> {
    return new Promise<SyncDetail>((resolve, reject) => {
      this.waiting.push({ req, resolve, reject });
      if (this.openedAt !== null) return;
      this.openedAt = Date.now();
      // The window opens with the first request; the batch then waits its turn with other syncs.
      setTimeout(() => {
        this.windowOver = true;
        this.close();
      }, this.windowMs).unref?.();
    });
  }

  /**
   * Announce a change that will be requested shortly; call the answer once it is requested (or
   * will not be). Until then a gathering batch waits for it, at most `holdMs` past its window.
   */
  expect(): () => void {
    this.expected++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.expected--;
      // After the code that requested the change has run (its request is then in the batch).
      if (this.expected === 0) setImmediate(() => this.close());
    };
  }

  /** Hand the gathered batch to the sync queue once its window is over and nothing announced is missing. */
  private close(): void {
    if (this.openedAt === null || !this.windowOver) return;
    const holdLeft = this.openedAt + this.windowMs + this.holdMs - Date.now();
    if (this.expected > 0 && holdLeft > 0) {
      this.holdTimer ??= setTimeout(() => {
        this.holdTimer = null;
        this.close();
      }, holdLeft);
      this.holdTimer.unref?.();
      return;
    }
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    this.openedAt = null;
    this.windowOver = false;
    void this.vhosts.exclusive(() => this.drain());
  }

  /** Apply everything gathered so far as one sync (inside the sync queue). */
  private async drain(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    try {
      const detail = await this.vhosts.syncNow(merged(batch.map((w) => w.req)));
      for (const w of batch) await settle(w, detail);
      return;
    } catch (e) {
      if (batch.length === 1) return batch[0]!.reject(e);
    }
    // One at a time: each request without the rows of the others that are not live (yet, or at all).
    const pending = new Set(batch);
    for (const w of batch) {
      const others = [...pending].filter((o) => o !== w).flatMap((o) => o.req.added ?? []);
      try {
        const detail = await this.vhosts.syncNow({
          accountIds: w.req.accountIds,
          without: [...(w.req.without ?? []), ...others],
        });
        pending.delete(w);
        await settle(w, detail);
      } catch (e) {
        w.reject(e);
      }
    }
  }
}

/** Land a live change's row changes, then answer its request. */
async function settle(w: Waiting, detail: SyncDetail): Promise<void> {
  try {
    await w.req.commit?.();
    w.resolve(detail);
  } catch (e) {
    w.reject(e);
  }
}

/** One scope covering every request of a batch. */
function merged(reqs: VhostChangeRequest[]): { accountIds: number[]; without: DomainRow[] } {
  const accountIds = [...new Set(reqs.flatMap((r) => r.accountIds))];
  const without = [...new Map(reqs.flatMap((r) => r.without ?? []).map((r) => [r.id, r])).values()];
  return { accountIds, without };
}
