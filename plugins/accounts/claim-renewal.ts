import { faultpoint, type PluginContext } from '../../sdk/index.js';

/** Why an operation is stopped when its claim could not be renewed in time. */
export const LOST_CLAIM =
  'Stopped: this node could not renew its claim on the account in the store in time, so another node may take the account over';

/** What the log calls a renewal's claims and what losing one stops. */
export interface ClaimWords {
  /** e.g. `account operation claim` */
  claim: string;
  /** e.g. `its operation is stopped` */
  stopped: string;
}

const OPERATION_WORDS: ClaimWords = { claim: 'account operation claim', stopped: 'its operation is stopped' };

interface Held {
  /** When the expiry last written for the claim was computed (its row expires `ttl` after). */
  renewedAt: number;
  /** Called once when the claim can no longer be renewed before it expires. */
  lost?: (reason: string) => void;
  gone: boolean;
  /** Another node asked the operation to stop (see `requestStop`): done once. */
  stopAsked?: boolean;
}

/**
 * Keeps this node's claim rows alive: every quarter of `ttlMs` their `expires_at` is pushed
 * forward. A claim whose last renewal is more than three quarters of the TTL old can no longer be
 * trusted to stand — the other nodes stop honouring it when the TTL passes — so its operation is
 * stopped then, a quarter of the TTL before, and two nodes never both act on the account.
 */
export class ClaimRenewal {
  private readonly held = new Map<string, Held>();
  private readonly interval: number;
  private renewing = false;

  constructor(
    private readonly ctx: PluginContext,
    private readonly table: string,
    private readonly ttlMs: number,
    private readonly clock: () => number,
    private readonly words: ClaimWords = OPERATION_WORDS,
  ) {
    this.interval = Math.max(100, Math.floor(ttlMs / 4));
    const timer = setInterval(() => this.tick(), this.interval);
    timer.unref();
    ctx.onStop(() => clearInterval(timer));
  }

  /** The expiry to write for a claim recorded at `at`. */
  expiry(at: number): number {
    return at + this.ttlMs;
  }

  /** Keep the claim recorded at `at` alive until {@link drop}; `lost` stops its operation. */
  hold(id: string, at: number, lost?: (reason: string) => void): void {
    this.held.set(id, { renewedAt: at, lost, gone: false });
  }

  drop(id: string): void {
    this.held.delete(id);
  }

  private tick(): void {
    if (!this.held.size) return;
    const now = this.clock();
    for (const h of this.held.values()) {
      if (h.gone || now < h.renewedAt + this.ttlMs - this.interval) continue;
      h.gone = true;
      if (!h.lost) continue; // a file change under way: short, and nothing to stop it with
      this.ctx.logger.error(`${this.words.claim} could not be renewed in time: ${this.words.stopped}`);
      h.lost(LOST_CLAIM);
    }
    // One renewal at a time: a store that hangs must not pile them up.
    if (this.renewing) return;
    this.renewing = true;
    const ids = [...this.held.keys()];
    const at = this.clock();
    void (async () => {
      faultpoint('accounts.claims.renew');
      await this.ctx.db
        .knex(this.table)
        .whereIn('id', ids)
        .update({ expires_at: this.expiry(at) });
      for (const id of ids) {
        const h = this.held.get(id);
        if (h && !h.gone) h.renewedAt = at;
      }
      // Stop requests from other nodes, in the store: they land even if their notification did not.
      const asked = await this.ctx.db
        .knex(this.table)
        .whereIn('id', ids)
        .whereNotNull('stop_reason')
        .select<{ id: string; stop_reason: string }[]>('id', 'stop_reason');
      for (const r of asked) {
        const h = this.held.get(r.id);
        if (!h || h.gone || h.stopAsked || !h.lost) continue;
        h.stopAsked = true;
        h.lost(r.stop_reason);
      }
    })()
      .catch((e: Error) => this.ctx.logger.warn(`${this.words.claim}: renewal failed`, { error: e.message }))
      .finally(() => (this.renewing = false));
  }
}
