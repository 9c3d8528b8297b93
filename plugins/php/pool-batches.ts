import { SerialQueue } from '../../sdk/index.js';
import type { FpmMaster } from './master.js';
import type { PoolChange, PoolFileChange } from './pools.js';

/** How long the first pool change waits for others to join it: changes asked for together share one reload. */
const WINDOW_MS = 5;

interface Waiting {
  m: FpmMaster;
  changes: PoolFileChange[];
  resolve: (r: PoolChange) => void;
  reject: (e: unknown) => void;
}

/** Applies one master's pool changes as one unit: tested, swapped, tested with the master, reloaded; all or nothing. */
export type ApplyPools = (m: FpmMaster, changes: PoolFileChange[]) => Promise<PoolChange>;

/**
 * Group commit of pool changes. Every change costs two `php-fpm -t` runs and a reload of the
 * master (hundreds of ms, one at a time), so ten accounts created together queued ten of each.
 * Changes asked for within a short window, or while a batch is applied, go into one change per
 * master; each is answered only after the reload that made it live (its socket answers, or a
 * removed one refuses). A change touching a file already in the batch waits for the next one, so
 * every answer still means "this request's files are live". When a batch fails (php-fpm refuses
 * the combined pools, or the reload fails; it is rolled back), its changes are applied again one
 * at a time, so a bad change fails alone and the others go live.
 */
export class PoolBatches {
  private readonly queue = new SerialQueue();
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly apply: ApplyPools,
    /** Whether a file's content differs from what the change wants (its answer's `changed`). */
    private readonly differs: (m: FpmMaster, c: PoolFileChange) => boolean,
  ) {}

  /** Make `changes` live together with whatever else is asked for meanwhile. */
  request(m: FpmMaster, changes: PoolFileChange[]): Promise<PoolChange> {
    return new Promise<PoolChange>((resolve, reject) => {
      this.waiting.push({ m, changes, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => void this.queue.run(() => this.drain()), WINDOW_MS).unref?.();
  }

  /** Apply what was gathered, one master at a time (inside the queue: one reload at a time). */
  private async drain(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    this.scheduled = false;
    const byMaster = new Map<string, Waiting[]>();
    for (const w of batch) {
      const group = byMaster.get(w.m.poolDir) ?? [];
      const taken = new Set(group.flatMap((o) => o.changes.map((c) => c.file)));
      // The same file twice in one batch: the later change goes next time, after the earlier is live.
      if (w.changes.some((c) => taken.has(c.file))) this.later(w);
      else byMaster.set(w.m.poolDir, [...group, w]);
    }
    for (const group of byMaster.values()) await this.applyGroup(group);
  }

  private later(w: Waiting): void {
    this.waiting.push(w);
    this.schedule();
  }

  private async applyGroup(group: Waiting[]): Promise<void> {
    const m = group[0]!.m;
    const changed = group.map((w) => w.changes.some((c) => this.differs(m, c)));
    try {
      const r = await this.apply(
        m,
        group.flatMap((w) => w.changes),
      );
      group.forEach((w, i) =>
        w.resolve(changed[i] ? r : { changed: false, reloaded: false, message: 'pool unchanged' }),
      );
      return;
    } catch (e) {
      if (group.length === 1) return group[0]!.reject(e);
    }
    for (const w of group) await this.apply(m, w.changes).then(w.resolve, w.reject);
  }
}
